// Table-driven: the key files the seeds describe, and the odd ones admins end up with.
import { describe, expect, it } from 'vitest';
import { parseKeyFile, parseStaFileName } from '../../src/main/core/secrets/token-file';

const bytes = (text: string | number[]) => (typeof text === 'string' ? new TextEncoder().encode(text) : Uint8Array.from(text));
const SEED = 'Wg7ASgddKzXwEStPoUvMDzwYO3NDFj';

describe('good key files', () => {
  it.each([
    ['token.txt', `${SEED}`, SEED],
    ['token.txt', `${SEED}\n`, SEED],
    ['token.txt', `\uFEFF${SEED}\r\n`, SEED],
    ['token.txt', `  ${SEED}  \n\n`, SEED],
  ])('%s %j', (name, content, secret) => {
    expect(parseKeyFile(name, bytes(content))).toEqual({ ok: true, kind: 'token', secret });
  });

  it('reads the key name and created date from a Thales STA file name', () => {
    expect(parseKeyFile('APIKey-portal-sync-2026-11-01.key', bytes('k3yK3yk3yK3yk3yK3y'))).toEqual({
      ok: true,
      kind: 'token',
      secret: 'k3yK3yk3yK3yk3yK3y',
      keyName: 'portal-sync',
      createdOn: '2026-11-01',
    });
    expect(parseStaFileName('APIKey-Reporting-20251231.key')).toEqual({ keyName: 'Reporting', createdOn: '2025-12-31' });
    expect(parseStaFileName('token.key')).toBeNull();
  });

  // The contract's rules for a key name and a created date (shared/contract.ts) hold for what a
  // file name gives: nothing an import of Keybridge's own export would refuse.
  it.each([
    ['APIKey-portal\u001b[31msync-2026-11-01.key', { createdOn: '2026-11-01' }],
    ['APIKey-portal\u0007sync-2026-11-01.key', { createdOn: '2026-11-01' }],
    ['APIKey-portal\u0085sync-2026-11-01.key', { createdOn: '2026-11-01' }],
    ['APIKey-portal\nsync-2026-11-01.key', { createdOn: '2026-11-01' }],
    ['APIKey-\u202Eyek-2026-11-01.key', { keyName: 'yek', createdOn: '2026-11-01' }],
    ['APIKey-a\u200Bb\u200Fc\u2067d\u2069\u00ADe-2026-11-01.key', { keyName: 'abcde', createdOn: '2026-11-01' }],
    ['APIKey-\u200B\u202E-2026-11-01.key', { createdOn: '2026-11-01' }],
    [`APIKey-${'x'.repeat(250)}-2026-11-01.key`, { keyName: 'x'.repeat(200), createdOn: '2026-11-01' }],
    [`APIKey-${'x'.repeat(199)}\u{1F600}-2026-11-01.key`, { keyName: 'x'.repeat(199), createdOn: '2026-11-01' }],
    ['APIKey-Reporting-2026-02-30.key', { keyName: 'Reporting' }],
    ['APIKey-Reporting-20270229.key', { keyName: 'Reporting' }],
    ['APIKey-Reporting-20280229.key', { keyName: 'Reporting', createdOn: '2028-02-29' }],
    ['APIKey-Reporting-2026-13-01.key', { keyName: 'Reporting' }],
    ['APIKey-\u0007-2026-02-30.key', null],
  ])('takes from %j only what the contract accepts', (fileName, taken) => {
    expect(parseStaFileName(fileName)).toEqual(taken);
    const parsed = parseKeyFile(fileName, bytes('k3yK3yk3yK3yk3yK3y'));
    expect(parsed).toEqual({ ok: true, kind: 'token', secret: 'k3yK3yk3yK3yk3yK3y', ...taken });
  });

  it.each([
    ['labelled lines', 'Access key ID: AKIA-42\nSecret access key: s3cr3tS3cr3tS3cr3t\n'],
    ['CSV', 'Access key ID,Secret access key\nAKIA-42,s3cr3tS3cr3tS3cr3t\n'],
  ])('reads a Passportal access key pair (%s)', (_kind, content) => {
    expect(parseKeyFile('passportal.txt', bytes(content))).toEqual({ ok: true, kind: 'access-key-pair', accessKeyId: 'AKIA-42', secret: 's3cr3tS3cr3tS3cr3t' });
  });
});

describe('bad key files: a clear message that never repeats the content', () => {
  it.each([
    ['empty', '', /empty/],
    ['only whitespace', ' \n\t\n', /empty/],
    ['binary', [0x89, 0x50, 0x4e, 0x47, 0x00, 0x01], /binary/],
    ['not UTF-8', [0xff, 0xfe, 0x41, 0xd8], /not UTF-8/],
    ['over 64 KiB', 'A'.repeat(64 * 1024 + 1), /larger than 64 KiB/],
    ['two tokens', 'FirstTokenFirstToken\nSecondTokenSecondToken\n', /2 lines/],
    ['a PEM certificate', '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ\n-----END CERTIFICATE-----\n', /PEM certificate or key/],
    ['a private key', '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49\n-----END PRIVATE KEY-----\n', /PEM/],
    ['JSON', '{"token": "HiddenValueHiddenValue"}', /JSON/],
    ['an HTML error page', '<!DOCTYPE html><html><body>Session expired HiddenValue</body></html>', /HTML page/],
    ['a token with spaces', 'Hidden Value With Spaces', /spaces/],
    ['control characters', 'Hidden\u0007ValueHiddenValue', /control characters/],
    ['half a key pair', 'Access key ID: AKIA-42\n', /needs both/],
  ])('%s', (_name, content, message) => {
    const parsed = parseKeyFile('file.txt', bytes(content as string | number[]));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.message).toMatch(message);
      expect(parsed.message).not.toMatch(/HiddenValue|SecondToken|MIIB|MIGH|AKIA/);
    }
  });
});

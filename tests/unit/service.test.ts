// The service and dispatcher with the real store files (Conf, the engine under electron-store) in
// a temporary directory, the test cipher standing in for safeStorage, and the demo key manager
// (tests/support/service-harness.ts).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/main/core/dispatch';
import type { KeybridgeService } from '../../src/main/core/service';
import { silentPeer } from '../support/peers';
import { useServiceHarness } from '../support/service-harness';

const harness = useServiceHarness({ demoKeyManager: true });
const logs: string[] = [];
beforeEach(() => {
  logs.length = 0;
});

const makeService = () => harness.service({ log: (l) => logs.push(l) });
const input = (more: Partial<Parameters<KeybridgeService['saveConnection']>[0]> = {}) => ({
  name: 'Demo',
  serverAddress: harness.demo.url,
  apiToken: `${harness.demo.token}\n`,
  verifyCertificate: false,
  ...more,
});

describe('save and test', () => {
  it('saves, tests successfully, and keeps only a masked hint in the view', async () => {
    const service = makeService();
    const { connection, report } = await service.saveAndTestConnection(input());
    expect(report.verdict).toBe('ok');
    expect(connection.tokenHint).toBe(`••••${harness.demo.token.slice(-4)}`);
    expect(connection.tokenState).toBe('saved');
    expect(connection.lastTest?.verdict).toBe('ok');
    expect(JSON.stringify(connection)).not.toContain(harness.demo.token);
    expect(JSON.stringify(report)).not.toContain(harness.demo.token);
  });

  it('encrypts the token on disk, apart from the connection records', async () => {
    const service = makeService();
    await service.saveConnection(input());
    expect(harness.allWritten()).not.toContain(harness.demo.token);
    const records = JSON.parse(readFileSync(service.files.connections, 'utf8'));
    expect(records.connections[0].serverAddress).toBe(harness.demo.url);
    const secrets = JSON.parse(readFileSync(service.files.secrets, 'utf8'));
    expect(Object.keys(secrets.secrets)).toEqual([records.connections[0].id]);
    expect(harness.cipher.encryptCalls).toBe(1);
  });

  it('keeps the saved token when an edit leaves the token empty', async () => {
    const service = makeService();
    const first = await service.saveConnection(input());
    const edited = await service.saveConnection({ ...input({ name: 'Renamed', apiToken: '' }), id: first.id });
    expect(edited.tokenHint).toBe(first.tokenHint);
    expect((await service.testConnection({ id: first.id })).verdict).toBe('ok');
  });

  it('survives a restart: the next service instance reads the same connection and token', async () => {
    const saved = await makeService().saveConnection(input());
    const again = makeService();
    expect((await again.listConnections()).map((c) => c.id)).toEqual([saved.id]);
    expect((await again.testConnection({ id: saved.id })).verdict).toBe('ok');
  });

  it('deletes a connection together with its secret', async () => {
    const service = makeService();
    const saved = await service.saveConnection(input());
    await service.deleteConnection({ id: saved.id });
    expect(await service.listConnections()).toEqual([]);
    expect(JSON.parse(readFileSync(service.files.secrets, 'utf8')).secrets).toEqual({});
  });

  it('refuses a malformed address and a non-token with clear messages, saving nothing', async () => {
    const service = makeService();
    await expect(service.saveConnection(input({ serverAddress: 'https://user:pw@host' }))).rejects.toThrow(/user name and password/);
    await expect(service.saveConnection(input({ apiToken: '-----BEGIN CERTIFICATE-----\nMIIB' }))).rejects.toThrow(/PEM/);
    expect(await service.listConnections()).toEqual([]);
  });
});

describe('cancelling a test', () => {
  it('cancels the running test of a connection, and says so in its report', async () => {
    const peer = await silentPeer();
    try {
      const service = makeService();
      const saved = await service.saveConnection(input({ serverAddress: peer.url }));
      const running = service.testConnection({ id: saved.id });
      await new Promise((r) => setTimeout(r, 200));
      expect(await service.cancelTest({ id: saved.id })).toEqual({ cancelled: true });
      const report = await running;
      expect(report.verdict).toBe('test-cancelled');
      expect(report.durationMs).toBeLessThan(2_000);
      expect(await service.cancelTest({ id: saved.id })).toEqual({ cancelled: false });
    } finally {
      await peer.close();
    }
  });
});

describe('trust this certificate', () => {
  it('pins the key seen in the last report, then the self-signed server passes with Verify certificate = Yes', async () => {
    const service = makeService();
    const { connection, report } = await service.saveAndTestConnection(input({ verifyCertificate: true }));
    expect(report.verdict).toBe('tls-self-signed');
    const seen = report.certificate?.spkiSha256 ?? '';
    const trusted = await service.trustCertificate({ id: connection.id, spkiSha256: seen });
    expect(trusted.report.verdict).toBe('ok');
    expect(trusted.report.tls?.trustSource).toBe('pinned certificate');
    expect(trusted.connection.pinnedSpki).toBe(seen);
    // It survives a restart, and a retest keeps passing.
    expect((await makeService().testConnection({ id: connection.id })).verdict).toBe('ok');
  });

  it('refuses to pin a key that the admin has not seen', async () => {
    const service = makeService();
    const { connection } = await service.saveAndTestConnection(input({ verifyCertificate: true }));
    await expect(service.trustCertificate({ id: connection.id, spkiSha256: `sha256/${'A'.repeat(43)}=` })).rejects.toThrow(/not the one from the last test/);
    expect((await service.listConnections())[0]?.pinnedSpki).toBeNull();
  });

  it('forgets the pin on request, and when the address changes', async () => {
    const service = makeService();
    const { connection, report } = await service.saveAndTestConnection(input({ verifyCertificate: true }));
    await service.trustCertificate({ id: connection.id, spkiSha256: report.certificate?.spkiSha256 ?? '' });
    expect((await service.forgetTrustedCertificate({ id: connection.id })).pinnedSpki).toBeNull();
    const again = await service.saveAndTestConnection({ ...input({ verifyCertificate: true, apiToken: '' }), id: connection.id });
    await service.trustCertificate({ id: connection.id, spkiSha256: again.report.certificate?.spkiSha256 ?? '' });
    // The token is entered again for the new address (else main asks first: secret-origin.test.ts).
    const moved = await service.saveConnection({ ...input({ verifyCertificate: true, serverAddress: `localhost:${harness.demo.port}` }), id: connection.id });
    expect(moved.pinnedSpki).toBeNull();
  });
});

describe('secret storage policy', () => {
  it('keeps the token in memory only where safeStorage would merely obfuscate (no keyring)', async () => {
    harness.cipher.mode = 'obfuscated';
    const service = makeService();
    const { connection, report } = await service.saveAndTestConnection(input());
    expect(connection.tokenState).toBe('session-only');
    expect(report.verdict).toBe('ok');
    expect(harness.cipher.encryptCalls).toBe(0);
    expect(harness.allWritten()).not.toContain(harness.demo.token);
    expect((await service.getStatus()).notices.join(' ')).toMatch(/no keyring/);
    expect((await service.getStatus()).secretStore).toBe('no keyring (basic_text)'); // named as the cipher names it
    // After a restart the token is gone, and the test says what to do.
    const report2 = await makeService().testConnection({ id: connection.id });
    expect(report2.verdict).toBe('no-token');
  });

  it('keeps the connection but not the token on disk where encryption is unavailable, and says so', async () => {
    harness.cipher.mode = 'unavailable';
    const service = makeService();
    const { connection, report } = await service.saveAndTestConnection(input());
    expect(connection.tokenState).toBe('session-only');
    expect(report.verdict).toBe('ok');
    expect(harness.allWritten()).not.toContain(harness.demo.token);
    expect((await service.getStatus()).notices.join(' ')).toMatch(/Secure storage is not available/);
    expect((await service.getStatus()).secretStore).toBe('memory only');
    const later = makeService();
    expect((await later.listConnections())[0]).toMatchObject({ name: 'Demo', tokenState: 'missing' });
    expect((await later.testConnection({ id: connection.id })).hint).toMatch(/Paste the API token/);
  });

  it('reports a token that can no longer be decrypted, and keeps everything else', async () => {
    const service = makeService();
    const saved = await service.saveConnection(input());
    harness.cipher.forget();
    const report = await makeService().testConnection({ id: saved.id });
    expect(report.verdict).toBe('no-token');
    expect(report.hint).toMatch(/Re-import the API token/);
    const list = await makeService().listConnections();
    expect(list[0]?.name).toBe('Demo');
  });
});

describe('store file recovery', () => {
  it('sets a corrupt connections file aside, reports it, and carries on', async () => {
    writeFileSync(path.join(harness.dir, 'connections.json'), '{"connections": [ {"id": ');
    const service = makeService();
    expect(await service.listConnections()).toEqual([]);
    const status = await service.getStatus();
    expect(status.notices.join(' ')).toMatch(/connections\.json could not be read .*not valid JSON/);
    const aside = readdirSync(harness.dir).find((f) => f.startsWith('connections.corrupt-'));
    expect(aside && readFileSync(path.join(harness.dir, aside), 'utf8')).toBe('{"connections": [ {"id": ');
    await service.saveConnection(input());
    expect(await service.listConnections()).toHaveLength(1);
  });

  it('sets aside a file whose envelope breaks the schema', async () => {
    writeFileSync(path.join(harness.dir, 'connections.json'), JSON.stringify({ schemaVersion: 2, connections: 'oops' }));
    const service = makeService();
    expect((await service.getStatus()).notices.join(' ')).toMatch(/does not match/);
    expect(await service.listConnections()).toEqual([]);
  });

  it('keeps the readable records and sets the unreadable ones aside in a file of their own', async () => {
    const saved = await makeService().saveConnection(input());
    const file = path.join(harness.dir, 'connections.json');
    const content = JSON.parse(readFileSync(file, 'utf8'));
    content.connections.push({ id: 3, name: 'hand-edited' });
    writeFileSync(file, JSON.stringify(content));
    const service = makeService();
    expect((await service.listConnections()).map((c) => c.id)).toEqual([saved.id]);
    expect((await service.getStatus()).notices.join(' ')).toMatch(/1 connection\(s\) .* could not be read and were kept in connections\.unreadable-/);
    const aside = readdirSync(harness.dir).find((f) => f.startsWith('connections.unreadable-'));
    expect(JSON.parse(readFileSync(path.join(harness.dir, aside ?? ''), 'utf8'))).toEqual([{ id: 3, name: 'hand-edited' }]);
  });
});

describe('dispatcher', () => {
  it('validates input with the contract before the service sees it', async () => {
    const dispatch = createDispatcher(makeService());
    const answer = await dispatch('saveConnection', { name: '', serverAddress: 'x', verifyCertificate: true });
    expect(answer).toEqual({ ok: false, error: { code: 'invalid-input', message: 'name: Give the connection a name.' } });
    const extra = await dispatch('saveConnection', { ...input(), admin: true });
    expect(extra.ok).toBe(false);
    expect((await dispatch('testConnection', { id: 'not-a-uuid' })).ok).toBe(false);
  });

  it.each([
    ['name', { name: 'Prod\u001b[2J' }, /^name: A name cannot contain control characters/],
    ['endpoint', { endpoint: '/api/v3/\r\nX-Injected: 1' }, /^endpoint: The endpoint cannot contain control characters/],
    ['owner', { owner: 'svc\tportal' }, /^owner: The owner cannot contain control characters/],
    ['description', { description: 'line one\u0007' }, /^description: A description cannot contain control characters such as tabs\./],
  ])('refuses control characters in the %s, with a message at the field', async (_field, more, message) => {
    const answer = await createDispatcher(makeService())('saveConnection', input(more));
    expect(answer.ok).toBe(false);
    expect(!answer.ok && answer.error.message).toMatch(message);
    expect(readdirSync(harness.dir).filter((f) => f === 'audit.log')).toEqual([]); // nothing reached the audit log
  });

  it('keeps line breaks in a description', async () => {
    const answer = await createDispatcher(makeService())('saveConnection', input({ description: 'Portal sync.\nOwner: the PAM team.' }));
    expect(answer.ok && (answer.value as { description: string }).description).toBe('Portal sync.\nOwner: the PAM team.');
  });

  it('hands the theme choice to the host (nativeTheme in the app)', async () => {
    const chosen: string[] = [];
    const dispatch = createDispatcher(harness.service({ setTheme: (theme) => chosen.push(theme) }));
    expect(await dispatch('setTheme', { theme: 'dark' })).toEqual({ ok: true, value: { theme: 'dark' } });
    expect((await dispatch('setTheme', { theme: 'purple' })).ok).toBe(false);
    expect(chosen).toEqual(['dark']);
  });

  it('refuses calls that are not in the contract', async () => {
    const dispatch = createDispatcher(makeService());
    expect(await dispatch('constructor', undefined)).toMatchObject({ ok: false, error: { code: 'unknown-call' } });
    expect(await dispatch('__proto__', undefined)).toMatchObject({ ok: false, error: { code: 'unknown-call' } });
  });

  it('never puts the token into an error answer or a log line', async () => {
    const dispatch = createDispatcher(makeService(), (l) => logs.push(l));
    const secret = 'Secret With Spaces Inside 1234';
    const answer = await dispatch('saveConnection', input({ apiToken: secret }));
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid-token' } });
    expect(JSON.stringify(answer)).not.toContain('Secret');
    harness.cipher.mode = 'unavailable';
    const ok = await dispatch('saveAndTestConnection', input());
    expect(JSON.stringify(ok)).not.toContain(harness.demo.token);
    expect(logs.join('\n')).not.toContain(harness.demo.token);
  });
});

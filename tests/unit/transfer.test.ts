// Export files from a hostile hand: changed records, crafted records, a hostile key-derivation cost,
// a cut authentication tag. An import shows what it will create before it writes anything, and
// writes all of it or nothing.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKeybridgeService, type KeybridgeService } from '../../src/main/core/service';
import { writeExport } from '../../src/main/core/transfer/export-file';
import { issueCertificate } from '../../tools/certificates';
import { startDemoKeyManager, type DemoKeyManager } from '../../tools/demo-key-manager';
import { scriptedDialogs } from '../support/scripted-dialogs';
import { TestCipher } from '../support/test-cipher';

const PASSPHRASE = 'correct horse battery';
let demo: DemoKeyManager;
let from: string;
let to: string;
let files: string;
let exported: string;
const dialogs = scriptedDialogs();

beforeAll(async () => {
  demo = await startDemoKeyManager();
});
afterAll(() => demo.close());
beforeEach(() => {
  [from, to, files] = ['from', 'to', 'files'].map((n) => mkdtempSync(path.join(os.tmpdir(), `keybridge-transfer-${n}-`))) as [string, string, string];
  exported = path.join(files, 'export.json');
});
afterEach(() => {
  for (const dir of [from, to, files]) rmSync(dir, { recursive: true, force: true });
});

const service = (dataDir: string): KeybridgeService => createKeybridgeService({ dataDir, cipher: new TestCipher(), dialogs }, { testTimeoutMs: 5_000 });

/** A workstation with two connections, exported (with tokens under the passphrase, or without). */
async function exportTwo(withSecrets: boolean): Promise<Record<string, unknown> & { connections: Record<string, unknown>[] }> {
  const s = service(from);
  await s.saveConnection({ name: 'Prod', serverAddress: demo.url, apiToken: demo.token, verifyCertificate: true });
  await s.saveConnection({ name: 'Eval', serverAddress: demo.url, apiToken: demo.token, verifyCertificate: false });
  dialogs.save = exported;
  await s.exportConnections(withSecrets ? { includeSecrets: true, passphrase: PASSPHRASE } : { includeSecrets: false });
  return JSON.parse(readFileSync(exported, 'utf8'));
}

async function preview(s: KeybridgeService, file: unknown, passphrase?: string) {
  writeFileSync(exported, typeof file === 'string' ? file : JSON.stringify(file));
  dialogs.open = exported;
  return s.previewImport(passphrase ? { passphrase } : {});
}

const nothingImported = async (s: KeybridgeService): Promise<void> => {
  expect(await s.listConnections()).toEqual([]);
  const records = path.join(to, 'connections.json');
  if (readdirSync(to).includes('connections.json')) expect(JSON.parse(readFileSync(records, 'utf8')).connections).toEqual([]);
};

describe('the records of an export are authenticated', () => {
  it.each([
    ['a server address pointed elsewhere', (f: { connections: Record<string, unknown>[] }) => (f.connections[0]!.serverAddress = 'https://collector.invalid')],
    ['verification turned off', (f: { connections: Record<string, unknown>[] }) => ((f.connections[0]!.trust as Record<string, unknown>).verifyCertificate = false)],
    ['a record removed', (f: { connections: Record<string, unknown>[] }) => f.connections.pop()],
  ])('with a passphrase: %s makes the whole file fail to open', async (_what, change) => {
    const file = await exportTwo(true);
    change(file as never);
    const s = service(to);
    await expect(preview(s, file, PASSPHRASE)).rejects.toThrow(/passphrase is wrong, or the file was changed/);
    await nothingImported(s);
  });

  it('without secrets: a changed record is refused by the checksum', async () => {
    const file = await exportTwo(false);
    file.connections[0]!.serverAddress = 'https://collector.invalid';
    const s = service(to);
    await expect(preview(s, file)).rejects.toThrow(/changed or damaged after it was written/);
    await nothingImported(s);
  });

  it('the preview shows names, addresses and protection, and writes nothing; the import writes exactly that', async () => {
    await exportTwo(true);
    const s = service(to);
    dialogs.open = exported;
    const shown = await s.previewImport({ passphrase: PASSPHRASE });
    expect(shown).toMatchObject({ protection: 'passphrase', file: exported });
    expect(shown?.connections).toMatchObject([
      { name: 'Prod', serverAddress: demo.url, exists: false, withSecret: true, customTrust: false, trust: { verifyCertificate: true, proxy: '' } },
      { name: 'Eval', serverAddress: demo.url, exists: false, withSecret: true, customTrust: true, trust: { verifyCertificate: false, proxy: '' } },
    ]);
    await nothingImported(s);
    expect(readdirSync(to).filter((f) => f !== 'connections.json' && f !== 'settings.json' && f !== 'secrets.json')).toEqual([]);
    expect(JSON.parse(readFileSync(path.join(to, 'secrets.json'), 'utf8')).secrets).toEqual({});
    expect(await s.importConnections({ previewId: shown!.previewId })).toMatchObject({ imported: 2, skipped: 0, secrets: 2 });
    expect((await s.listConnections()).map((c) => c.name)).toEqual(['Prod', 'Eval']);
    // A preview is used once.
    await expect(s.importConnections({ previewId: shown!.previewId })).rejects.toThrow(/no longer available/);
  });

  it('an export from Keybridge 0.1 (version 1) is shown as unprotected, and refused when it carries secrets', async () => {
    const file = await exportTwo(false);
    const v1 = { ...file, version: 1 };
    delete (v1 as Record<string, unknown>).checksum;
    expect((await preview(service(to), v1))?.protection).toBe('none');
    const sealed = await exportTwo(true);
    await expect(preview(service(to), { ...sealed, version: 1 }, PASSPHRASE)).rejects.toThrow(/earlier Keybridge.*Export again/);
  });
});

describe('crafted records are refused whole, before anything is written', () => {
  /** A file whose checksum is right: crafted by someone who recomputed it. */
  const crafted = async (change: (records: Record<string, unknown>[]) => void): Promise<string> => {
    const file = await exportTwo(false);
    change(file.connections);
    return writeExport(file.connections, null, null, String(file.exportedAt));
  };

  it.each([
    ['a damaged CA certificate', (r: Record<string, unknown>[]) => ((r[1]!.trust as Record<string, unknown>).extraCaPem = ['-----BEGIN CERTIFICATE-----\nMIIBdamaged\n-----END CERTIFICATE-----\n']), /trust\.extraCaPem\.0: This is not a certificate/],
    ['an id that is not a UUID', (r: Record<string, unknown>[]) => (r[1]!.id = 'not-a-uuid'), /Connection 2 .*\bid\b/],
    ['an id of "constructor"', (r: Record<string, unknown>[]) => (r[0]!.id = 'constructor'), /Connection 1 .*\bid\b/],
    ['an id of "__proto__"', (r: Record<string, unknown>[]) => (r[1]!.id = '__proto__'), /Connection 2 .*\bid\b/],
    ['a name with control characters', (r: Record<string, unknown>[]) => (r[1]!.name = 'Prod\u001b[31m'), /name: A name cannot contain control characters/],
    ['the same id twice', (r: Record<string, unknown>[]) => (r[1]!.id = r[0]!.id), /repeats an earlier connection's id/],
    ['a header name that cannot carry a key', (r: Record<string, unknown>[]) => (r[1]!.auth = { method: 'header', headerName: 'Host' }), /cannot carry an API key/],
    ['a server address that is not one', (r: Record<string, unknown>[]) => (r[1]!.serverAddress = 'https://exa mple.com'), /server address/],
  ])('%s', async (_what, change, message) => {
    const text = await crafted(change);
    const s = service(to);
    await expect(preview(s, text)).rejects.toThrow(message);
    await expect(preview(s, text)).rejects.toThrow(/Nothing was imported/);
    await nothingImported(s);
  });

  it('a damaged record already in connections.json is set aside; the list still loads', async () => {
    const s = service(from);
    const kept = await s.saveConnection({ name: 'Kept', serverAddress: demo.url, apiToken: demo.token, verifyCertificate: false });
    const broken = await s.saveConnection({ name: 'Broken', serverAddress: demo.url, apiToken: demo.token, verifyCertificate: false });
    const store = path.join(from, 'connections.json');
    const content = JSON.parse(readFileSync(store, 'utf8'));
    content.connections[1].trust.extraCaPem = ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'];
    writeFileSync(store, JSON.stringify(content));
    const reopened = service(from);
    expect((await reopened.listConnections()).map((c) => c.id)).toEqual([kept.id]);
    expect((await reopened.getStatus()).notices.join(' ')).toMatch(/1 connection\(s\) .* could not be read and were kept in connections\.unreadable-/);
    expect(readdirSync(from).some((f) => f.startsWith('connections.unreadable-') && readFileSync(path.join(from, f), 'utf8').includes(broken.id))).toBe(true);
  });

  it('a real CA certificate in an imported record is kept when the admin keeps it', async () => {
    const ca = await issueCertificate({ commonName: 'Imported CA', isCa: true });
    const text = await crafted((r) => ((r[0]!.trust as Record<string, unknown>).extraCaPem = [ca.certPem]));
    const s = service(to);
    const shown = await preview(s, text);
    await s.importConnections({ previewId: shown!.previewId, keepTrust: [shown!.connections[0]!.id] });
    expect((await s.listConnections())[0]?.extraCas[0]?.subject).toContain('Imported CA');
  });
});

describe('the key derivation and the cipher accept only what Keybridge writes', () => {
  it('a hostile scrypt cost is refused at once, without deriving a key', async () => {
    const file = await exportTwo(true);
    (file.secrets as Record<string, unknown>).N = 2 ** 20;
    (file.secrets as Record<string, unknown>).p = 4;
    const started = performance.now();
    await expect(preview(service(to), file, PASSPHRASE)).rejects.toThrow(/not written by Keybridge/);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('the key is derived without blocking: timers keep running meanwhile', async () => {
    await exportTwo(true);
    dialogs.open = exported;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const started = performance.now();
    await service(to).previewImport({ passphrase: PASSPHRASE });
    const elapsed = performance.now() - started;
    clearInterval(timer);
    // scryptSync would freeze the event loop for the whole derivation (no tick at all).
    expect(ticks).toBeGreaterThan(Math.min(5, elapsed / 20));
  });

  it('an authentication tag cut short is refused', async () => {
    const file = await exportTwo(true);
    const secrets = file.secrets as Record<string, string>;
    secrets.tag = Buffer.from(secrets.tag!, 'base64').subarray(0, 4).toString('base64');
    await expect(preview(service(to), file, PASSPHRASE)).rejects.toThrow(/not written by Keybridge/);
  });
});

describe('a preview expires on the service clock', () => {
  it('ten minutes after it was shown by the injected clock, importing it is refused and writes nothing', async () => {
    await exportTwo(false);
    let now = Date.parse('2031-03-01T09:00:00Z');
    const s = createKeybridgeService({ dataDir: to, cipher: new TestCipher(), dialogs, now: () => new Date(now) }, { testTimeoutMs: 5_000 });
    dialogs.open = exported;
    const shown = await s.previewImport({});
    // Eleven minutes on the service's clock; the wall clock has barely moved.
    now += 11 * 60 * 1000;
    await expect(s.importConnections({ previewId: shown!.previewId })).rejects.toThrow(/no longer available/);
    await nothingImported(s);
  });

  it('within ten minutes of the injected clock, the preview imports', async () => {
    await exportTwo(false);
    let now = Date.parse('2031-03-01T09:00:00Z');
    const s = createKeybridgeService({ dataDir: to, cipher: new TestCipher(), dialogs, now: () => new Date(now) }, { testTimeoutMs: 5_000 });
    dialogs.open = exported;
    const shown = await s.previewImport({});
    now += 9 * 60 * 1000;
    expect(await s.importConnections({ previewId: shown!.previewId })).toMatchObject({ imported: 2 });
  });
});

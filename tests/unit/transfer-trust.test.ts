// What an imported connection trusts. A checksum proves no author: whoever edits an export without a
// passphrase and recomputes the checksum could add their proxy, pin their own key or add their CA
// beside an address the admin knows. So the preview shows, per connection, everything that decides
// where the secret goes and what is trusted, and such a file imports those settings only where the
// admin keeps them; a file authenticated by its passphrase brings them as they are.
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/main/core/dispatch';
import { createKeybridgeService, type KeybridgeService } from '../../src/main/core/service';
import { writeExport } from '../../src/main/core/transfer/export-file';
import { issueCertificate, type Issued } from '../../tools/certificates';
import { startDemoKeyManager, type DemoKeyManager } from '../../tools/demo-key-manager';
import { scriptedDialogs } from '../support/scripted-dialogs';
import { TestCipher } from '../support/test-cipher';

const PASSPHRASE = 'correct horse battery';
const PIN = `sha256/${createHash('sha256').update('the attacker key').digest('base64')}`;
const PROXY = 'http://127.0.0.1:3128';
let demo: DemoKeyManager;
let ca: Issued;
let from: string;
let to: string;
let files: string;
let exported: string;
const dialogs = scriptedDialogs();

beforeAll(async () => {
  demo = await startDemoKeyManager();
  ca = await issueCertificate({ commonName: 'Collector CA', isCa: true });
});
afterAll(() => demo.close());
beforeEach(() => {
  [from, to, files] = ['from', 'to', 'files'].map((n) => mkdtempSync(path.join(os.tmpdir(), `keybridge-transfer-trust-${n}-`))) as [string, string, string];
  exported = path.join(files, 'export.json');
});
afterEach(() => {
  for (const dir of [from, to, files]) rmSync(dir, { recursive: true, force: true });
});

const service = (dataDir: string): KeybridgeService => createKeybridgeService({ dataDir, cipher: new TestCipher(), dialogs }, { testTimeoutMs: 5_000 });

type Records = Record<string, unknown>[];

/** Two connections, exported; then the first is given every trust setting, the second none. */
async function exportWithTrust(): Promise<{ records: Records; exportedAt: string; ids: string[] }> {
  const s = service(from);
  await s.saveConnection({ name: 'Prod', serverAddress: demo.url, apiToken: demo.token, verifyCertificate: true });
  await s.saveConnection({ name: 'Plain', serverAddress: demo.url, apiToken: demo.token, verifyCertificate: true });
  dialogs.save = exported;
  await s.exportConnections({ includeSecrets: false });
  const file = JSON.parse(readFileSync(exported, 'utf8'));
  const records = file.connections as Records;
  const first = records[0]!;
  first.trust = { verifyCertificate: false, pinnedSpki: PIN, extraCaPem: [ca.certPem], useSystemCa: true };
  first.proxy = PROXY;
  first.clientCertificate = { subject: 'CN=portal-client', validTo: '2030-01-01T00:00:00.000Z', format: 'pem' };
  return { records, exportedAt: String(file.exportedAt), ids: records.map((r) => String(r.id)) };
}

/** Without a passphrase: the checksum recomputed by whoever changed the records. */
async function checksumOnly(): Promise<{ text: string; ids: string[] }> {
  const { records, exportedAt, ids } = await exportWithTrust();
  return { text: await writeExport(records, null, null, exportedAt), ids };
}

async function preview(s: KeybridgeService, text: string, passphrase?: string) {
  writeFileSync(exported, text);
  dialogs.open = exported;
  const shown = await s.previewImport(passphrase ? { passphrase } : {});
  if (!shown) throw new Error('the dialog was cancelled');
  return shown;
}

const SAFE = { verifyCertificate: true, pinnedSpki: null, extraCas: [], useSystemCa: false, clientCertificate: null, proxy: '' };

describe('the preview shows what decides where each secret goes and what is trusted', () => {
  it('verify, pin, CA certificates (subject and SHA-256), OS store, client certificate, proxy, authentication and path', async () => {
    const { text, ids } = await checksumOnly();
    const shown = await preview(service(to), text);
    expect(shown.protection).toBe('checksum');
    expect(shown.connections[0]).toEqual({
      id: ids[0],
      name: 'Prod',
      serverAddress: demo.url,
      exists: false,
      withSecret: false,
      product: 'PrivX Key Manager',
      authMethod: 'bearer',
      authIdentity: null,
      endpoint: '/api/v3/',
      customTrust: true,
      trust: {
        verifyCertificate: false,
        pinnedSpki: PIN,
        extraCas: [{ subject: expect.stringContaining('Collector CA'), sha256: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/) }],
        useSystemCa: true,
        clientCertificate: { subject: 'CN=portal-client' },
        proxy: PROXY,
      },
    });
    expect(shown.connections[1]).toMatchObject({ id: ids[1], name: 'Plain', customTrust: false, trust: SAFE });
  });
});

describe('a file without a passphrase brings no trust settings the admin did not keep', () => {
  it('checksum only, verify off + pin + CA + OS store + proxy: imported with the safe defaults, and the audit says what was dropped', async () => {
    const { text, ids } = await checksumOnly();
    const s = service(to);
    const shown = await preview(s, text);
    expect(await s.importConnections({ previewId: shown.previewId })).toMatchObject({ imported: 2, trustKept: 0, trustReset: 1 });
    const [prod, plain] = await s.listConnections();
    expect(prod).toMatchObject({ id: ids[0], serverAddress: demo.url, verifyCertificate: true, pinnedSpki: null, extraCas: [], useSystemCa: false, clientCertificate: null, proxy: '' });
    expect(plain).toMatchObject({ id: ids[1], verifyCertificate: true, pinnedSpki: null, proxy: '' });
    const created = await s.listAudit({ action: 'connection-created' });
    const detail = created.find((e) => e.connectionId === ids[0])?.detail ?? '';
    expect(detail).toMatch(/not kept/);
    expect(detail).toContain('Verify certificate No');
    expect(detail).toContain(PIN);
    expect(detail).toContain('1 CA certificate(s)');
    expect(detail).toContain(`proxy ${PROXY}`);
    expect(created.find((e) => e.connectionId === ids[1])?.detail).toBe('imported');
    expect((await s.listAudit({ action: 'connections-imported' }))[0]?.detail).toMatch(/kept for 0, set to the safe defaults for 1/);
  });

  it('an export from Keybridge 0.1 (not protected at all) gets the safe defaults too', async () => {
    const { records, exportedAt } = await exportWithTrust();
    const s = service(to);
    const shown = await preview(s, JSON.stringify({ format: 'keybridge-connections', version: 1, exportedAt, connections: records, secrets: null }));
    expect(shown.protection).toBe('none');
    await s.importConnections({ previewId: shown.previewId });
    expect((await s.listConnections())[0]).toMatchObject({ verifyCertificate: true, pinnedSpki: null, extraCas: [], proxy: '' });
  });

  it('kept, connection by connection, when the admin asks (the client certificate never: its key did not travel)', async () => {
    const { text, ids } = await checksumOnly();
    const s = service(to);
    const shown = await preview(s, text);
    expect(await s.importConnections({ previewId: shown.previewId, keepTrust: [ids[0]!] })).toMatchObject({ imported: 2, trustKept: 1, trustReset: 0 });
    const [prod] = await s.listConnections();
    expect(prod).toMatchObject({ verifyCertificate: false, pinnedSpki: PIN, useSystemCa: true, clientCertificate: null, proxy: PROXY });
    expect(prod?.extraCas.map((c) => c.subject).join()).toContain('Collector CA');
    expect((await s.listAudit({ action: 'connection-created' })).find((e) => e.connectionId === ids[0])?.detail).toMatch(/trust settings kept \(.*\), by the admin/);
  });

  it('an id that is not in this preview is refused, and nothing is imported; the preview can still be used', async () => {
    const { text, ids } = await checksumOnly();
    const s = service(to);
    const shown = await preview(s, text);
    const stranger = '8f14e45f-ceea-467f-a0e6-5f3c1f7e0c11';
    await expect(s.importConnections({ previewId: shown.previewId, keepTrust: [ids[0]!, stranger] })).rejects.toMatchObject({ code: 'invalid-input' });
    expect(await s.listConnections()).toEqual([]);
    // An id shown by another preview (another file) is not this preview's either.
    const { records, exportedAt } = await exportWithTrust();
    for (const record of records) record.id = randomUUID();
    const other = await preview(s, await writeExport(records, null, null, exportedAt));
    await expect(s.importConnections({ previewId: shown.previewId, keepTrust: [other.connections[0]!.id] })).rejects.toMatchObject({ code: 'invalid-input' });
    expect(await s.listConnections()).toEqual([]);
    expect(await s.importConnections({ previewId: shown.previewId })).toMatchObject({ imported: 2, trustReset: 1 });
    expect((await s.listConnections())[0]).toMatchObject({ verifyCertificate: true, proxy: '' });
  });
});

describe('keepTrust through the contract', () => {
  it('is validated with zod before the service sees it: ids only, no other fields', async () => {
    const { text, ids } = await checksumOnly();
    const s = service(to);
    const shown = await preview(s, text);
    const dispatch = createDispatcher(s);
    for (const keepTrust of [['not-a-uuid'], ids[0], [1]]) {
      expect(await dispatch('importConnections', { previewId: shown.previewId, keepTrust })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    }
    expect(await dispatch('importConnections', { previewId: shown.previewId, keepTrust: [], trust: 'all' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await s.listConnections()).toEqual([]);
    expect(await dispatch('importConnections', { previewId: shown.previewId, keepTrust: [ids[0]] })).toMatchObject({ ok: true, value: { trustKept: 1 } });
  });
});

describe('a file authenticated by its passphrase brings its trust settings as they are', () => {
  it('shown in the preview, imported without keepTrust', async () => {
    const { records, exportedAt, ids } = await exportWithTrust();
    const text = await writeExport(records, new Map(ids.map((id) => [id, demo.token])), PASSPHRASE, exportedAt);
    const s = service(to);
    const shown = await preview(s, text, PASSPHRASE);
    expect(shown.protection).toBe('passphrase');
    expect(shown.connections[0]).toMatchObject({ customTrust: true, withSecret: true, trust: { verifyCertificate: false, pinnedSpki: PIN, proxy: PROXY } });
    expect(JSON.stringify(shown)).not.toContain(demo.token);
    expect(await s.importConnections({ previewId: shown.previewId })).toMatchObject({ imported: 2, secrets: 2, trustKept: 1, trustReset: 0 });
    const [prod] = await s.listConnections();
    expect(prod).toMatchObject({ verifyCertificate: false, pinnedSpki: PIN, useSystemCa: true, clientCertificate: null, proxy: PROXY });
    expect(prod?.extraCas).toHaveLength(1);
    expect((await s.listAudit({ action: 'connection-created' })).find((e) => e.connectionId === ids[0])?.detail).toMatch(/kept .*authenticated by the passphrase/);
  });
});

describe('an imported address is previewed and stored as it is reached (second review)', () => {
  it('a look-alike host shows as its punycode, an odd IPv4 spelling as the address reached', async () => {
    const { records, exportedAt } = await exportWithTrust();
    records[0]!.serverAddress = 'https://k\u0435ymanager.example.com';
    records[1]!.serverAddress = 'https://0x7f.1:8443/api/../x';
    const s = service(to);
    const shown = await preview(s, await writeExport(records, null, null, exportedAt));
    expect(shown.connections.map((c) => c.serverAddress)).toEqual(['https://xn--kymanager-g0h.example.com', 'https://127.0.0.1:8443/x']);
    await s.importConnections({ previewId: shown.previewId });
    expect((await s.listConnections()).map((c) => c.serverAddress).sort()).toEqual(['https://127.0.0.1:8443/x', 'https://xn--kymanager-g0h.example.com']);
  });
});

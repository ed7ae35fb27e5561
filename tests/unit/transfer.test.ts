// Export files from a hostile hand: changed records, crafted records, a hostile key-derivation cost,
// a cut authentication tag, a changed schema version, a file from a newer Keybridge. An import shows
// what it will create before it writes anything, and writes all of it or nothing; files written by
// earlier Keybridge import as they always did.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKeybridgeService, type KeybridgeService } from '../../src/main/core/service';
import { CONNECTIONS_SCHEMA_VERSION } from '../../src/main/core/store/connection-record';
import { EXPORT_VERSION, writeExport } from '../../src/main/core/transfer/export-file';
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

type ExportJson = Record<string, unknown>;

describe('an export says the schema version of its records; its checksum or passphrase covers it', () => {
  it.each([false, true])('a new export (secrets: %s) is export format 3 with schemaVersion, and imports', async (withSecrets) => {
    const file = await exportTwo(withSecrets);
    expect(file).toMatchObject({ format: 'keybridge-connections', version: 3, schemaVersion: CONNECTIONS_SCHEMA_VERSION });
    expect(EXPORT_VERSION).toBe(3);
    const shown = await preview(service(to), file, withSecrets ? PASSPHRASE : undefined);
    expect(shown).toMatchObject({ protection: withSecrets ? 'passphrase' : 'checksum', connections: [{ name: 'Prod' }, { name: 'Eval' }] });
  });

  it.each([
    ['lowered (to run migrations over current records)', (f: ExportJson) => (f.schemaVersion = 1)],
    ['raised past this Keybridge', (f: ExportJson) => (f.schemaVersion = CONNECTIONS_SCHEMA_VERSION + 1)],
    ['removed, the file passed off as version 2', (f: ExportJson) => {
      delete f.schemaVersion;
      f.version = 2;
    }],
  ])('a schemaVersion %s is a changed file, refused by the checksum and by the passphrase', async (_what, change) => {
    const s = service(to);
    const plain = await exportTwo(false);
    change(plain);
    await expect(preview(s, plain)).rejects.toMatchObject({ code: 'changed-export-file' });
    const sealed = await exportTwo(true);
    change(sealed);
    await expect(preview(s, sealed, PASSPHRASE)).rejects.toMatchObject({ code: 'wrong-passphrase', message: expect.stringMatching(/passphrase is wrong, or the file was changed/) });
    await nothingImported(s);
  });
});

describe('an export from a newer Keybridge is refused with what to do, and loses nothing', () => {
  const newerSchema = CONNECTIONS_SCHEMA_VERSION + 1;
  const updateMessage = (what: string, known: number): RegExp =>
    new RegExp(`^This export was written by a newer Keybridge \\(${what}; this Keybridge reads up to ${known}\\)\\. Update Keybridge to import it\\. Nothing was imported\\.$`);

  it('records from a newer schema, without secrets', async () => {
    const file = await exportTwo(false);
    const text = await writeExport(file.connections, null, null, String(file.exportedAt), newerSchema);
    const s = service(to);
    await expect(preview(s, text)).rejects.toMatchObject({ code: 'newer-export-file', message: expect.stringMatching(updateMessage(`connections format ${newerSchema}`, CONNECTIONS_SCHEMA_VERSION)) });
    await nothingImported(s);
    expect(readFileSync(exported, 'utf8')).toBe(text);
    expect((await s.listAudit({ action: 'connections-imported' }))[0]).toMatchObject({ outcome: 'failure', detail: 'export.json: newer-export-file' });
  });

  it('records from a newer schema, with secrets: asked for the passphrase first (nothing is believed unverified), then refused', async () => {
    const file = await exportTwo(true);
    const secrets = new Map(file.connections.map((r) => [String(r.id), demo.token]));
    const text = await writeExport(file.connections, secrets, PASSPHRASE, String(file.exportedAt), newerSchema);
    const s = service(to);
    await expect(preview(s, text)).rejects.toMatchObject({ code: 'passphrase-required' });
    await expect(preview(s, text, PASSPHRASE)).rejects.toMatchObject({ code: 'newer-export-file', message: expect.stringMatching(/Update Keybridge/) });
    await nothingImported(s);
  });

  it('a newer export format', async () => {
    const file = await exportTwo(false);
    const s = service(to);
    await expect(preview(s, { ...file, version: EXPORT_VERSION + 1 })).rejects.toMatchObject({
      code: 'newer-export-file',
      message: expect.stringMatching(updateMessage(`export format ${EXPORT_VERSION + 1}`, EXPORT_VERSION)),
    });
    await nothingImported(s);
  });
});

// Files as earlier Keybridge wrote them (minified): 0.1 wrote export version 1; later ones version 2,
// first with records at schema 2 (before connections named their product), then at schema 3. None
// says its schema version. The tokens in the sealed ones are "fixture-token-pkm-0123456789" and
// "fixture-token-pmp-0123456789", under the passphrase PASSPHRASE.
const RECORDS_0_1 = '[{"id":"942fc23f-75e8-4e5c-a668-735f9effeb7c","name":"PKM","description":"","serverAddress":"https://pkm.example.com","auth":{"method":"bearer"},"endpoint":null,"trust":{"verifyCertificate":true,"pinnedSpki":null},"token":{"hint":"••••6789","owner":"svc_portal","keyName":"","createdOn":null,"expiresOn":null,"boundHost":""},"enabled":true,"createdAt":"2026-11-23T09:00:01.000Z","updatedAt":"2026-11-23T09:00:01.000Z","lastTestedAt":null,"lastSuccessAt":null,"lastTest":null},{"id":"1fcd84f7-0875-417d-aa50-c7bd9b3aeef5","name":"PMP","description":"","serverAddress":"https://pmp.example.com:7272","auth":{"method":"header","headerName":"AUTHTOKEN"},"endpoint":"/restapi/json/v1/resources","trust":{"verifyCertificate":false,"pinnedSpki":null},"token":{"hint":"••••6789","owner":"","keyName":"","createdOn":null,"expiresOn":null,"boundHost":""},"enabled":true,"createdAt":"2026-11-23T09:00:05.000Z","updatedAt":"2026-11-23T09:00:05.000Z","lastTestedAt":null,"lastSuccessAt":null,"lastTest":null}]';
const RECORDS_SCHEMA_2 = '[{"id":"0ec997ad-25e5-4759-8fda-2670d1257a11","name":"PKM","description":"","serverAddress":"https://pkm.example.com","auth":{"method":"bearer"},"endpoint":null,"trust":{"verifyCertificate":true,"pinnedSpki":null,"extraCaPem":[],"useSystemCa":false},"clientCertificate":null,"proxy":"","token":{"hint":"••••6789","owner":"svc_portal","keyName":"","createdOn":null,"expiresOn":null,"boundHost":""},"enabled":true,"createdAt":"2026-12-01T09:00:02.000Z","updatedAt":"2026-12-01T09:00:02.000Z","lastTestedAt":null,"lastSuccessAt":null,"lastTest":null},{"id":"71cce417-b6e5-4ce7-baa8-dbd6564b66ba","name":"PMP","description":"","serverAddress":"https://pmp.example.com:7272","auth":{"method":"header","headerName":"AUTHTOKEN"},"endpoint":"/restapi/json/v1/resources","trust":{"verifyCertificate":false,"pinnedSpki":null,"extraCaPem":[],"useSystemCa":false},"clientCertificate":null,"proxy":"","token":{"hint":"••••6789","owner":"","keyName":"","createdOn":null,"expiresOn":null,"boundHost":""},"enabled":true,"createdAt":"2026-12-01T09:00:06.000Z","updatedAt":"2026-12-01T09:00:06.000Z","lastTestedAt":null,"lastSuccessAt":null,"lastTest":null}]';
const RECORDS_SCHEMA_3 = '[{"id":"d0fdc517-6a84-4abb-881d-d430b8add8b6","name":"PKM","description":"","serverAddress":"https://pkm.example.com","preset":"privx","auth":{"method":"bearer"},"endpoint":null,"successRule":null,"trust":{"verifyCertificate":true,"pinnedSpki":null,"extraCaPem":[],"useSystemCa":false},"clientCertificate":null,"proxy":"","token":{"hint":"••••6789","owner":"svc_portal","keyName":"","createdOn":null,"expiresOn":null,"boundHost":""},"enabled":true,"createdAt":"2026-12-01T09:00:02.000Z","updatedAt":"2026-12-01T09:00:02.000Z","lastTestedAt":null,"lastSuccessAt":null,"lastTest":null},{"id":"348c663c-142b-4149-8a4d-11a3157eafef","name":"PMP","description":"","serverAddress":"https://pmp.example.com:7272","preset":"manageengine-pmp","auth":{"method":"header","headerName":"AUTHTOKEN"},"endpoint":"/restapi/json/v1/resources","successRule":null,"trust":{"verifyCertificate":false,"pinnedSpki":null,"extraCaPem":[],"useSystemCa":false},"clientCertificate":null,"proxy":"","token":{"hint":"••••6789","owner":"","keyName":"","createdOn":null,"expiresOn":null,"boundHost":""},"enabled":true,"createdAt":"2026-12-01T09:00:06.000Z","updatedAt":"2026-12-01T09:00:06.000Z","lastTestedAt":null,"lastSuccessAt":null,"lastTest":null}]';
const legacyFile = (version: number, exportedAt: string, records: string, protection: string): string =>
  `{"format":"keybridge-connections","version":${version},"exportedAt":"${exportedAt}","connections":${records},${protection}}`;
const CHECKSUM_SCHEMA_2 = '"secrets":null,"checksum":{"algorithm":"sha256","value":"677a7a8e1362b523c86f2d405eb7f7edb48dc4f1c516718ab16234e134406dc4"}';
const SEALED_SCHEMA_2 =
  '"secrets":{"kdf":"scrypt","N":32768,"r":8,"p":1,"salt":"5qmnkpWx/52uVu4nOh39Hw==","cipher":"aes-256-gcm","iv":"GFtMaHBChmdN6bQ1","tag":"18Jz2C0MtfiWXdSnGfmf9g==","data":"SbnyJmRMgZPFIxq1YBdiTWZuy+SvjWPrNE/mbGOf+wQXRQIUkIkfjAwiApxon5AU7cJ40hoclk7rpWJoPehf+b5zhxDXZiMHgx9gBljwkMsEnbU5M0KtrVAc9vB9Nz+mNY+WHjRHCMrzt24zkrzATpEg0NaGdEYkwXM6wLE2Q5RjzyDcTCTgUW/PWDSJ"},"checksum":null';
const CHECKSUM_SCHEMA_3 = '"secrets":null,"checksum":{"algorithm":"sha256","value":"3f9b6cec2215a633d36b8a1c1db3e051a1a03d90ceef1f570c21f563b66fbf1d"}';
const SEALED_SCHEMA_3 =
  '"secrets":{"kdf":"scrypt","N":32768,"r":8,"p":1,"salt":"Q5KpSn28jIZV2zC20OaMZg==","cipher":"aes-256-gcm","iv":"Lfl6/Ce5XjC8jTMv","tag":"vgzvvunOfmGsLNOskfkp9Q==","data":"qi2q/DdvDlZrJUN9Yh2qxgS5zRo3qLuCaLhSsVJt7YErWYe5pjn981iV1etjZxUVAgeSI2pe1P1QJCaK5f4c+BcHCBRtc8g+89Xqz6jjWlwb10LaD3xKpWFbqbiP9+QXlmRX3Cu8BvHxMuQfHsf4VMyBaxtIHBuGZg9otzlnGkz54ImRHpGPklLPOPtz"},"checksum":null';

describe('exports written by earlier Keybridge import as they always did', () => {
  const PMP = 'ManageEngine Password Manager Pro';
  it.each([
    ['0.1 (export version 1)', legacyFile(1, '2026-11-23T09:00:10.000Z', RECORDS_0_1, '"secrets":null'), 'none', ['privx', 'generic'], 'Other REST API'],
    ['version 2, schema 2 records, checksum', legacyFile(2, '2026-12-01T09:00:11.000Z', RECORDS_SCHEMA_2, CHECKSUM_SCHEMA_2), 'checksum', ['privx', 'generic'], 'Other REST API'],
    ['version 2, schema 2 records, passphrase', legacyFile(2, '2026-12-01T09:00:14.000Z', RECORDS_SCHEMA_2, SEALED_SCHEMA_2), 'passphrase', ['privx', 'generic'], 'Other REST API'],
    ['version 2, schema 3 records, checksum', legacyFile(2, '2026-12-01T09:00:11.000Z', RECORDS_SCHEMA_3, CHECKSUM_SCHEMA_3), 'checksum', ['privx', 'manageengine-pmp'], PMP],
    ['version 2, schema 3 records, passphrase', legacyFile(2, '2026-12-01T09:00:14.000Z', RECORDS_SCHEMA_3, SEALED_SCHEMA_3), 'passphrase', ['privx', 'manageengine-pmp'], PMP],
  ])('%s', async (_what, text, protection, presets, pmpProduct) => {
    expect(JSON.parse(text)).not.toHaveProperty('schemaVersion');
    const sealed = protection === 'passphrase';
    const s = service(to);
    const shown = await preview(s, text, sealed ? PASSPHRASE : undefined);
    expect(shown).toMatchObject({
      protection,
      connections: [
        { name: 'PKM', product: 'PrivX Key Manager', authMethod: 'bearer', endpoint: '/api/v3/', withSecret: sealed, customTrust: false },
        { name: 'PMP', product: pmpProduct, authMethod: 'header', authIdentity: 'AUTHTOKEN', endpoint: '/restapi/json/v1/resources', withSecret: sealed, customTrust: true },
      ],
    });
    expect(await s.importConnections({ previewId: shown!.previewId })).toMatchObject({ imported: 2, secrets: sealed ? 2 : 0, trustKept: sealed ? 1 : 0, trustReset: sealed ? 0 : 1 });
    const list = await s.listConnections();
    expect(list.map((c) => c.preset)).toEqual(presets);
    expect(list).toMatchObject([
      { name: 'PKM', serverAddress: 'https://pkm.example.com', owner: 'svc_portal', verifyCertificate: true, tokenState: sealed ? 'saved' : 'missing', tokenHint: sealed ? '••••6789' : null },
      { name: 'PMP', serverAddress: 'https://pmp.example.com:7272', verifyCertificate: !sealed, tokenState: sealed ? 'saved' : 'missing' },
    ]);
  });
});

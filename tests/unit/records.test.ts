// Connection records and credentials: key file import, lifecycle (disable, renew,
// rotate, delete), expiry warnings, the audit log, export/import between workstations, and a scan
// proving no secret reaches any file Keybridge writes.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditToCsv, AuditLog } from '../../src/main/core/audit/audit-log';
import { createKeybridgeService, expiryOf, type KeybridgeService } from '../../src/main/core/service';
import { startDemoKeyManager, type DemoKeyManager } from '../../tools/demo-key-manager';
import { useServiceHarness } from '../support/service-harness';
import { TestCipher } from '../support/test-cipher';

let demo: DemoKeyManager;
const harness = useServiceHarness();
const { dialogs, service } = harness;

beforeAll(async () => {
  demo = await startDemoKeyManager();
});
afterAll(() => demo.close());

const base = { name: 'Demo', serverAddress: '', verifyCertificate: false };
const withDemo = (more: Record<string, unknown> = {}) => ({ ...base, serverAddress: demo.url, ...more });
const allWritten = harness.allWritten;

describe('key file import', () => {
  it('imports a token file in main: the window gets a hint, the save uses it once', async () => {
    const file = path.join(harness.files, 'APIKey-portal-2026-10-30.key');
    writeFileSync(file, `${demo.token}\n`);
    dialogs.open = file;
    const s = service();
    const imported = await s.importTokenFile();
    expect(imported).toMatchObject({ kind: 'token', fileName: 'APIKey-portal-2026-10-30.key', keyName: 'portal', createdOn: '2026-10-30', hint: `••••${demo.token.slice(-4)}` });
    expect(JSON.stringify(imported)).not.toContain(demo.token);
    const { connection, report } = await s.saveAndTestConnection(withDemo({ tokenImportId: imported?.importId }));
    expect(report.verdict).toBe('ok');
    expect(connection).toMatchObject({ keyName: 'portal', createdOn: '2026-10-30', tokenState: 'saved' });
    await expect(s.saveConnection(withDemo({ tokenImportId: imported?.importId }))).rejects.toThrow(/no longer available/);
  });

  it('refuses an odd file with its name and the reason, never its content', async () => {
    const file = path.join(harness.files, 'download.html');
    writeFileSync(file, '<!DOCTYPE html><html><body>SecretLookingThing</body></html>');
    dialogs.open = file;
    await expect(service().importTokenFile()).rejects.toThrow(/download\.html: The file is an HTML page/);
    dialogs.open = null;
    expect(await service().importTokenFile()).toBeNull();
  });

  it('imports a Passportal key pair as access key ID + secret', async () => {
    const s = service();
    const imported = await s.importTokenText({ fileName: 'passportal.txt', text: 'Access key ID: AKID-7\nSecret access key: PpSecretPpSecretPp\n' });
    expect(imported).toMatchObject({ kind: 'access-key-pair', accessKeyId: 'AKID-7' });
    const saved = await s.saveConnection({ ...base, serverAddress: 'pp.example.com', tokenImportId: imported.importId });
    expect(saved).toMatchObject({ authMethod: 'passportal-hmac', authIdentity: 'AKID-7', tokenHint: '••••etPp' });
  });
});

describe('lifecycle', () => {
  it('a disabled connection is never used, and keeps its secret', async () => {
    const s = service();
    const saved = await s.saveConnection(withDemo({ apiToken: demo.token }));
    const disabled = await s.setConnectionEnabled({ id: saved.id, enabled: false });
    expect(disabled.enabled).toBe(false);
    await expect(s.testConnection({ id: saved.id })).rejects.toThrow(/disabled/);
    expect(disabled.tokenState).toBe('saved');
    await s.setConnectionEnabled({ id: saved.id, enabled: true });
    expect((await s.testConnection({ id: saved.id })).verdict).toBe('ok');
  });

  it('renews: a new expiry date, with warnings from 14 days before and on expiry', async () => {
    const s = service('2026-11-23T12:00:00Z');
    const saved = await s.saveConnection(withDemo({ apiToken: demo.token, expiresOn: '2026-12-01' }));
    expect(saved.expiry).toBe('expiring');
    const renewed = await s.saveConnection({ ...withDemo({ expiresOn: '2027-11-23' }), id: saved.id });
    expect(renewed.expiry).toBe('valid');
    expect(expiryOf('2026-11-23', new Date('2026-11-23T08:00:00Z'))).toBe('expired');
    expect(expiryOf('2026-12-07', new Date('2026-11-23T08:00:00Z'))).toBe('expiring');
    expect(expiryOf('2026-12-08', new Date('2026-11-23T08:00:00Z'))).toBe('valid');
    expect(expiryOf(null, new Date())).toBe('none');
  });

  it('rotates only to a token that passes the test; otherwise keeps the old one and says why', async () => {
    const s = service();
    const saved = await s.saveConnection(withDemo({ apiToken: demo.token }));
    const refused = await s.rotateToken({ id: saved.id, apiToken: 'NotTheRightTokenNotTheRight' });
    expect(refused.rotated).toBe(false);
    expect(refused.report.verdict).toBe('http-unauthorized');
    expect(refused.connection.tokenHint).toBe(saved.tokenHint);
    expect((await s.testConnection({ id: saved.id })).verdict).toBe('ok');
    // The demo accepts only its own token, so "rotating" to it again is the passing case.
    const rotated = await s.rotateToken({ id: saved.id, apiToken: demo.token });
    expect(rotated.rotated).toBe(true);
    expect(rotated.connection.lastSuccessAt).not.toBeNull();
  });
});

describe('audit log', () => {
  it('records every change and test with time, OS user, action, connection and outcome, never a secret', async () => {
    const s = service();
    const saved = await s.saveConnection(withDemo({ apiToken: demo.token }));
    await s.testConnection({ id: saved.id });
    await s.rotateToken({ id: saved.id, apiToken: 'NotTheRightTokenNotTheRight' });
    await s.setConnectionEnabled({ id: saved.id, enabled: false });
    await s.deleteConnection({ id: saved.id });
    const entries = await s.listAudit({});
    expect(entries.map((e) => e.action)).toEqual([
      'connection-deleted',
      'connection-disabled',
      'token-rotation-refused',
      'connection-tested',
      'token-imported',
      'connection-created',
    ]);
    expect(entries[0]).toMatchObject({ connectionId: saved.id, connectionName: 'Demo', outcome: 'success', user: os.userInfo().username });
    expect(entries.find((e) => e.action === 'token-rotation-refused')).toMatchObject({ outcome: 'failure', detail: 'http-unauthorized' });
    expect(await s.listAudit({ outcome: 'failure' })).toHaveLength(1);
    expect(await s.listAudit({ action: 'connection-tested' })).toHaveLength(1);
    const log = readFileSync(s.files.audit, 'utf8');
    expect(log).not.toContain(demo.token);
    expect(log).not.toContain('NotTheRightToken');
  });

  it('rotates its file when it grows past the bound, and still answers queries across files', () => {
    const log = new AuditLog(harness.dir, () => new Date(), 2_000);
    for (let i = 0; i < 100; i++) log.append({ action: 'connection-tested', outcome: 'success', connectionName: `c${i}` });
    const names = readdirSync(harness.dir).filter((f) => f.startsWith('audit')).sort();
    expect(names).toEqual(['audit.1.log', 'audit.2.log', 'audit.3.log', 'audit.log']);
    for (const name of names) expect(readFileSync(path.join(harness.dir, name)).length).toBeLessThanOrEqual(2_000);
    const entries = log.query({ limit: 1000 });
    expect(entries[0]?.connectionName).toBe('c99');
    expect(entries.length).toBeLessThan(100);
  });

  it('exports CSV (quoted, formulas neutralised) and JSON', async () => {
    const csv = auditToCsv([{ time: 't', user: 'u', action: 'connection-created', connectionName: '=HYPERLINK("x")', outcome: 'success' }]);
    expect(csv.split('\r\n')[1]).toBe('"t","u","connection-created","","\'=HYPERLINK(""x"")","success",""');
    const s = service();
    await s.saveConnection(withDemo({ apiToken: demo.token }));
    dialogs.save = path.join(harness.files, 'audit.json');
    expect(await s.exportAudit({ format: 'json' })).toMatchObject({ count: 2 });
    expect(JSON.parse(readFileSync(dialogs.save, 'utf8'))[0].action).toBe('connection-created');
  });
});

/** The window's two steps: preview (read, verify, list what it would create), then import exactly that. */
async function importExport(s: KeybridgeService, passphrase?: string) {
  const preview = await s.previewImport(passphrase ? { passphrase } : {});
  if (!preview) throw new Error('the dialog was cancelled');
  return s.importConnections({ previewId: preview.previewId });
}

describe('export and import between workstations', () => {
  it('exports without secrets by default; importing elsewhere asks for the token', async () => {
    const s = service();
    const saved = await s.saveConnection(withDemo({ apiToken: demo.token, owner: 'svc_portal' }));
    dialogs.save = path.join(harness.files, 'plain.json');
    expect(await s.exportConnections({ includeSecrets: false })).toMatchObject({ count: 1, withSecrets: false });
    expect(readFileSync(dialogs.save, 'utf8')).not.toContain(demo.token);

    const otherDir = mkdtempSync(path.join(os.tmpdir(), 'keybridge-other-'));
    try {
      const other = createKeybridgeService({ dataDir: otherDir, cipher: new TestCipher(), dialogs });
      dialogs.open = dialogs.save;
      expect(await importExport(other)).toMatchObject({ imported: 1, skipped: 0, secrets: 0 });
      const [copy] = await other.listConnections();
      expect(copy).toMatchObject({ id: saved.id, owner: 'svc_portal', tokenState: 'missing', tokenHint: null });
      expect((await other.testConnection({ id: saved.id })).verdict).toBe('no-token');
      expect(await importExport(other)).toMatchObject({ imported: 0, skipped: 1 });
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('exports secrets only encrypted with a passphrase; the wrong one is refused and imports nothing', async () => {
    const s = service();
    const saved = await s.saveConnection(withDemo({ apiToken: demo.token }));
    dialogs.save = path.join(harness.files, 'sealed.json');
    await expect(s.exportConnections({ includeSecrets: true, passphrase: 'short' })).rejects.toThrow(/at least 12/);
    expect(await s.exportConnections({ includeSecrets: true, passphrase: 'correct horse battery' })).toMatchObject({ withSecrets: true });
    const written = readFileSync(dialogs.save, 'utf8');
    expect(written).not.toContain(demo.token);
    expect(JSON.parse(written).secrets).toMatchObject({ kdf: 'scrypt', cipher: 'aes-256-gcm' });

    const otherDir = mkdtempSync(path.join(os.tmpdir(), 'keybridge-other-'));
    try {
      const other = createKeybridgeService({ dataDir: otherDir, cipher: new TestCipher(), dialogs });
      dialogs.open = dialogs.save;
      await expect(importExport(other)).rejects.toThrow(/Enter the passphrase/);
      await expect(importExport(other, 'wrong horse battery')).rejects.toThrow(/passphrase is wrong/);
      expect(await other.listConnections()).toEqual([]);
      expect(await importExport(other, 'correct horse battery')).toMatchObject({ imported: 1, secrets: 1 });
      expect((await other.testConnection({ id: saved.id })).verdict).toBe('ok');
      // A changed file is refused the same way.
      const tampered = JSON.parse(written);
      tampered.secrets.data = Buffer.from('x'.repeat(40)).toString('base64');
      writeFileSync(dialogs.open, JSON.stringify(tampered));
      await expect(importExport(service(), 'correct horse battery')).rejects.toThrow(/passphrase is wrong, or the file was changed/);
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('refuses a file that is not an export', async () => {
    dialogs.open = path.join(harness.files, 'other.json');
    writeFileSync(dialogs.open, '{"hello":"world"}');
    await expect(importExport(service())).rejects.toThrow(/not a Keybridge connections export/);
  });
});

describe('secret policy without a keyring (basic_text)', () => {
  it('stores nothing until the admin opts in, then persists; opting out takes secrets off the disk', async () => {
    harness.cipher.mode = 'obfuscated';
    const s = service();
    const saved = await s.saveConnection(withDemo({ apiToken: demo.token }));
    expect(saved.tokenState).toBe('session-only');
    expect(JSON.parse(readFileSync(s.files.secrets, 'utf8')).secrets).toEqual({});
    const status = await s.setSecretPolicy({ allowObfuscated: true });
    expect(status.allowObfuscatedSecrets).toBe(true);
    expect(Object.keys(JSON.parse(readFileSync(s.files.secrets, 'utf8')).secrets)).toEqual([saved.id]);
    // Remembered for this machine.
    expect((await service().getStatus()).allowObfuscatedSecrets).toBe(true);
    expect((await service().testConnection({ id: saved.id })).verdict).toBe('ok');
    await s.setSecretPolicy({ allowObfuscated: false });
    expect(JSON.parse(readFileSync(s.files.secrets, 'utf8')).secrets).toEqual({});
    expect((await s.testConnection({ id: saved.id })).verdict).toBe('ok');
  });
});

describe('no secret anywhere', () => {
  it('after every kind of change, no file Keybridge wrote holds the secret', async () => {
    const s = service();
    const saved = await s.saveConnection(withDemo({ apiToken: demo.token }));
    await s.testConnection({ id: saved.id });
    await s.rotateToken({ id: saved.id, apiToken: demo.token });
    dialogs.save = path.join(harness.files, 'export.json');
    await s.exportConnections({ includeSecrets: false });
    dialogs.save = path.join(harness.files, 'audit.csv');
    await s.exportAudit({ format: 'csv' });
    expect(allWritten()).not.toContain(demo.token);
  });
});

// Connections exported on one workstation and imported on another, as the window does it (preview,
// then import): without secrets by default (the other workstation asks for the token), with secrets
// only sealed by a passphrase (a wrong one, or a changed file, imports nothing), and a file that is
// not an export. The demo key manager on 127.0.0.1; both workstations through
// tests/support/service-harness.ts. (What an import trusts: transfer.test.ts, transfer-trust.test.ts.)
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KeybridgeService } from '../../src/main/core/service';
import { useServiceHarness } from '../support/service-harness';

const harness = useServiceHarness({ demoKeyManager: true });
const { dialogs, service } = harness;
const withDemo = (more: Record<string, unknown> = {}) => ({ name: 'Demo', serverAddress: harness.demo.url, verifyCertificate: false, ...more });

/** The window's two steps: preview (read, verify, list what it would create), then import exactly that. */
async function importExport(s: KeybridgeService, passphrase?: string) {
  const preview = await s.previewImport(passphrase ? { passphrase } : {});
  if (!preview) throw new Error('the dialog was cancelled');
  return s.importConnections({ previewId: preview.previewId });
}

describe('export and import between workstations', () => {
  it('exports without secrets by default; importing elsewhere asks for the token', async () => {
    const { demo } = harness;
    const s = service();
    const saved = await s.saveConnection(withDemo({ apiToken: demo.token, owner: 'svc_portal' }));
    dialogs.save = path.join(harness.files, 'plain.json');
    expect(await s.exportConnections({ includeSecrets: false })).toMatchObject({ count: 1, withSecrets: false });
    expect(readFileSync(dialogs.save, 'utf8')).not.toContain(demo.token);

    const other = harness.otherWorkstation();
    dialogs.open = dialogs.save;
    expect(await importExport(other)).toMatchObject({ imported: 1, skipped: 0, secrets: 0 });
    const [copy] = await other.listConnections();
    expect(copy).toMatchObject({ id: saved.id, owner: 'svc_portal', tokenState: 'missing', tokenHint: null });
    expect((await other.testConnection({ id: saved.id })).verdict).toBe('no-token');
    expect(await importExport(other)).toMatchObject({ imported: 0, skipped: 1 });
  });

  it('exports secrets only encrypted with a passphrase; the wrong one is refused and imports nothing', async () => {
    const { demo } = harness;
    const s = service();
    const saved = await s.saveConnection(withDemo({ apiToken: demo.token }));
    dialogs.save = path.join(harness.files, 'sealed.json');
    await expect(s.exportConnections({ includeSecrets: true, passphrase: 'short' })).rejects.toThrow(/at least 12/);
    expect(await s.exportConnections({ includeSecrets: true, passphrase: 'correct horse battery' })).toMatchObject({ withSecrets: true });
    const written = readFileSync(dialogs.save, 'utf8');
    expect(written).not.toContain(demo.token);
    expect(JSON.parse(written).secrets).toMatchObject({ kdf: 'scrypt', cipher: 'aes-256-gcm' });

    const other = harness.otherWorkstation();
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
  });

  it('refuses a file that is not an export', async () => {
    dialogs.open = path.join(harness.files, 'other.json');
    writeFileSync(dialogs.open, '{"hello":"world"}');
    await expect(importExport(service())).rejects.toThrow(/not a Keybridge connections export/);
  });
});

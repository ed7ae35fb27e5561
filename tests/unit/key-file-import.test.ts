// Importing a key file in main: the token stays in main (the window gets a hint), a file that is not
// a key is refused by name and reason, and a Passportal key pair arrives as access key ID + secret.
// The demo key manager on 127.0.0.1; the service through tests/support/service-harness.ts.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useServiceHarness } from '../support/service-harness';

const harness = useServiceHarness({ demoKeyManager: true });
const { dialogs, service } = harness;
const withDemo = (more: Record<string, unknown> = {}) => ({ name: 'Demo', serverAddress: harness.demo.url, verifyCertificate: false, ...more });

describe('key file import', () => {
  it('imports a token file in main: the window gets a hint, the save uses it once', async () => {
    const { demo } = harness;
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
    const saved = await s.saveConnection({ name: 'Demo', serverAddress: 'pp.example.com', verifyCertificate: false, tokenImportId: imported.importId });
    expect(saved).toMatchObject({ authMethod: 'passportal-hmac', authIdentity: 'AKID-7', tokenHint: '••••etPp' });
  });
});

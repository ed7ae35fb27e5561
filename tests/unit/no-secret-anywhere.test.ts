// After every kind of change (save, test, rotate, export of connections and of the audit log), no
// file Keybridge wrote holds the secret: a scan of the data folder and of the admin's files. The
// demo key manager on 127.0.0.1; the service through tests/support/service-harness.ts.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useServiceHarness } from '../support/service-harness';

const harness = useServiceHarness({ demoKeyManager: true });
const { dialogs, service } = harness;

describe('no secret anywhere', () => {
  it('after every kind of change, no file Keybridge wrote holds the secret', async () => {
    const { demo } = harness;
    const s = service();
    const saved = await s.saveConnection({ name: 'Demo', serverAddress: demo.url, verifyCertificate: false, apiToken: demo.token });
    await s.testConnection({ id: saved.id });
    await s.rotateToken({ id: saved.id, apiToken: demo.token });
    dialogs.save = path.join(harness.files, 'export.json');
    await s.exportConnections({ includeSecrets: false });
    dialogs.save = path.join(harness.files, 'audit.csv');
    await s.exportAudit({ format: 'csv' });
    expect(harness.allWritten()).not.toContain(demo.token);
  });
});

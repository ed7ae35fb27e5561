// The audit log: every change and test with time, OS user, action, connection and outcome (never a
// secret), filters, rotation of its file past a bound, and export as CSV (formulas neutralised) or
// JSON. The demo key manager on 127.0.0.1; the service through tests/support/service-harness.ts.
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditToCsv, AuditLog } from '../../src/main/core/audit/audit-log';
import { useServiceHarness } from '../support/service-harness';

const harness = useServiceHarness({ demoKeyManager: true });
const { dialogs, service } = harness;
const withDemo = (more: Record<string, unknown> = {}) => ({ name: 'Demo', serverAddress: harness.demo.url, verifyCertificate: false, ...more });

describe('audit log', () => {
  it('records every change and test with time, OS user, action, connection and outcome, never a secret', async () => {
    const { demo } = harness;
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
    await s.saveConnection(withDemo({ apiToken: harness.demo.token }));
    dialogs.save = path.join(harness.files, 'audit.json');
    expect(await s.exportAudit({ format: 'json' })).toMatchObject({ count: 2 });
    expect(JSON.parse(readFileSync(dialogs.save, 'utf8'))[0].action).toBe('connection-created');
  });
});

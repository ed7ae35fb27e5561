// Migrations of connections.json: each version step on its own, a v1 file migrated on open (with
// a backup of it), and a file from a newer Keybridge never written over.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECTIONS_SCHEMA_VERSION, connectionRecordSchema } from '../../src/main/core/store/connection-record';
import { migrate, MIGRATIONS } from '../../src/main/core/store/migrations';
import { startDemoKeyManager, type DemoKeyManager } from '../../tools/demo-key-manager';
import { useServiceHarness } from '../support/service-harness';

let demo: DemoKeyManager;
const harness = useServiceHarness();
const { service } = harness;

beforeAll(async () => {
  demo = await startDemoKeyManager();
});
afterAll(() => demo.close());

const withDemo = (more: Record<string, unknown> = {}) => ({ name: 'Demo', verifyCertificate: false, serverAddress: demo.url, ...more });

describe('migrations', () => {
  const v1 = {
    id: '0b5f8f8e-3d7a-4c39-9a51-1f2b3c4d5e6f',
    name: 'PKM',
    serverAddress: 'https://pkm.example.com',
    verifyCertificate: false,
    pinnedSpki: null,
    auth: { method: 'bearer' },
    tokenHint: '••••NDFj',
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedAt: '2026-11-02T10:00:00.000Z',
    lastTest: { ok: true, verdict: 'ok', testedAt: '2026-11-02T10:00:00.000Z' },
  };

  it('v1 -> v2 groups trust and token metadata and adds the lifecycle fields', () => {
    const [migrated] = (MIGRATIONS[2] as (r: Record<string, unknown>[]) => Record<string, unknown>[])([v1]);
    expect(migrated).not.toHaveProperty('preset');
    const parsed = connectionRecordSchema.parse(migrate([v1], 1, CONNECTIONS_SCHEMA_VERSION)[0]);
    expect(parsed).toMatchObject({
      id: v1.id,
      trust: { verifyCertificate: false, pinnedSpki: null },
      token: { hint: '••••NDFj', owner: '', expiresOn: null },
      enabled: true,
      description: '',
      lastTestedAt: '2026-11-02T10:00:00.000Z',
      lastSuccessAt: '2026-11-02T10:00:00.000Z',
    });
  });

  it('v2 -> v3 names the product: PrivX for a bearer token at the default path, Passportal, or generic keeping everything', () => {
    const v2 = (more: Record<string, unknown>) => ({ ...migrate([v1], 1, 2)[0], ...more });
    const [privx, pmp, passportal] = migrate(
      [
        v2({}),
        v2({ auth: { method: 'header', headerName: 'AUTHTOKEN' }, endpoint: '/restapi/json/v1/resources' }),
        v2({ auth: { method: 'passportal-hmac', accessKeyId: 'AKID' } }),
      ],
      2,
      3,
    ).map((r) => connectionRecordSchema.parse(r));
    expect(privx?.preset).toBe('privx');
    expect(pmp).toMatchObject({ preset: 'generic', auth: { method: 'header', headerName: 'AUTHTOKEN' }, endpoint: '/restapi/json/v1/resources' });
    expect(passportal?.preset).toBe('passportal');
  });

  it('migrates a v1 file on open, keeps a backup of it, and writes the current version', async () => {
    writeFileSync(path.join(harness.dir, 'connections.json'), JSON.stringify({ schemaVersion: 1, connections: [v1] }));
    const list = await service().listConnections();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ name: 'PKM', preset: 'privx', verifyCertificate: false, tokenHint: '••••NDFj', enabled: true });
    expect(JSON.parse(readFileSync(path.join(harness.dir, 'connections.json'), 'utf8')).schemaVersion).toBe(CONNECTIONS_SCHEMA_VERSION);
    const backup = readdirSync(harness.dir).find((f) => f.startsWith('connections.v1-backup-'));
    expect(JSON.parse(readFileSync(path.join(harness.dir, backup ?? ''), 'utf8')).connections[0]).toEqual(v1);
  });

  it('never writes over a file from a newer Keybridge', async () => {
    const newer = JSON.stringify({ schemaVersion: 99, connections: [] });
    writeFileSync(path.join(harness.dir, 'connections.json'), newer);
    const s = service();
    await expect(s.saveConnection(withDemo({ apiToken: demo.token }))).rejects.toMatchObject({ code: 'read-only-store' });
    expect(readFileSync(path.join(harness.dir, 'connections.json'), 'utf8')).toBe(newer);
    expect((await s.getStatus()).notices.join(' ')).toMatch(/newer Keybridge/);
  });
});

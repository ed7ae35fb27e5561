// Migrations of connections.json: each version step on its own, a v1 file migrated on open (with
// a backup of it), and a file from a newer Keybridge never written over. An export's records are
// migrated by the same chain, from the schema version the export file says.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECTIONS_SCHEMA_VERSION, connectionRecordSchema } from '../../src/main/core/store/connection-record';
import { migrate, MIGRATIONS } from '../../src/main/core/store/migrations';
import { writeExport } from '../../src/main/core/transfer/export-file';
import { migrateImportedRecords } from '../../src/main/core/transfer/imported-records';
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

  /** An export file holding `records` at `schemaVersion`, chosen in the open dialog. */
  const exportAt = async (records: unknown[], schemaVersion: number): Promise<void> => {
    const file = path.join(harness.files, `schema-${schemaVersion}.json`);
    writeFileSync(file, await writeExport(records, null, null, '2026-11-03T10:00:00.000Z', schemaVersion));
    harness.dialogs.open = file;
  };

  it('an import runs the chain the store uses, from the schema version the export says', () => {
    expect(migrateImportedRecords([v1], 1)).toEqual(migrate([v1], 1, CONNECTIONS_SCHEMA_VERSION));
    const v2 = migrate([v1], 1, 2);
    expect(migrateImportedRecords(v2, 2)).toEqual(migrate(v2, 2, CONNECTIONS_SCHEMA_VERSION));
    // What is not a record is left for the record check to refuse.
    expect(migrateImportedRecords([null, v1, 'x'], 1)).toEqual([null, migrate([v1], 1, CONNECTIONS_SCHEMA_VERSION)[0], 'x']);
  });

  it('an export whose records are at schema 1 imports them migrated through 2 and 3', async () => {
    const passportal = { ...v1, id: '5d7e4c1a-8b2f-4e6d-9c3a-7f1e2d3c4b5a', name: 'Passportal', verifyCertificate: true, auth: { method: 'passportal-hmac', accessKeyId: 'AKID-7' } };
    await exportAt([v1, passportal], 1);
    const s = service();
    const shown = await s.previewImport({});
    expect(shown?.connections).toMatchObject([
      { id: v1.id, name: 'PKM', product: 'PrivX Key Manager', authMethod: 'bearer', endpoint: '/api/v3/', customTrust: true, trust: { verifyCertificate: false } },
      { id: passportal.id, product: 'N-able Passportal', authMethod: 'passportal-hmac', authIdentity: 'AKID-7', customTrust: false },
    ]);
    expect(await s.importConnections({ previewId: shown!.previewId, keepTrust: [v1.id] })).toMatchObject({ imported: 2, trustKept: 1 });
    expect(await s.listConnections()).toMatchObject([
      { id: v1.id, preset: 'privx', verifyCertificate: false, description: '', enabled: true, createdAt: v1.createdAt, tokenHint: null },
      { id: passportal.id, preset: 'passportal', authIdentity: 'AKID-7', verifyCertificate: true },
    ]);
  });

  it("the export's schema version decides: at 2 a record is given its product, at 3 one without a product is refused", async () => {
    const pmp = { ...migrate([v1], 1, 2)[0], auth: { method: 'header', headerName: 'AUTHTOKEN' }, endpoint: '/restapi/json/v1/resources' };
    await exportAt([pmp], 2);
    expect((await service().previewImport({}))?.connections).toMatchObject([{ product: 'Other REST API', authIdentity: 'AUTHTOKEN', endpoint: '/restapi/json/v1/resources' }]);
    await exportAt([pmp], 3);
    await expect(service().previewImport({})).rejects.toThrow(/Connection 1 in the file cannot be imported \(preset: .*\)\. Nothing was imported/);
    expect(await service().listConnections()).toEqual([]);
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

// What a Thales STA file name gives (APIKey-<API key name>-<created date>.key, seed 002) is held to
// the rules the same fields meet when typed in the window and when an export is imported: a name
// with escapes, bells or a right-to-left override must not make Keybridge's own export unimportable.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useServiceHarness } from '../support/service-harness';

const KEY = 'k3yK3yk3yK3yk3yK3yk3yK3y';
// Never contacted: saving and exporting do not test the connection.
const ADDRESS = 'https://127.0.0.1:9/';
const harness = useServiceHarness({ testTimeoutMs: 2_000 });
const { dialogs } = harness;

/** Imports the key file under `fileName`, saves a connection with it, exports, and imports the export on another workstation. */
async function roundTrip(fileName: string) {
  const source = harness.service();
  const imported = await source.importTokenText({ fileName, text: `${KEY}\n` });
  const saved = await source.saveConnection({ name: 'STA', serverAddress: ADDRESS, preset: 'thales-sta', tokenImportId: imported.importId, verifyCertificate: true });
  const file = path.join(harness.files, 'export.json');
  dialogs.save = file;
  await source.exportConnections({ includeSecrets: false });
  const stored = (JSON.parse(readFileSync(file, 'utf8')) as { connections: Array<{ token: { keyName: string; createdOn: string | null } }> }).connections[0]!.token;
  const target = harness.otherWorkstation();
  dialogs.open = file;
  const preview = await target.previewImport({});
  const result = await target.importConnections({ previewId: preview!.previewId });
  return { imported, saved, stored, result, list: await target.listConnections() };
}

describe('a Thales STA file name', () => {
  it.each([
    ['an escape sequence', 'APIKey-portal\u001b[31m-sync-2026-11-01.key'],
    ['a bell', 'APIKey-portal\u0007sync-2026-11-01.key'],
    ['a C1 control', 'APIKey-portal\u009bsync-2026-11-01.key'],
    ['a line separator', 'APIKey-portal\u2028sync-2026-11-01.key'],
  ])('with %s: no key name is taken; the export imports', async (_what, fileName) => {
    const run = await roundTrip(fileName);
    expect(run.imported.keyName).toBeUndefined();
    expect(run.imported.createdOn).toBe('2026-11-01');
    expect(run.saved).toMatchObject({ keyName: '', createdOn: '2026-11-01' });
    expect(run.result).toMatchObject({ imported: 1 });
    expect(run.list.map((c) => [c.keyName, c.createdOn])).toEqual([['', '2026-11-01']]);
  });

  it.each([
    ['a right-to-left override', 'APIKey-\u202Eyek-gnitroper-2026-11-01.key', 'yek-gnitroper'],
    ['zero-width and bidi isolate characters', 'APIKey-port\u200Bal\u2066-sync\u2069\uFEFF-20261101.key', 'portal-sync'],
    ['spaces around the name', 'APIKey-  Reporting  -2026-11-01.key', 'Reporting'],
  ])('with %s: the visible name is taken; the export imports', async (_what, fileName, keyName) => {
    const run = await roundTrip(fileName);
    expect(run.imported.keyName).toBe(keyName);
    expect(run.stored).toMatchObject({ keyName, createdOn: '2026-11-01' });
    expect(run.result).toMatchObject({ imported: 1 });
    expect(run.list.map((c) => c.keyName)).toEqual([keyName]);
  });

  it('with a name longer than the contract allows: cut to 200 characters, never inside a character; the export imports', async () => {
    const run = await roundTrip(`APIKey-${'n'.repeat(199)}😀tail-2026-11-01.key`);
    expect(run.stored.keyName).toBe('n'.repeat(199));
    expect(run.result).toMatchObject({ imported: 1 });
  });

  it.each([
    ['February 30', 'APIKey-Reporting-2026-02-30.key'],
    ['February 29 of a common year', 'APIKey-Reporting-20270229.key'],
    ['month 13', 'APIKey-Reporting-2026-13-01.key'],
    ['day 00', 'APIKey-Reporting-2026-01-00.key'],
  ])('with a created date that is not a day (%s): no date is taken, the name is', async (_what, fileName) => {
    const run = await roundTrip(fileName);
    expect(run.imported).not.toHaveProperty('createdOn');
    expect(run.imported.keyName).toBe('Reporting');
    expect(run.stored).toMatchObject({ keyName: 'Reporting', createdOn: null });
    expect(run.result).toMatchObject({ imported: 1 });
  });
});

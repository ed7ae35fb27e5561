// File modes and what a crash leaves behind: the data folder and every export are owner-only; on
// start, the temporary files of interrupted writes and the secrets of deleted connections go.
import { chmodSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OpenStore } from '../../src/main/core/ports';
import { openConfStore } from '../../src/main/core/store/open-store';
import { useServiceHarness } from '../support/service-harness';

const POSIX = process.platform !== 'win32';
const TOKEN = 'Wg7ASgddKzXwEStPoUvMDzwYO3NDFjModes';
// The data folder does not exist when a test starts: the core creates it.
const harness = useServiceHarness({ dataFolderExists: false });
const { dialogs, service } = harness;

const mode = (file: string): number => statSync(file).mode & 0o777;
const input = { name: 'KM', serverAddress: 'https://km.example.com', apiToken: TOKEN, verifyCertificate: true };

describe.skipIf(!POSIX)('owner-only files (POSIX modes)', () => {
  it('the data folder the core creates is 0700, and one that others can read is tightened', () => {
    service();
    expect(mode(harness.dir)).toBe(0o700);
    chmodSync(harness.dir, 0o755);
    service();
    expect(mode(harness.dir)).toBe(0o700);
  });

  it.each([
    ['connections, with encrypted secrets', (s: ReturnType<typeof service>) => s.exportConnections({ includeSecrets: true, passphrase: 'correct horse battery' })],
    ['the audit log', (s: ReturnType<typeof service>) => s.exportAudit({ format: 'csv' })],
  ])('an export of %s over an existing 0644 file is 0600', async (_what, exportIt) => {
    const s = service();
    await s.saveConnection(input);
    dialogs.save = path.join(harness.files, 'existing.json');
    writeFileSync(dialogs.save, 'old content', { mode: 0o644 });
    chmodSync(dialogs.save, 0o644);
    await exportIt(s);
    expect(mode(dialogs.save)).toBe(0o600);
    expect(readFileSync(dialogs.save, 'utf8')).not.toBe('old content');
  });
});

describe('what a crash leaves behind is cleaned on start', () => {
  it('temporary files of interrupted writes go; fresh ones (a write under way) stay', () => {
    service();
    const old = path.join(harness.dir, 'connections.json.tmp-1763900000a1b2c3');
    const fresh = path.join(harness.dir, 'secrets.json.tmp-1763900001d4e5f6');
    writeFileSync(old, '{"half":');
    writeFileSync(fresh, '{"half":');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(old, hourAgo, hourAgo);
    writeFileSync(path.join(harness.dir, 'notes.tmp-keep'), 'not ours');
    service();
    expect(readdirSync(harness.dir).sort()).toEqual(expect.arrayContaining(['secrets.json.tmp-1763900001d4e5f6', 'notes.tmp-keep']));
    expect(readdirSync(harness.dir)).not.toContain('connections.json.tmp-1763900000a1b2c3');
  });

  it('secrets that no record owns (a delete cut short) are removed, the others kept', async () => {
    const s = service();
    const kept = await s.saveConnection(input);
    const gone = await s.saveConnection({ ...input, name: 'Deleted' });
    // A crash after the record was removed and before its secret was: only the record is gone.
    const file = path.join(harness.dir, 'connections.json');
    const content = JSON.parse(readFileSync(file, 'utf8'));
    content.connections = content.connections.filter((c: { id: string }) => c.id !== gone.id);
    writeFileSync(file, JSON.stringify(content));
    const secrets = () => Object.keys(JSON.parse(readFileSync(path.join(harness.dir, 'secrets.json'), 'utf8')).secrets as object);
    expect(secrets()).toContain(gone.id);
    const reopened = service();
    expect(secrets()).toEqual([kept.id]);
    expect((await reopened.listAudit({ action: 'secret-orphans-removed' }))[0]?.detail).toBe('1 secret(s) of deleted connections');
    expect((await reopened.testConnection({ id: kept.id })).verdict).not.toBe('no-token');
  });

  it('secrets are kept when some records could not be read (they may still own them)', async () => {
    const s = service();
    const saved = await s.saveConnection(input);
    const file = path.join(harness.dir, 'connections.json');
    const content = JSON.parse(readFileSync(file, 'utf8'));
    content.connections[0].enabled = 'sometimes';
    writeFileSync(file, JSON.stringify(content));
    service();
    expect(Object.keys(JSON.parse(readFileSync(path.join(harness.dir, 'secrets.json'), 'utf8')).secrets as object)).toEqual([saved.id]);
  });

  it('a delete removes the record before the secret, so a crash between leaves no record without its secret', async () => {
    // Record the order in which the store files are written.
    const writes: string[] = [];
    const recording: OpenStore = (name, options) => {
      const conf = openConfStore(harness.dir)(name, options);
      return new Proxy(conf, {
        set(target, prop, value) {
          if (prop === 'store') writes.push(name);
          return Reflect.set(target, prop, value, target);
        },
        get(target, prop) {
          const value = Reflect.get(target, prop, target) as unknown;
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            if (prop === 'set') writes.push(name);
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
    };
    const s = service({ openStore: recording });
    const saved = await s.saveConnection(input);
    writes.length = 0;
    await s.deleteConnection({ id: saved.id });
    expect(writes.filter((w) => w === 'connections' || w === 'secrets')).toEqual(['connections', 'secrets']);
  });
});

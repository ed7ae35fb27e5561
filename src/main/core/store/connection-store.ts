// The list of connections, kept in connections.json through electron-store (Conf under Node).
// On open: the envelope is checked by JSON Schema, older versions are migrated (the file before
// migration is kept as a backup), and every record is checked with zod; records that fail are set
// aside in a file of their own and reported, never silently dropped.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type Conf from 'conf';
import type { OpenStore } from '../ports';
import { CONNECTIONS_SCHEMA_VERSION, connectionRecordSchema, connectionsFileSchema, type ConnectionRecord, type ConnectionsFile } from './connection-record';
import { migrate } from './migrations';
import { openStoreSafely } from './open-store';

export class ConnectionStore {
  private readonly conf: Conf<ConnectionsFile>;
  private records: ConnectionRecord[];
  /** Written by a newer Keybridge: read, never written over. */
  private readonly readOnly: boolean;
  readonly notices: string[] = [];
  /** Every record in the file was read (none set aside, not a newer format, file not replaced). */
  readonly complete: boolean;

  constructor(open: OpenStore, dataDir: string, now: () => Date) {
    const opened = openStoreSafely<ConnectionsFile>(
      open,
      dataDir,
      'connections',
      {
        defaults: { schemaVersion: CONNECTIONS_SCHEMA_VERSION, connections: [] },
        // Conf's schema type is ajv's; ours is a plain JSON Schema literal.
        schema: connectionsFileSchema as never,
        configFileMode: 0o600,
      },
      now,
    );
    this.conf = opened.store;
    if (opened.notice) this.notices.push(opened.notice);
    const stamp = now().toISOString().replace(/[:.]/g, '-');

    let raw = this.conf.get('connections') as Record<string, unknown>[];
    const version = this.conf.get('schemaVersion');
    if (version > CONNECTIONS_SCHEMA_VERSION) {
      // Written by a newer Keybridge: read what we can, but never write over it.
      this.notices.push(`connections.json was written by a newer Keybridge (format ${version}); changes are not saved until you update Keybridge.`);
    } else if (version < CONNECTIONS_SCHEMA_VERSION) {
      const backup = path.join(dataDir, `connections.v${version}-backup-${stamp}.json`);
      writeFileSync(backup, JSON.stringify(this.conf.store, null, 2), { mode: 0o600 });
      raw = migrate(raw, version, CONNECTIONS_SCHEMA_VERSION);
    }

    const good: ConnectionRecord[] = [];
    const bad: unknown[] = [];
    for (const item of raw) {
      const parsed = connectionRecordSchema.safeParse(item);
      if (parsed.success) good.push(parsed.data);
      else bad.push(item);
    }
    if (bad.length > 0) {
      const aside = path.join(dataDir, `connections.unreadable-${stamp}.json`);
      writeFileSync(aside, JSON.stringify(bad, null, 2), { mode: 0o600 });
      this.notices.push(`${bad.length} connection(s) in connections.json could not be read and were kept in ${path.basename(aside)}.`);
    }
    this.records = good;
    this.readOnly = version > CONNECTIONS_SCHEMA_VERSION;
    this.complete = opened.notice === null && bad.length === 0 && !this.readOnly;
    if (!this.readOnly && (version !== CONNECTIONS_SCHEMA_VERSION || bad.length > 0)) this.write();
  }

  get path(): string {
    return this.conf.path;
  }

  list(): ConnectionRecord[] {
    return this.records.map((r) => structuredClone(r));
  }

  get(id: string): ConnectionRecord | undefined {
    const found = this.records.find((c) => c.id === id);
    return found ? structuredClone(found) : undefined;
  }

  /** Inserts or replaces by id; one atomic file write. */
  put(record: ConnectionRecord): void {
    this.putAll([record]);
  }

  /** Inserts or replaces several records in one atomic file write: all of them, or none. */
  putAll(records: ConnectionRecord[]): void {
    for (const record of records) {
      const index = this.records.findIndex((c) => c.id === record.id);
      if (index === -1) this.records.push(structuredClone(record));
      else this.records[index] = structuredClone(record);
    }
    this.write();
  }

  remove(id: string): boolean {
    const before = this.records.length;
    this.records = this.records.filter((c) => c.id !== id);
    if (this.records.length === before) return false;
    this.write();
    return true;
  }

  private write(): void {
    if (this.readOnly) return;
    this.conf.store = { schemaVersion: CONNECTIONS_SCHEMA_VERSION, connections: this.records };
  }
}

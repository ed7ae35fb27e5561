// The list of connections, kept in connections.json through electron-store (Conf under Node).
// On open: the envelope is checked by JSON Schema, older versions are migrated (the file before
// migration is kept as a backup), and every record is checked with zod; records that fail are set
// aside in a file of their own and reported, never silently dropped.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type Conf from 'conf';
import { KeybridgeError } from '../errors';
import type { OpenStore } from '../ports';
import { CONNECTIONS_SCHEMA_VERSION, connectionRecordSchema, connectionsFileSchema, type ConnectionRecord, type ConnectionsFile } from './connection-record';
import { migrate } from './migrations';
import { openStoreSafely } from './open-store';

/** Files this store set aside (corrupt, unreadable records) or kept before a migration. */
const SET_ASIDE = /^connections\.(corrupt|unreadable|v\d+-backup)-.*\.json$/;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** Larger set-aside files are not read at start (it would block it); their presence stops the sweep. */
const MAX_SET_ASIDE_BYTES = 8 * 1024 * 1024;

export class ConnectionStore {
  private readonly conf: Conf<ConnectionsFile>;
  private records: ConnectionRecord[];
  /** Why nothing may be written (a newer Keybridge's file: read, never written over), or null. */
  readonly readOnlyReason: string | null;
  readonly notices: string[] = [];
  /** Every record in the file was read (none set aside, not a newer format, file not replaced). */
  readonly complete: boolean;

  constructor(
    open: OpenStore,
    private readonly dataDir: string,
    now: () => Date,
  ) {
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
    if (bad.length > 0 && version > CONNECTIONS_SCHEMA_VERSION) {
      // A newer format's records need not read here: reported, nothing written.
      this.notices.push(`${bad.length} connection(s) in connections.json use settings this version does not know; they are shown once you update Keybridge.`);
    } else if (bad.length > 0) {
      const aside = path.join(dataDir, `connections.unreadable-${stamp}.json`);
      writeFileSync(aside, JSON.stringify(bad, null, 2), { mode: 0o600 });
      this.notices.push(`${bad.length} connection(s) in connections.json could not be read and were kept in ${path.basename(aside)}.`);
    }
    this.records = good;
    this.readOnlyReason =
      version > CONNECTIONS_SCHEMA_VERSION
        ? `connections.json was written by a newer Keybridge (format ${version}), so this version changes nothing: no connection, token or setting. Update Keybridge to make changes.`
        : null;
    this.complete = opened.notice === null && bad.length === 0 && this.readOnlyReason === null;
    if (this.readOnlyReason === null && (version !== CONNECTIONS_SCHEMA_VERSION || bad.length > 0)) this.write(this.records);
  }

  /**
   * The connection ids (lower case) that files set aside in the data folder may still hold, by
   * file: their secrets are kept, so those records can be restored with their tokens. Read as text
   * (a corrupt file is not JSON): any id the file mentions counts. `unread`: files too large or
   * unreadable, which may own any secret.
   */
  setAsideOwners(): { owners: Map<string, string>; unread: string[] } {
    const owners = new Map<string, string>();
    const unread: string[] = [];
    for (const file of readdirSync(this.dataDir).filter((name) => SET_ASIDE.test(name)).sort()) {
      let text: string;
      try {
        const full = path.join(this.dataDir, file);
        if (statSync(full).size > MAX_SET_ASIDE_BYTES) throw new Error('too large');
        text = readFileSync(full, 'utf8');
      } catch {
        unread.push(file);
        continue;
      }
      for (const id of text.match(UUID) ?? []) if (!owners.has(id.toLowerCase())) owners.set(id.toLowerCase(), file);
    }
    return { owners, unread };
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

  /**
   * Inserts or replaces several records in one atomic file write: all of them, or none. What the
   * app shows changes only once the file is written: a failed write leaves both as they were.
   */
  putAll(records: ConnectionRecord[]): void {
    const next = [...this.records];
    for (const record of records) {
      const index = next.findIndex((c) => c.id === record.id);
      if (index === -1) next.push(structuredClone(record));
      else next[index] = structuredClone(record);
    }
    this.write(next);
  }

  remove(id: string): boolean {
    const next = this.records.filter((c) => c.id !== id);
    if (next.length === this.records.length) return false;
    this.write(next);
    return true;
  }

  get writable(): boolean {
    return this.readOnlyReason === null;
  }

  private write(records: ConnectionRecord[]): void {
    if (this.readOnlyReason !== null) throw new KeybridgeError('read-only-store', this.readOnlyReason);
    this.conf.store = { schemaVersion: CONNECTIONS_SCHEMA_VERSION, connections: records };
    this.records = records;
  }
}

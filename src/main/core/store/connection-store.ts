// The list of connections, kept in connections.json through electron-store (Conf under Node).
import type Conf from 'conf';
import type { OpenStore } from '../ports';
import {
  CONNECTIONS_SCHEMA_VERSION,
  connectionsFileSchema,
  type ConnectionRecord,
  type ConnectionsFile,
} from './connection-record';
import { openStoreSafely } from './open-store';

export class ConnectionStore {
  private readonly conf: Conf<ConnectionsFile>;
  readonly notice: string | null;

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
    this.notice = opened.notice;
  }

  get path(): string {
    return this.conf.path;
  }

  list(): ConnectionRecord[] {
    return this.conf.get('connections');
  }

  get(id: string): ConnectionRecord | undefined {
    return this.list().find((c) => c.id === id);
  }

  /** Inserts or replaces by id; one atomic file write. */
  put(record: ConnectionRecord): void {
    const all = this.list();
    const index = all.findIndex((c) => c.id === record.id);
    if (index === -1) all.push(record);
    else all[index] = record;
    this.conf.set('connections', all);
  }

  remove(id: string): boolean {
    const all = this.list();
    const kept = all.filter((c) => c.id !== id);
    if (kept.length === all.length) return false;
    this.conf.set('connections', kept);
    return true;
  }
}

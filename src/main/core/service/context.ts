// What every feature of the service shares: the stores, the vault, the audit log, the clock and the
// dialogs, plus the few helpers they all use. Changes to one connection are serialised here
// (`exclusive`): a change reads the record inside its turn, so nothing writes back a stale copy.
import path from 'node:path';
import type Conf from 'conf';
import type { AuditAction, AuditEntry, TestProgress } from '../../../shared/types';
import { AuditLog } from '../audit/audit-log';
import { KeybridgeError } from '../errors';
import { ensurePrivateFolder, removeCrashTempFiles } from '../files/data-folder';
import { readBoundedFile } from '../files/read-bounded';
import type { CoreHost, DialogPort } from '../ports';
import { Vault } from '../secrets/vault';
import type { ConnectionRecord } from '../store/connection-record';
import { ConnectionStore } from '../store/connection-store';
import { openConfStore, openStoreSafely } from '../store/open-store';

export interface ServiceOptions {
  /** Bound for one connection test (tests use short ones). */
  testTimeoutMs?: number;
}

export type Settings = { allowObfuscatedSecrets: boolean };

/** The vault entry holding a connection's client key (and its passphrase). */
export const clientKeyId = (id: string): string => `${id}#client`;

/** The connection a vault entry belongs to (its token or its client key), in lower case: ids are compared in any case. */
export const ownerOfSecret = (vaultId: string): string => vaultId.replace(/#client$/, '').toLowerCase();

export class ServiceContext {
  readonly connections: ConnectionStore;
  readonly vault: Vault;
  readonly settings: Conf<Settings>;
  readonly audit: AuditLog;
  readonly now: () => Date;
  /** Problems found at start-up, shown by getStatus. */
  readonly notices: string[] = [];
  /** The tail of each connection's queue of changes. */
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly progressListeners = new Set<(progress: TestProgress) => void>();

  /** Hears the steps of every running test as they complete. Returns the unsubscribe. */
  onTestProgress(listener: (progress: TestProgress) => void): () => void {
    this.progressListeners.add(listener);
    return () => void this.progressListeners.delete(listener);
  }

  emitProgress(progress: TestProgress): void {
    for (const listener of this.progressListeners) {
      try {
        listener(progress);
      } catch {
        // A listener's failure (a closed window) never stops the test.
      }
    }
  }

  constructor(
    readonly host: CoreHost,
    readonly options: ServiceOptions = {},
  ) {
    this.now = host.now ?? (() => new Date());
    ensurePrivateFolder(host.dataDir);
    removeCrashTempFiles(host.dataDir, this.now());
    const open = host.openStore ?? openConfStore(host.dataDir);
    // The records first: when a newer Keybridge wrote them, the other files are read and never
    // moved or written either (they may be in that version's format too).
    this.connections = new ConnectionStore(open, host.dataDir, this.now);
    const readOnly = this.connections.readOnlyReason;
    const settings = openStoreSafely<Settings>(
      open,
      host.dataDir,
      'settings',
      { defaults: { allowObfuscatedSecrets: false }, schema: { allowObfuscatedSecrets: { type: 'boolean' } } as never, configFileMode: 0o600 },
      this.now,
      readOnly !== null,
    );
    this.settings = settings.store;
    this.vault = new Vault(host.cipher, open, host.dataDir, this.now, { allowObfuscated: this.settings.get('allowObfuscatedSecrets') }, readOnly);
    this.audit = new AuditLog(host.dataDir, this.now);
    this.notices.push(...[...this.connections.notices, settings.notice, this.vault.notice].filter((n): n is string => n !== null));
    this.keepOrSweepSecrets();
  }

  /**
   * A crash during a delete (record removed, secret not yet) leaves a secret nobody owns: it goes.
   * A secret whose record sits in a set-aside file (corrupt, unreadable, migrated) is kept, and the
   * window says so: that record can be restored only with it, and some products never show a key twice.
   */
  private keepOrSweepSecrets(): void {
    // Ids compared in lower case: a UUID may be written either way, and the vault keeps it as given.
    const owners = new Set(this.connections.list().map((r) => r.id.toLowerCase()));
    const { owners: setAside, unread } = this.connections.setAsideOwners();
    const kept = this.vault.ids().filter((id) => !owners.has(ownerOfSecret(id)) && setAside.has(ownerOfSecret(id)));
    if (kept.length > 0) {
      const files = [...new Set(kept.map((id) => setAside.get(ownerOfSecret(id))))].join(', ');
      this.notices.push(
        `${kept.length} saved secret(s) belong to connections in ${files}, set aside because they could not be read. Keybridge keeps them so those connections can be restored with their tokens; they are removed once you delete that file from the data folder.`,
      );
    }
    // A set-aside file that could not be read may own any secret: then nothing is swept.
    if (!this.connections.complete || unread.length > 0) return;
    const removed = this.vault.removeOrphans((id) => owners.has(ownerOfSecret(id)) || setAside.has(ownerOfSecret(id)));
    if (removed > 0) this.log('secret-orphans-removed', 'success', undefined, `${removed} secret(s) of deleted connections`);
  }

  /** Refuses a change when the records are read-only (written by a newer Keybridge), before anything is touched. */
  assertWritable(): void {
    if (this.connections.readOnlyReason !== null) throw new KeybridgeError('read-only-store', this.connections.readOnlyReason);
  }

  /**
   * Stores new secrets, then runs `commit` (the record write). When the record cannot be written,
   * the previous secrets are put back, so vault and record never disagree.
   */
  async withSecrets<T>(secrets: ReadonlyArray<{ id: string; value: string }>, commit: () => T): Promise<T> {
    this.assertWritable();
    const before = secrets.map(({ id }) => ({ id, snapshot: this.vault.snapshot(id) }));
    try {
      for (const { id, value } of secrets) await this.vault.put(id, value);
      return commit();
    } catch (error) {
      for (const { id, snapshot } of before) {
        try {
          this.vault.restore(id, snapshot);
        } catch {
          // The disk refuses this too: what the vault holds in memory is at least the old secret.
        }
      }
      throw error;
    }
  }

  /**
   * Runs `work` when every earlier change of this connection has finished, so changes to one
   * connection never interleave. Work that waits on the network (a test) runs outside the queue
   * and applies its result in a turn of its own, re-reading the record there.
   */
  exclusive<T>(id: string, work: () => Promise<T> | T): Promise<T> {
    const previous = this.queues.get(id) ?? Promise.resolve();
    const turn = previous.then(work, work);
    const tail = turn.catch(() => undefined);
    this.queues.set(id, tail);
    void tail.then(() => {
      if (this.queues.get(id) === tail) this.queues.delete(id);
    });
    return turn;
  }

  mustGet(id: string): ConnectionRecord {
    const record = this.connections.get(id);
    if (!record) throw new KeybridgeError('not-found', 'This connection no longer exists. It may have been deleted.');
    return record;
  }

  /** Applies a change to a stored connection, stamps it, and audits it when an action is given. */
  change(id: string, changes: Partial<ConnectionRecord>, action?: AuditAction, detail?: string): ConnectionRecord {
    const updated: ConnectionRecord = { ...this.mustGet(id), ...changes, updatedAt: this.now().toISOString() };
    this.connections.put(updated);
    if (action) this.log(action, 'success', updated, detail);
    return updated;
  }

  log(action: AuditAction, outcome: AuditEntry['outcome'], record?: ConnectionRecord, detail?: string): void {
    this.audit.append({
      action,
      outcome,
      ...(record ? { connectionId: record.id, connectionName: record.name } : {}),
      ...(detail ? { detail } : {}),
    });
  }

  dialogs(): DialogPort {
    if (!this.host.dialogs) throw new KeybridgeError('no-dialogs', 'File dialogs are not available here.');
    return this.host.dialogs;
  }

  /** Lets the admin choose a file in the native dialog and reads it, bounded. null = cancelled. */
  async chooseFile(purpose: Parameters<DialogPort['openFile']>[0], max: number, kind: string): Promise<{ name: string; bytes: Buffer } | null> {
    const file = await this.dialogs().openFile(purpose);
    if (file === null) return null;
    const name = path.basename(file);
    const read = await readBoundedFile(file, max);
    if (read.ok) return { name, bytes: read.bytes };
    throw read.reason === 'too-large'
      ? new KeybridgeError(`invalid-${kind}-file`, `${name}: the file is larger than ${max >= 1024 * 1024 ? `${max / 1024 / 1024} MiB` : `${max / 1024} KiB`}, so it is not a ${kind} file.`)
      : new KeybridgeError('unreadable-file', `Keybridge cannot read ${name}.`);
  }
}

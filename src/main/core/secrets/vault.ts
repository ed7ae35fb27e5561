// Keeps the secrets of connections: API tokens, Basic passwords, Passportal secret access keys, and
// client certificates' keys with their passphrases. Encrypted through the cipher port (safeStorage)
// in secrets.json, apart from the connection records; or, where the machine cannot really encrypt,
// in memory for this session only.
import type Conf from 'conf';
import type { SecretProtection, TokenState } from '../../../shared/types';
import { KeybridgeError } from '../errors';
import type { CipherPort, OpenStore } from '../ports';
import { openStoreSafely } from '../store/open-store';

type SecretsFile = { secrets: Record<string, string> };

export interface VaultPolicy {
  /**
   * Linux without a keyring (basic_text): store secrets anyway. Off unless the admin opted in,
   * because there safeStorage only obfuscates.
   */
  allowObfuscated: boolean;
}

export type TokenLookup =
  | { state: 'saved' | 'session-only'; token: string }
  | { state: 'missing' | 'undecryptable'; token: null };

/** What the vault held for one id, to put back when the change it was part of could not be saved. */
export interface SecretSnapshot {
  stored: string | undefined;
  sessionOnly: string | undefined;
}

export class Vault {
  private readonly conf: Conf<SecretsFile>;
  /** The file's content, read once: Conf reads and parses the whole file on every get. */
  private stored: Record<string, string>;
  private readonly sessionOnly = new Map<string, string>();
  private readonly undecryptable = new Set<string>();
  /** Set when the records are read-only (a newer Keybridge's file): no secret may change either. */
  private readonly lockedBecause: string | null;
  readonly notice: string | null;

  constructor(
    private readonly cipher: CipherPort,
    open: OpenStore,
    dataDir: string,
    now: () => Date,
    private policy: VaultPolicy = { allowObfuscated: false },
    /** The records are read-only for this reason: secrets.json is read, never moved or written. */
    readOnlyReason: string | null = null,
  ) {
    const opened = openStoreSafely<SecretsFile>(
      open,
      dataDir,
      'secrets',
      {
        defaults: { secrets: {} },
        schema: { secrets: { type: 'object', additionalProperties: { type: 'string' } } } as never,
        configFileMode: 0o600,
      },
      now,
      readOnlyReason !== null,
    );
    this.lockedBecause = readOnlyReason;
    this.conf = opened.store;
    this.notice = opened.notice;
    this.stored = this.conf.get('secrets');
  }

  private assertWritable(): void {
    if (this.lockedBecause !== null) throw new KeybridgeError('read-only-store', this.lockedBecause);
  }

  private write(secrets: Record<string, string>): void {
    this.assertWritable();
    this.conf.set('secrets', secrets);
    this.stored = secrets;
  }

  get path(): string {
    return this.conf.path;
  }

  protection(): Promise<SecretProtection> {
    return this.cipher.protection();
  }

  storeName(): string {
    return this.cipher.storeName();
  }

  /** Stores a token for a connection; answers where it ended up. */
  async put(id: string, token: string): Promise<TokenState> {
    this.assertWritable();
    const protection = await this.cipher.protection();
    const mayPersist = protection === 'encrypted' || (protection === 'obfuscated' && this.policy.allowObfuscated);
    this.undecryptable.delete(id);
    if (!mayPersist) {
      this.sessionOnly.set(id, token);
      this.deleteFromDisk(id);
      return 'session-only';
    }
    const encrypted = await this.cipher.encrypt(token);
    this.write({ ...this.stored, [id]: encrypted.toString('base64') });
    this.sessionOnly.delete(id);
    return 'saved';
  }

  async get(id: string): Promise<TokenLookup> {
    const inMemory = this.sessionOnly.get(id);
    if (inMemory !== undefined) return { state: 'session-only', token: inMemory };
    const stored = Object.hasOwn(this.stored, id) ? this.stored[id] : undefined;
    if (stored === undefined) return { state: 'missing', token: null };
    try {
      const token = await this.cipher.decrypt(Buffer.from(stored, 'base64'));
      this.undecryptable.delete(id);
      return { state: 'saved', token };
    } catch {
      // Keyring reset or data copied from another machine: keep the ciphertext, report the state.
      this.undecryptable.add(id);
      return { state: 'undecryptable', token: null };
    }
  }

  /** The state without decrypting (cheap: used for listing). */
  state(id: string): TokenState {
    if (this.sessionOnly.has(id)) return 'session-only';
    if (!Object.hasOwn(this.stored, id)) return 'missing';
    return this.undecryptable.has(id) ? 'undecryptable' : 'saved';
  }

  get allowObfuscated(): boolean {
    return this.policy.allowObfuscated;
  }

  /**
   * Changes the Linux no-keyring policy. Opting in writes the session-only secrets to disk;
   * opting out takes obfuscated secrets off the disk and keeps them for this session.
   */
  async setAllowObfuscated(allow: boolean): Promise<void> {
    this.assertWritable();
    const protection = await this.cipher.protection();
    if (allow === this.policy.allowObfuscated) return;
    if (!allow && protection === 'obfuscated') {
      // Only what this run can read moves to memory. A secret it cannot decrypt was encrypted by a
      // keyring in an earlier run (which would open it again): it stays on disk, untouched.
      for (const id of Object.keys(this.stored)) {
        const found = await this.get(id);
        if (found.token === null) continue;
        this.sessionOnly.set(id, found.token);
        this.deleteFromDisk(id);
      }
    }
    this.policy = { allowObfuscated: allow };
    if (allow) {
      for (const [id, token] of [...this.sessionOnly]) await this.put(id, token);
    }
  }

  /**
   * Removes from disk the secrets no connection owns (left by a crash during a delete). Returns how
   * many were removed. Call it only when every record could be read, or it would take their secrets.
   */
  removeOrphans(owned: (id: string) => boolean): number {
    const orphans = Object.keys(this.stored).filter((id) => !owned(id));
    if (orphans.length === 0) return 0;
    this.write(Object.fromEntries(Object.entries(this.stored).filter(([id]) => owned(id))));
    return orphans.length;
  }

  /** What the vault holds for `id` now (ciphertext or session copy), for `restore`. */
  snapshot(id: string): SecretSnapshot {
    return { stored: Object.hasOwn(this.stored, id) ? this.stored[id] : undefined, sessionOnly: this.sessionOnly.get(id) };
  }

  /** Puts back what `snapshot` saw: a secret replaced by a change that could not be saved. */
  restore(id: string, snapshot: SecretSnapshot): void {
    this.undecryptable.delete(id);
    if (snapshot.sessionOnly === undefined) this.sessionOnly.delete(id);
    else this.sessionOnly.set(id, snapshot.sessionOnly);
    if (this.stored[id] === snapshot.stored) return;
    const { [id]: _replaced, ...rest } = this.stored;
    const previous = snapshot.stored === undefined ? rest : { ...rest, [id]: snapshot.stored };
    try {
      this.write(previous);
    } finally {
      // Even when the disk refuses this too, this run uses the previous secret (and writes it with the next change).
      this.stored = previous;
    }
  }

  /** Ids with a secret on disk or in memory. */
  ids(): string[] {
    return [...new Set([...Object.keys(this.stored), ...this.sessionOnly.keys()])];
  }

  /** Wipes a connection's secret from memory and disk. */
  remove(id: string): void {
    this.assertWritable();
    this.sessionOnly.delete(id);
    this.undecryptable.delete(id);
    this.deleteFromDisk(id);
  }

  private deleteFromDisk(id: string): void {
    if (!Object.hasOwn(this.stored, id)) return;
    const { [id]: _removed, ...rest } = this.stored;
    this.write(rest);
  }
}

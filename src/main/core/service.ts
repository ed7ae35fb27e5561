// The service behind the contract: one method per call, each taking already-validated input.
// Every change and every test is written to the audit log; no secret ever leaves through a return
// value, an error, the audit log or an export without encryption.
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type Conf from 'conf';
import type { CallInput, ConnectionInput } from '../../shared/contract';
import type {
  AuditAction,
  AuditEntry,
  ConnectionView,
  SaveAndTestResult,
  StatusView,
  TestReport,
  TokenImport,
} from '../../shared/types';
import { parseServerAddress } from './address/parse-address';
import { auditToCsv, AuditLog } from './audit/audit-log';
import { checkHeaderName, type AuthSpec } from './connection-test/auth-methods';
import { runConnectionTest } from './connection-test/run-test';
import { VERDICT_TEXTS } from './connection-test/verdicts';
import { KeybridgeError } from './errors';
import { readBoundedFile } from './files/read-bounded';
import type { CoreHost, DialogPort } from './ports';
import { MAX_TOKEN_FILE_BYTES, parseKeyFile } from './secrets/token-file';
import { checkApiToken, maskToken } from './secrets/token-rules';
import { Vault } from './secrets/vault';
import { connectionRecordSchema, type AuthSettings, type ConnectionRecord } from './store/connection-record';
import {
  checkProxySetting,
  decodeClientMaterial,
  describeCertificate,
  encodeClientMaterial,
  readCaCertificates,
  readClientCertificate,
} from './trust/certificate-files';
import { ConnectionStore } from './store/connection-store';
import { openConfStore, openStoreSafely } from './store/open-store';
import { EXPORT_FORMAT, exportFileSchema, MIN_PASSPHRASE, seal, unseal, type ExportFile } from './transfer/export-file';

export interface ServiceOptions {
  /** Bound for one connection test (tests use short ones). */
  testTimeoutMs?: number;
}

type Settings = { allowObfuscatedSecrets: boolean };

/** A key file imported but not yet saved with a connection; kept in memory only, briefly. */
interface PendingImport {
  secret: string;
  info: TokenImport;
  expires: number;
}

const PENDING_TTL_MS = 30 * 60 * 1000;
const CERTIFICATE_FILE_BYTES = 1024 * 1024;
const EXPIRY_WARNING_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;

export class KeybridgeService {
  private readonly connections: ConnectionStore;
  private readonly vault: Vault;
  private readonly settings: Conf<Settings>;
  private readonly audit: AuditLog;
  private readonly now: () => Date;
  private readonly notices: string[] = [];
  private readonly pending = new Map<string, PendingImport>();
  /** Tests under way, by connection id, so they can be cancelled. */
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly host: CoreHost,
    private readonly options: ServiceOptions = {},
  ) {
    this.now = host.now ?? (() => new Date());
    const open = host.openStore ?? openConfStore(host.dataDir);
    const settings = openStoreSafely<Settings>(
      open,
      host.dataDir,
      'settings',
      { defaults: { allowObfuscatedSecrets: false }, schema: { allowObfuscatedSecrets: { type: 'boolean' } } as never, configFileMode: 0o600 },
      this.now,
    );
    this.settings = settings.store;
    this.connections = new ConnectionStore(open, host.dataDir, this.now);
    this.vault = new Vault(host.cipher, open, host.dataDir, this.now, { allowObfuscated: this.settings.get('allowObfuscatedSecrets') });
    this.audit = new AuditLog(host.dataDir, this.now);
    this.notices.push(...[settings.notice, ...this.connections.notices, this.vault.notice].filter((n): n is string => n !== null));
  }

  /** Where the files are (for tests and diagnostics). */
  get files(): { connections: string; secrets: string; audit: string } {
    return { connections: this.connections.path, secrets: this.vault.path, audit: this.audit.path };
  }

  // ---- status and settings -------------------------------------------------------------------

  async getStatus(): Promise<StatusView> {
    const notices = [...this.notices];
    const secretProtection = await this.vault.protection();
    const allowObfuscatedSecrets = this.vault.allowObfuscated;
    if (secretProtection === 'obfuscated' && !allowObfuscatedSecrets) {
      notices.push(
        'This computer has no keyring, so Keybridge could only obfuscate API tokens, not encrypt them. Tokens are kept in memory until Keybridge closes and are not saved to disk.',
      );
    } else if (secretProtection === 'obfuscated') {
      notices.push('This computer has no keyring: saved API tokens are only obfuscated on disk, as you chose for this computer.');
    } else if (secretProtection === 'unavailable') {
      notices.push('Secure storage is not available on this computer. API tokens are kept in memory until Keybridge closes.');
    }
    const secretStore = secretProtection === 'unavailable' ? 'memory only' : this.vault.storeName();
    return { version: this.host.version ?? '0.0.0', secretProtection, secretStore, allowObfuscatedSecrets, notices };
  }

  async setSecretPolicy({ allowObfuscated }: CallInput<'setSecretPolicy'>): Promise<StatusView> {
    await this.vault.setAllowObfuscated(allowObfuscated);
    this.settings.set('allowObfuscatedSecrets', allowObfuscated);
    this.log('secret-policy-changed', 'success', undefined, allowObfuscated ? 'store obfuscated secrets' : 'keep secrets in memory only');
    return this.getStatus();
  }

  // ---- connections ---------------------------------------------------------------------------

  async listConnections(): Promise<ConnectionView[]> {
    return this.connections.list().map((record) => this.view(record));
  }

  async saveConnection(input: ConnectionInput): Promise<ConnectionView> {
    const address = parseServerAddress(input.serverAddress);
    if (!address.ok) throw new KeybridgeError('invalid-address', address.message);

    const existing = input.id === undefined ? undefined : this.connections.get(input.id);
    if (input.id !== undefined && existing === undefined) {
      throw new KeybridgeError('not-found', 'This connection no longer exists. It may have been deleted.');
    }
    const id = existing?.id ?? randomUUID();
    const secret = this.takeSecret(input.apiToken, input.tokenImportId);
    const auth = this.authSettings(input, existing, secret?.import);

    let tokenHint = existing?.token.hint ?? null;
    if (secret) {
      // The secret is stored first: a record never points at a secret that was not kept.
      await this.vault.put(id, secret.value);
      tokenHint = maskToken(secret.value);
    }

    const proxy = checkProxySetting(input.proxy ?? existing?.proxy ?? '');
    if (!proxy.ok) throw new KeybridgeError('invalid-proxy', proxy.message);
    const stamp = this.now().toISOString();
    const serverAddress = input.serverAddress.trim();
    const sameTarget = existing !== undefined && existing.serverAddress === serverAddress && existing.trust.verifyCertificate === input.verifyCertificate;
    const record: ConnectionRecord = {
      id,
      name: input.name.trim(),
      description: input.description ?? existing?.description ?? '',
      serverAddress,
      auth,
      endpoint: input.endpoint === undefined ? (existing?.endpoint ?? null) : input.endpoint.trim() || null,
      trust: {
        verifyCertificate: input.verifyCertificate,
        // A new address means a new server: a key trusted for the old one does not carry over.
        pinnedSpki: existing && existing.serverAddress === serverAddress ? existing.trust.pinnedSpki : null,
        extraCaPem: existing?.trust.extraCaPem ?? [],
        useSystemCa: input.useSystemCa ?? existing?.trust.useSystemCa ?? false,
      },
      clientCertificate: existing?.clientCertificate ?? null,
      proxy: proxy.value,
      token: {
        hint: tokenHint,
        owner: input.owner ?? existing?.token.owner ?? '',
        keyName: input.keyName ?? secret?.import?.keyName ?? existing?.token.keyName ?? '',
        createdOn: input.createdOn !== undefined ? input.createdOn : (secret?.import?.createdOn ?? existing?.token.createdOn ?? null),
        expiresOn: input.expiresOn !== undefined ? input.expiresOn : (existing?.token.expiresOn ?? null),
        boundHost: input.boundHost ?? existing?.token.boundHost ?? '',
      },
      enabled: input.enabled ?? existing?.enabled ?? true,
      createdAt: existing?.createdAt ?? stamp,
      updatedAt: stamp,
      lastTestedAt: existing?.lastTestedAt ?? null,
      lastSuccessAt: existing?.lastSuccessAt ?? null,
      // A changed address, secret or trust setting makes the last result stale.
      lastTest: !secret && sameTarget ? (existing?.lastTest ?? null) : null,
    };
    this.connections.put(record);
    const renewed = existing !== undefined && existing.token.expiresOn !== record.token.expiresOn;
    this.log(existing ? 'connection-updated' : 'connection-created', 'success', record, renewed ? `expiry ${record.token.expiresOn ?? 'never'}` : undefined);
    if (secret) this.log('token-imported', 'success', record, secret.import ? `from ${secret.import.kind}` : 'pasted');
    return this.view(record);
  }

  async saveAndTestConnection(input: ConnectionInput): Promise<SaveAndTestResult> {
    const saved = await this.saveConnection(input);
    const report = await this.testConnection({ id: saved.id });
    return { connection: this.view(this.mustGet(saved.id)), report };
  }

  async testConnection({ id }: { id: string }): Promise<TestReport> {
    const record = this.mustGet(id);
    if (!record.enabled) {
      throw new KeybridgeError('connection-disabled', 'This connection is disabled, so Keybridge does not use it. Enable it to test it.');
    }
    const secret = await this.vault.get(id);
    const report = secret.token === null ? this.noSecretReport(secret.state === 'undecryptable') : await this.runTest(record, secret.token);
    // The record may have changed or gone while the test ran: store the result only if it is there.
    const current = this.connections.get(id);
    if (current) {
      this.connections.put({
        ...current,
        lastTest: report,
        lastTestedAt: report.testedAt,
        lastSuccessAt: report.ok ? report.testedAt : current.lastSuccessAt,
      });
    }
    this.log('connection-tested', report.ok ? 'success' : 'failure', record, report.verdict);
    return report;
  }

  async cancelTest({ id }: { id: string }): Promise<{ cancelled: boolean }> {
    const controller = this.running.get(id);
    controller?.abort();
    return { cancelled: controller !== undefined };
  }

  async deleteConnection({ id }: { id: string }): Promise<{ deleted: true }> {
    const record = this.mustGet(id);
    this.vault.remove(id);
    this.vault.remove(clientKeyId(id));
    this.connections.remove(id);
    this.log('connection-deleted', 'success', record, 'secret wiped');
    return { deleted: true };
  }

  async setConnectionEnabled({ id, enabled }: CallInput<'setConnectionEnabled'>): Promise<ConnectionView> {
    return this.view(this.change(id, { enabled }, enabled ? 'connection-enabled' : 'connection-disabled'));
  }

  /** Tests the new secret with the connection's settings; replaces the old one only if it passes. */
  async rotateToken({ id, apiToken, tokenImportId }: CallInput<'rotateToken'>): Promise<{ rotated: boolean; connection: ConnectionView; report: TestReport }> {
    const record = this.mustGet(id);
    if (!record.enabled) throw new KeybridgeError('connection-disabled', 'This connection is disabled. Enable it before rotating its token.');
    const secret = this.takeSecret(apiToken, tokenImportId);
    if (!secret) throw new KeybridgeError('invalid-token', 'Paste or import the new API token to rotate to.');
    const report = await this.runTest(record, secret.value);
    if (!report.ok) {
      this.log('token-rotation-refused', 'failure', record, report.verdict);
      return { rotated: false, connection: this.view(record), report };
    }
    await this.vault.put(id, secret.value);
    const stamp = this.now().toISOString();
    const updated: ConnectionRecord = {
      ...record,
      token: {
        ...record.token,
        hint: maskToken(secret.value),
        keyName: secret.import?.keyName ?? record.token.keyName,
        createdOn: secret.import?.createdOn ?? stamp.slice(0, 10),
      },
      updatedAt: stamp,
      lastTest: report,
      lastTestedAt: report.testedAt,
      lastSuccessAt: report.testedAt,
    };
    this.connections.put(updated);
    this.log('token-rotated', 'success', updated);
    return { rotated: true, connection: this.view(updated), report };
  }

  // ---- trust on first use --------------------------------------------------------------------

  /**
   * Trust on first use: pins the key of the certificate the last test showed, then tests again.
   * Only a key the admin has actually seen can be pinned: it must be in the last report.
   */
  async trustCertificate({ id, spkiSha256 }: { id: string; spkiSha256: string }): Promise<SaveAndTestResult> {
    const record = this.mustGet(id);
    const seen = record.lastTest?.certificate?.spkiSha256;
    if (seen !== spkiSha256) {
      throw new KeybridgeError('certificate-not-seen', 'This certificate is not the one from the last test. Test the connection again, check the certificate, then trust it.');
    }
    this.change(id, { trust: { ...record.trust, pinnedSpki: spkiSha256 } }, 'certificate-trusted', spkiSha256);
    const report = await this.testConnection({ id });
    return { connection: this.view(this.mustGet(id)), report };
  }

  async forgetTrustedCertificate({ id }: { id: string }): Promise<ConnectionView> {
    const record = this.mustGet(id);
    return this.view(this.change(id, { trust: { ...record.trust, pinnedSpki: null }, lastTest: null }, 'certificate-forgotten'));
  }

  // ---- per-connection CA certificates and client certificate ---------------------------------

  async addCaCertificate({ id }: { id: string }): Promise<ConnectionView | null> {
    const record = this.mustGet(id);
    const chosen = await this.chooseFile('ca-certificate', CERTIFICATE_FILE_BYTES, 'certificate');
    if (chosen === null) return null;
    const parsed = readCaCertificates(chosen.bytes);
    if (!parsed.ok) throw new KeybridgeError('invalid-certificate-file', `${chosen.name}: ${parsed.message}`);
    const known = new Set(record.trust.extraCaPem.map((pem) => describeCertificate(pem).sha256));
    const added = parsed.certificates.filter((pem) => !known.has(describeCertificate(pem).sha256));
    const updated = this.change(id, { trust: { ...record.trust, extraCaPem: [...record.trust.extraCaPem, ...added] }, lastTest: null });
    for (const pem of added) this.log('certificate-trusted', 'success', updated, `CA ${describeCertificate(pem).subject}`);
    return this.view(updated);
  }

  async removeCaCertificate({ id, sha256 }: { id: string; sha256: string }): Promise<ConnectionView> {
    const record = this.mustGet(id);
    const kept = record.trust.extraCaPem.filter((pem) => describeCertificate(pem).sha256 !== sha256);
    return this.view(this.change(id, { trust: { ...record.trust, extraCaPem: kept }, lastTest: null }, 'certificate-forgotten', `CA ${sha256}`));
  }

  async setClientCertificate({ id, passphrase }: { id: string; passphrase?: string }): Promise<ConnectionView | null> {
    this.mustGet(id);
    const chosen = await this.chooseFile('client-certificate', CERTIFICATE_FILE_BYTES, 'certificate');
    if (chosen === null) return null;
    const parsed = readClientCertificate(chosen.bytes, passphrase || undefined);
    if (!parsed.ok) throw new KeybridgeError('invalid-client-certificate', `${chosen.name}: ${parsed.message}`);
    // The key (and its passphrase) is a secret: it goes to the vault, like the API token.
    await this.vault.put(clientKeyId(id), encodeClientMaterial(parsed.material));
    const clientCertificate = { subject: parsed.subject, validTo: parsed.validTo, format: parsed.format };
    return this.view(this.change(id, { clientCertificate, lastTest: null }, 'connection-updated', `client certificate ${parsed.subject}`));
  }

  async removeClientCertificate({ id }: { id: string }): Promise<ConnectionView> {
    this.mustGet(id);
    this.vault.remove(clientKeyId(id));
    return this.view(this.change(id, { clientCertificate: null, lastTest: null }, 'connection-updated', 'client certificate removed'));
  }

  // ---- key file import -----------------------------------------------------------------------

  async importTokenFile(): Promise<TokenImport | null> {
    const chosen = await this.chooseFile('key-file', MAX_TOKEN_FILE_BYTES, 'key');
    return chosen === null ? null : this.acceptKeyFile(chosen.name, chosen.bytes);
  }

  async importTokenText({ fileName, text }: CallInput<'importTokenText'>): Promise<TokenImport> {
    return this.acceptKeyFile(fileName ? path.basename(fileName) : null, new TextEncoder().encode(text));
  }

  private acceptKeyFile(fileName: string | null, bytes: Uint8Array): TokenImport {
    const parsed = parseKeyFile(fileName ?? '', bytes);
    if (!parsed.ok) throw new KeybridgeError('invalid-key-file', fileName ? `${fileName}: ${parsed.message}` : parsed.message);
    const importId = randomUUID();
    const info: TokenImport =
      parsed.kind === 'access-key-pair'
        ? { importId, fileName, kind: 'access-key-pair', hint: maskToken(parsed.secret), accessKeyId: parsed.accessKeyId }
        : {
            importId,
            fileName,
            kind: 'token',
            hint: maskToken(parsed.secret),
            ...(parsed.keyName ? { keyName: parsed.keyName } : {}),
            ...(parsed.createdOn ? { createdOn: parsed.createdOn } : {}),
          };
    this.prunePending();
    this.pending.set(importId, { secret: parsed.secret, info, expires: Date.now() + PENDING_TTL_MS });
    return info;
  }

  // ---- export and import between workstations -----------------------------------------------

  async exportConnections({ includeSecrets, passphrase }: CallInput<'exportConnections'>): Promise<{ file: string; count: number; withSecrets: boolean } | null> {
    if (includeSecrets && (passphrase ?? '').length < MIN_PASSPHRASE) {
      throw new KeybridgeError('weak-passphrase', `Choose a passphrase of at least ${MIN_PASSPHRASE} characters to protect the exported secrets.`);
    }
    const file = await this.dialogs().saveFile('connections', `keybridge-connections-${this.now().toISOString().slice(0, 10)}.json`);
    if (file === null) return null;
    const records = this.connections.list();
    let sealed: ExportFile['secrets'] = null;
    if (includeSecrets) {
      const secrets: Record<string, string> = {};
      for (const record of records) {
        const found = await this.vault.get(record.id);
        if (found.token !== null) secrets[record.id] = found.token;
      }
      sealed = seal(secrets, passphrase as string);
    }
    const content: ExportFile = {
      format: EXPORT_FORMAT,
      version: 1,
      exportedAt: this.now().toISOString(),
      connections: records.map((r) => ({ ...r, lastTest: null })),
      secrets: sealed,
    };
    await writeFile(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
    this.log('connections-exported', 'success', undefined, `${records.length} connection(s), ${includeSecrets ? 'with encrypted secrets' : 'without secrets'}`);
    return { file, count: records.length, withSecrets: includeSecrets };
  }

  async importConnections({ passphrase }: CallInput<'importConnections'>): Promise<{ file: string; imported: number; skipped: number; secrets: number } | null> {
    const file = await this.dialogs().openFile('connections');
    if (file === null) return null;
    let content: ExportFile;
    try {
      const read = await readBoundedFile(file, 50 * 1024 * 1024);
      if (!read.ok) throw new Error(read.reason);
      content = exportFileSchema.parse(JSON.parse(read.bytes.toString('utf8')));
    } catch {
      throw new KeybridgeError('invalid-export-file', `${path.basename(file)} is not a Keybridge connections export.`);
    }
    let secrets: Record<string, string> = {};
    if (content.secrets) {
      if (!passphrase) throw new KeybridgeError('passphrase-required', 'This export holds encrypted secrets. Enter the passphrase it was exported with.');
      const opened = unseal(content.secrets, passphrase);
      if (!opened) {
        this.log('connections-imported', 'failure', undefined, 'wrong passphrase or changed file');
        throw new KeybridgeError('wrong-passphrase', 'The passphrase is wrong, or the file was changed after export. Nothing was imported.');
      }
      secrets = opened;
    }
    let imported = 0;
    let skipped = 0;
    let withSecret = 0;
    for (const raw of content.connections) {
      const parsed = connectionRecordSchema.safeParse(raw);
      if (!parsed.success || this.connections.get(parsed.data.id)) {
        skipped++;
        continue;
      }
      // Client keys are not exported: the certificate has to be chosen again on this workstation.
      const record = { ...parsed.data, clientCertificate: null, lastTest: null, updatedAt: this.now().toISOString() };
      const secret = secrets[record.id];
      if (secret !== undefined && checkApiToken(secret).ok) {
        await this.vault.put(record.id, secret);
        withSecret++;
      } else {
        record.token = { ...record.token, hint: null };
      }
      this.connections.put(record);
      this.log('connection-created', 'success', record, 'imported');
      imported++;
    }
    this.log('connections-imported', 'success', undefined, `${imported} imported, ${skipped} skipped, ${withSecret} with secrets`);
    return { file, imported, skipped, secrets: withSecret };
  }

  // ---- audit ---------------------------------------------------------------------------------

  async listAudit(query: CallInput<'listAudit'>): Promise<AuditEntry[]> {
    return this.audit.query(query as Parameters<AuditLog['query']>[0]);
  }

  async exportAudit({ format }: CallInput<'exportAudit'>): Promise<{ file: string; count: number } | null> {
    const file = await this.dialogs().saveFile(format === 'csv' ? 'audit-csv' : 'audit-json', `keybridge-audit-${this.now().toISOString().slice(0, 10)}.${format}`);
    if (file === null) return null;
    const entries = this.audit.query({ limit: 1_000_000 }).reverse();
    await writeFile(file, format === 'csv' ? auditToCsv(entries) : `${JSON.stringify(entries, null, 2)}\n`, { mode: 0o600 });
    return { file, count: entries.length };
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** Lets the admin choose a file in the native dialog and reads it, bounded. null = cancelled. */
  private async chooseFile(purpose: Parameters<DialogPort['openFile']>[0], max: number, kind: string): Promise<{ name: string; bytes: Buffer } | null> {
    const file = await this.dialogs().openFile(purpose);
    if (file === null) return null;
    const name = path.basename(file);
    const read = await readBoundedFile(file, max);
    if (read.ok) return { name, bytes: read.bytes };
    throw read.reason === 'too-large'
      ? new KeybridgeError(`invalid-${kind}-file`, `${name}: the file is larger than ${max >= 1024 * 1024 ? `${max / 1024 / 1024} MiB` : `${max / 1024} KiB`}, so it is not a ${kind} file.`)
      : new KeybridgeError('unreadable-file', `Keybridge cannot read ${name}.`);
  }

  /** Applies a change to a stored connection, stamps it, and audits it when an action is given. */
  private change(id: string, changes: Partial<ConnectionRecord>, action?: AuditAction, detail?: string): ConnectionRecord {
    const updated: ConnectionRecord = { ...this.mustGet(id), ...changes, updatedAt: this.now().toISOString() };
    this.connections.put(updated);
    if (action) this.log(action, 'success', updated, detail);
    return updated;
  }

  private dialogs(): DialogPort {
    if (!this.host.dialogs) throw new KeybridgeError('no-dialogs', 'File dialogs are not available here.');
    return this.host.dialogs;
  }

  /** A secret from the paste field, or from a pending import (used once). */
  private takeSecret(apiToken: string | undefined, importId: string | undefined): { value: string; import?: TokenImport } | null {
    if (importId !== undefined) {
      this.prunePending();
      const pending = this.pending.get(importId);
      if (!pending) throw new KeybridgeError('import-expired', 'The imported key file is no longer available. Import it again.');
      this.pending.delete(importId);
      return { value: pending.secret, import: pending.info };
    }
    if (apiToken === undefined || apiToken.trim() === '') return null;
    const checked = checkApiToken(apiToken);
    if (!checked.ok) throw new KeybridgeError('invalid-token', checked.message);
    return { value: checked.token };
  }

  private prunePending(): void {
    const now = Date.now();
    for (const [id, item] of this.pending) if (item.expires < now) this.pending.delete(id);
  }

  private authSettings(input: ConnectionInput, existing: ConnectionRecord | undefined, imported: TokenImport | undefined): AuthSettings {
    const method = input.authMethod ?? (imported?.kind === 'access-key-pair' ? 'passportal-hmac' : (existing?.auth.method ?? 'bearer'));
    const identity = (input.authIdentity ?? '').trim();
    switch (method) {
      case 'bearer':
        return { method };
      case 'header': {
        const headerName = identity || (existing?.auth.method === 'header' ? existing.auth.headerName : '');
        const problem = headerName ? checkHeaderName(headerName) : 'Enter the name of the header that carries the API key, e.g. apikey or AUTHTOKEN.';
        if (problem) throw new KeybridgeError('invalid-auth', problem);
        return { method, headerName };
      }
      case 'basic': {
        const username = identity || (existing?.auth.method === 'basic' ? existing.auth.username : '');
        if (!username) throw new KeybridgeError('invalid-auth', 'Enter the user name for HTTP Basic authentication.');
        return { method, username };
      }
      case 'passportal-hmac': {
        const accessKeyId = identity || imported?.accessKeyId || (existing?.auth.method === 'passportal-hmac' ? existing.auth.accessKeyId : '');
        if (!accessKeyId) throw new KeybridgeError('invalid-auth', 'Enter the Access key ID.');
        return { method, accessKeyId };
      }
    }
  }

  private async runTest(record: ConnectionRecord, secret: string): Promise<TestReport> {
    // A new test of the same connection replaces (cancels) one still running.
    this.running.get(record.id)?.abort();
    const controller = new AbortController();
    this.running.set(record.id, controller);
    const client = record.clientCertificate ? await this.vault.get(clientKeyId(record.id)) : null;
    if (record.clientCertificate && client?.token === null) {
      this.running.delete(record.id);
      throw new KeybridgeError('client-certificate-missing', 'The client certificate\'s key is no longer available on this computer. Choose the client certificate again.');
    }
    try {
      return await runConnectionTest(
        {
          serverAddress: record.serverAddress,
          auth: authSpec(record.auth, secret),
          trust: {
            verifyCertificate: record.trust.verifyCertificate,
            pinnedSpki: record.trust.pinnedSpki,
            extraCaPem: record.trust.extraCaPem,
            useSystemCa: record.trust.useSystemCa,
          },
          clientCertificate: client?.token ? decodeClientMaterial(client.token) : undefined,
          proxy: record.proxy === '' ? undefined : record.proxy === 'none' ? null : record.proxy,
          endpoint: record.endpoint ?? undefined,
          timeoutMs: this.options.testTimeoutMs,
          signal: controller.signal,
        },
        { now: this.now, userAgent: `Keybridge/${this.host.version ?? 'dev'}` },
      );
    } finally {
      if (this.running.get(record.id) === controller) this.running.delete(record.id);
    }
  }

  private mustGet(id: string): ConnectionRecord {
    const record = this.connections.get(id);
    if (!record) throw new KeybridgeError('not-found', 'This connection no longer exists. It may have been deleted.');
    return record;
  }

  private log(action: AuditAction, outcome: AuditEntry['outcome'], record?: ConnectionRecord, detail?: string): void {
    this.audit.append({
      action,
      outcome,
      ...(record ? { connectionId: record.id, connectionName: record.name } : {}),
      ...(detail ? { detail } : {}),
    });
  }

  private view(record: ConnectionRecord): ConnectionView {
    const auth = record.auth;
    return {
      id: record.id,
      name: record.name,
      description: record.description,
      serverAddress: record.serverAddress,
      verifyCertificate: record.trust.verifyCertificate,
      pinnedSpki: record.trust.pinnedSpki,
      extraCas: record.trust.extraCaPem.map((pem) => describeCertificate(pem)),
      useSystemCa: record.trust.useSystemCa,
      clientCertificate: record.clientCertificate,
      proxy: record.proxy,
      authMethod: auth.method,
      authIdentity: auth.method === 'header' ? auth.headerName : auth.method === 'basic' ? auth.username : auth.method === 'passportal-hmac' ? auth.accessKeyId : null,
      endpoint: record.endpoint,
      tokenHint: record.token.hint,
      tokenState: this.vault.state(record.id),
      owner: record.token.owner,
      keyName: record.token.keyName,
      createdOn: record.token.createdOn,
      expiresOn: record.token.expiresOn,
      expiry: expiryOf(record.token.expiresOn, this.now()),
      boundHost: record.token.boundHost,
      enabled: record.enabled,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      lastTestedAt: record.lastTestedAt,
      lastSuccessAt: record.lastSuccessAt,
      lastTest: record.lastTest,
    };
  }

  private noSecretReport(undecryptable: boolean): TestReport {
    const text = VERDICT_TEXTS['no-token'];
    const none = { host: '', port: 0, url: '' };
    return {
      ok: false,
      verdict: 'no-token',
      title: undecryptable ? 'The saved API token cannot be read' : text.title,
      message: undecryptable
        ? 'The saved token can no longer be decrypted on this computer (the keyring was reset, or the data came from another computer).'
        : text.message(none),
      hint: undecryptable ? 'Re-import the API token: paste it again, then save and test.' : text.hint(none),
      url: null,
      httpStatus: null,
      warnings: [],
      certificate: null,
      tls: null,
      steps: [],
      timings: { dns: null, tcp: null, tls: null, firstByte: null, total: 0 },
      durationMs: 0,
      testedAt: this.now().toISOString(),
    };
  }
}

/** The vault entry holding a connection's client key (and its passphrase). */
const clientKeyId = (id: string): string => `${id}#client`;

function authSpec(auth: AuthSettings, secret: string): AuthSpec {
  switch (auth.method) {
    case 'bearer':
      return { method: 'bearer', token: secret };
    case 'header':
      return { method: 'header', headerName: auth.headerName, key: secret };
    case 'basic':
      return { method: 'basic', username: auth.username, password: secret };
    case 'passportal-hmac':
      return { method: 'passportal-hmac', accessKeyId: auth.accessKeyId, secretAccessKey: secret };
  }
}

/** Warnings from 14 days before the expiry date, and on it. */
export function expiryOf(expiresOn: string | null, now: Date): ConnectionView['expiry'] {
  if (expiresOn === null) return 'none';
  const end = Date.parse(`${expiresOn}T00:00:00Z`);
  const today = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
  if (today >= end) return 'expired';
  return end - today <= EXPIRY_WARNING_DAYS * DAY_MS ? 'expiring' : 'valid';
}

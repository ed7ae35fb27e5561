// The service behind the contract: one method per call, each taking already-validated input.
import { randomUUID } from 'node:crypto';
import type { ConnectionInput } from '../../shared/contract';
import type { ConnectionView, SaveAndTestResult, StatusView, TestReport } from '../../shared/types';
import { parseServerAddress } from './address/parse-address';
import { runConnectionTest } from './connection-test/run-test';
import { VERDICT_TEXTS } from './connection-test/verdicts';
import { KeybridgeError } from './errors';
import type { CoreHost } from './ports';
import { checkApiToken, maskToken } from './secrets/token-rules';
import { Vault } from './secrets/vault';
import type { ConnectionRecord } from './store/connection-record';
import { ConnectionStore } from './store/connection-store';
import { openConfStore } from './store/open-store';

export interface ServiceOptions {
  /** Bound for one connection test (tests use short ones). */
  testTimeoutMs?: number;
  /** Store secrets even where safeStorage only obfuscates (Linux basic_text), after the admin opted in. */
  allowObfuscatedSecrets?: boolean;
}

export class KeybridgeService {
  private readonly connections: ConnectionStore;
  private readonly vault: Vault;
  private readonly now: () => Date;

  constructor(
    private readonly host: CoreHost,
    private readonly options: ServiceOptions = {},
  ) {
    this.now = host.now ?? (() => new Date());
    const open = host.openStore ?? openConfStore(host.dataDir);
    this.connections = new ConnectionStore(open, host.dataDir, this.now);
    this.vault = new Vault(host.cipher, open, host.dataDir, this.now, {
      allowObfuscated: options.allowObfuscatedSecrets ?? false,
    });
  }

  /** Where the store files are (for tests and diagnostics). */
  get files(): { connections: string; secrets: string } {
    return { connections: this.connections.path, secrets: this.vault.path };
  }

  async getStatus(): Promise<StatusView> {
    const notices = [this.connections.notice, this.vault.notice].filter((n): n is string => n !== null);
    const secretProtection = await this.vault.protection();
    if (secretProtection === 'obfuscated' && !this.options.allowObfuscatedSecrets) {
      notices.push(
        'This computer has no keyring, so Keybridge could only obfuscate API tokens, not encrypt them. Tokens are kept in memory until Keybridge closes and are not saved to disk.',
      );
    } else if (secretProtection === 'unavailable') {
      notices.push('Secure storage is not available on this computer. API tokens are kept in memory until Keybridge closes.');
    }
    return { version: this.host.version ?? '0.0.0', secretProtection, notices };
  }

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

    let tokenHint = existing?.tokenHint ?? null;
    const rawToken = input.apiToken ?? '';
    if (rawToken.trim() !== '') {
      const checked = checkApiToken(rawToken);
      if (!checked.ok) throw new KeybridgeError('invalid-token', checked.message);
      // The secret is stored first: a record never points at a token that was not kept.
      await this.vault.put(id, checked.token);
      tokenHint = maskToken(checked.token);
    }

    const stamp = this.now().toISOString();
    const record: ConnectionRecord = {
      id,
      name: input.name.trim(),
      serverAddress: input.serverAddress.trim(),
      verifyCertificate: input.verifyCertificate,
      // A new address means a new server: a key trusted for the old one does not carry over.
      pinnedSpki: existing && existing.serverAddress === input.serverAddress.trim() ? (existing.pinnedSpki ?? null) : null,
      auth: { method: 'bearer' },
      tokenHint,
      createdAt: existing?.createdAt ?? stamp,
      updatedAt: stamp,
      // A changed address, token or trust setting makes the last result stale.
      lastTest: rawToken.trim() === '' && sameTarget(existing, input) ? (existing?.lastTest ?? null) : null,
    };
    this.connections.put(record);
    return this.view(record);
  }

  async saveAndTestConnection(input: ConnectionInput): Promise<SaveAndTestResult> {
    const saved = await this.saveConnection(input);
    const report = await this.testConnection({ id: saved.id });
    return { connection: this.view(this.mustGet(saved.id)), report };
  }

  async testConnection({ id }: { id: string }): Promise<TestReport> {
    const record = this.mustGet(id);
    const secret = await this.vault.get(id);
    const report =
      secret.token === null
        ? this.noTokenReport(record, secret.state === 'undecryptable')
        : await runConnectionTest(
            {
              serverAddress: record.serverAddress,
              auth: { method: 'bearer', token: secret.token },
              trust: { verifyCertificate: record.verifyCertificate, pinnedSpki: record.pinnedSpki ?? null },
              timeoutMs: this.options.testTimeoutMs,
            },
            { now: this.now, userAgent: `Keybridge/${this.host.version ?? 'dev'}` },
          );
    // The record may have changed or gone while the test ran: store the result only if it is there.
    const current = this.connections.get(id);
    if (current) this.connections.put({ ...current, lastTest: report });
    return report;
  }

  async deleteConnection({ id }: { id: string }): Promise<{ deleted: true }> {
    this.mustGet(id);
    this.vault.remove(id);
    this.connections.remove(id);
    return { deleted: true };
  }

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
    this.connections.put({ ...record, pinnedSpki: spkiSha256, updatedAt: this.now().toISOString() });
    const report = await this.testConnection({ id });
    return { connection: this.view(this.mustGet(id)), report };
  }

  async forgetTrustedCertificate({ id }: { id: string }): Promise<ConnectionView> {
    const record = this.mustGet(id);
    const updated = { ...record, pinnedSpki: null, lastTest: null, updatedAt: this.now().toISOString() };
    this.connections.put(updated);
    return this.view(updated);
  }

  private mustGet(id: string): ConnectionRecord {
    const record = this.connections.get(id);
    if (!record) throw new KeybridgeError('not-found', 'This connection no longer exists. It may have been deleted.');
    return record;
  }

  private view(record: ConnectionRecord): ConnectionView {
    return {
      id: record.id,
      name: record.name,
      serverAddress: record.serverAddress,
      verifyCertificate: record.verifyCertificate,
      pinnedSpki: record.pinnedSpki ?? null,
      authMethod: record.auth.method,
      tokenHint: record.tokenHint,
      tokenState: this.vault.state(record.id),
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      lastTest: record.lastTest,
    };
  }

  private noTokenReport(record: ConnectionRecord, undecryptable: boolean): TestReport {
    const text = VERDICT_TEXTS['no-token'];
    return {
      ok: false,
      verdict: 'no-token',
      title: undecryptable ? 'The saved API token cannot be read' : text.title,
      message: undecryptable
        ? 'The saved token can no longer be decrypted on this computer (the keyring was reset, or the data came from another computer).'
        : text.message({ host: '', port: 0, url: '' }),
      hint: undecryptable ? 'Re-import the API token: paste it again, then save and test.' : text.hint({ host: '', port: 0, url: '' }),
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

function sameTarget(existing: ConnectionRecord | undefined, input: ConnectionInput): boolean {
  return (
    existing !== undefined &&
    existing.serverAddress === input.serverAddress.trim() &&
    existing.verifyCertificate === input.verifyCertificate
  );
}

// Testing a saved connection: the running tests (one per connection, cancellable), the stored last
// result, and the report for a connection whose secret is missing.
import type { ContractOutputs } from '../../../shared/contract';
import type { TestReport } from '../../../shared/types';
import { runConnectionTest, type ClientCertificate } from '../connection-test/run-test';
import { VERDICT_TEXTS } from '../connection-test/verdicts';
import { KeybridgeError } from '../errors';
import type { ConnectionRecord } from '../store/connection-record';
import { decodeClientMaterial } from '../trust/certificate-files';
import { clientKeyId, type ServiceContext } from './context';
import { sameTestedSettings } from './tested-settings';
import { targetOf } from './target-of';

const STALE_RESULT = 'The connection was changed while this test ran, so this result was not saved. Test again to check the new settings.';

export type RunTest = (record: ConnectionRecord, secret: string) => Promise<TestReport>;

/**
 * A saved connection's client certificate from the vault: `missing` when the record has one but the
 * vault no longer has its key.
 */
export async function clientMaterialOf(ctx: ServiceContext, record: ConnectionRecord): Promise<{ client: ClientCertificate | undefined; missing: boolean }> {
  const client = record.clientCertificate ? (await ctx.vault.get(clientKeyId(record.id))).token : null;
  return { client: client ? decodeClientMaterial(client) : undefined, missing: record.clientCertificate !== null && client === null };
}

export function connectionTestCalls(ctx: ServiceContext) {
  /** Tests under way, by connection id, so they can be cancelled. */
  const running = new Map<string, AbortController>();

  const runTest: RunTest = async (record, secret) => {
    // A new test of the same connection replaces (cancels) one still running.
    running.get(record.id)?.abort();
    const controller = new AbortController();
    running.set(record.id, controller);
    try {
      const { client, missing } = await clientMaterialOf(ctx, record);
      if (missing) {
        throw new KeybridgeError('client-certificate-missing', "The client certificate's key is no longer available on this computer. Choose the client certificate again.");
      }
      return await runConnectionTest(
        {
          ...targetOf(record, secret, client),
          timeoutMs: ctx.options.testTimeoutMs,
          signal: controller.signal,
          onStep: (step, elapsedMs) => ctx.emitProgress({ connectionId: record.id, step, elapsedMs }),
        },
        { now: ctx.now, userAgent: `Keybridge/${ctx.host.version ?? 'dev'}` },
      );
    } finally {
      if (running.get(record.id) === controller) running.delete(record.id);
    }
  };

  async function testConnection({ id }: { id: string }): Promise<ContractOutputs['testConnection']> {
    const record = ctx.mustGet(id);
    if (!record.enabled) {
      throw new KeybridgeError('connection-disabled', 'This connection is disabled, so Keybridge does not use it. Enable it to test it.');
    }
    const secret = await ctx.vault.get(id);
    let report = secret.token === null ? noSecretReport(secret.state === 'undecryptable', ctx.now()) : await runTest(record, secret.token);
    // The record may have changed or gone while the test ran. The result is about the settings and
    // the secret that were tested: it lands only on a record that still has them, else it is dropped
    // (a stale "Connection successful", or a certificate to trust, must not reach another server).
    const stale = await ctx.exclusive(id, async () => {
      const current = ctx.connections.get(id);
      if (!current) return false;
      if (!sameTestedSettings(current, record) || (await ctx.vault.get(id)).token !== secret.token) return true;
      if (ctx.connections.writable) {
        ctx.connections.put({ ...current, lastTest: report, lastTestedAt: report.testedAt, lastSuccessAt: report.ok ? report.testedAt : current.lastSuccessAt });
      }
      return false;
    });
    if (stale) report = { ...report, warnings: [...report.warnings, STALE_RESULT] };
    ctx.log('connection-tested', report.ok ? 'success' : 'failure', record, stale ? `${report.verdict} (not saved: the settings changed during the test)` : report.verdict);
    return report;
  }

  return {
    calls: {
      testConnection,
      async cancelTest({ id }: { id: string }): Promise<ContractOutputs['cancelTest']> {
        return { cancelled: cancelRunning(id) };
      },
    },
    runTest,
    cancelRunning,
  };

  /** Cancels the running test of this connection, if any. */
  function cancelRunning(id: string): boolean {
    const controller = running.get(id);
    controller?.abort();
    return controller !== undefined;
  }
}

function noSecretReport(undecryptable: boolean, now: Date): TestReport {
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
    testedAt: now.toISOString(),
  };
}

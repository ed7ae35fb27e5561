// The service behind the contract, one feature per file, over one shared context. Every change
// and every test is written to the audit log; no secret ever leaves through a return value, an
// error, the audit log or an export without encryption.
import type { KeybridgeApi, KeybridgeEvents } from '../../../shared/contract';
import type { CoreHost } from '../ports';
import { auditCalls } from './audit-calls';
import { connectionCalls } from './connection-calls';
import { connectionTestCalls } from './connection-test-calls';
import { ServiceContext, type ServiceOptions } from './context';
import { openApiCalls } from './openapi-calls';
import { statusCalls } from './status-calls';
import { tokenCalls } from './token-calls';
import { transferCalls } from './transfer-calls';
import { trustCalls } from './trust-calls';

export type { ServiceOptions } from './context';
export { expiryOf } from './connection-view';

/** One method per contract call, each taking already-validated input: the window's API, in main. */
export type ServiceCalls = KeybridgeApi;

export type KeybridgeService = ServiceCalls &
  KeybridgeEvents & {
    /** Where the files are (for tests and diagnostics). */
    readonly files: { connections: string; secrets: string; audit: string };
  };

export function createKeybridgeService(host: CoreHost, options: ServiceOptions = {}): KeybridgeService {
  const ctx = new ServiceContext(host, options);
  const tests = connectionTestCalls(ctx);
  const tokens = tokenCalls(ctx, tests.runTest);
  const calls: ServiceCalls = {
    ...statusCalls(ctx),
    ...connectionCalls(ctx, tokens.takeSecret, { testConnection: tests.calls.testConnection, cancelRunning: tests.cancelRunning }),
    ...tests.calls,
    ...tokens.calls,
    ...trustCalls(ctx, tests.calls.testConnection),
    ...transferCalls(ctx),
    ...auditCalls(ctx),
    ...openApiCalls(ctx),
  };
  return {
    ...calls,
    onTestProgress: (listener) => ctx.onTestProgress(listener),
    files: { connections: ctx.connections.path, secrets: ctx.vault.path, audit: ctx.audit.path },
  };
}

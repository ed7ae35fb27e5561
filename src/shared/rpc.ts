// The transport-neutral half of the contract: call names, channel names, the answer envelope and
// the client factory. No zod here, so the sandboxed preload bundle stays small.
import type { CallName, ContractOutputs, KeybridgeApi, KeybridgeEvents } from './contract';
import type { TestProgress } from './types';

/** Every call of the contract, in one list (checked against `contract` by the type below). */
export const CALL_NAMES = [
  'getStatus',
  'listConnections',
  'saveConnection',
  'saveAndTestConnection',
  'testConnection',
  'cancelTest',
  'deleteConnection',
  'trustCertificate',
  'forgetTrustedCertificate',
  'importTokenFile',
  'importTokenText',
  'setConnectionEnabled',
  'rotateToken',
  'exportConnections',
  'setTheme',
  'importOpenApi',
  'previewImport',
  'importConnections',
  'listAudit',
  'exportAudit',
  'setSecretPolicy',
  'addCaCertificate',
  'removeCaCertificate',
  'setClientCertificate',
  'removeClientCertificate',
] as const satisfies readonly CallName[];

// Fails to compile when a call is in `contract` but missing from CALL_NAMES.
type Missing = Exclude<CallName, (typeof CALL_NAMES)[number]>;
const allCallsListed: [Missing] extends [never] ? true : Missing = true;
void allCallsListed;

export const CHANNEL_PREFIX = 'keybridge:';
export const channelFor = (call: CallName): string => `${CHANNEL_PREFIX}${call}`;
/** The one channel main sends on (to the trusted window only): steps of running tests. */
export const PROGRESS_CHANNEL = `${CHANNEL_PREFIX}event:testProgress`;

/** What crosses the boundary: never a thrown Error, whose text Electron would rewrite. */
export type Envelope<T = unknown> =
  | { ok: true; value: T }
  | { ok: false; error: { code: string; message: string } };

/** Error raised in the window when a call is refused; `code` is stable, `message` is for people. */
export class KeybridgeCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'KeybridgeCallError';
  }
}

export type Invoke = (call: CallName, input: unknown) => Promise<Envelope>;

/**
 * What the preload exposes as `window.keybridge`: one function per call, answering an envelope.
 * Envelopes (not thrown errors) cross contextBridge, because it keeps only an error's message.
 */
export type KeybridgeBridge = {
  [C in CallName]: (input?: unknown) => Promise<Envelope<ContractOutputs[C]>>;
} & KeybridgeEvents;

/** How a transport delivers progress: registers a listener for payloads, returns its removal. */
export type Subscribe = (listener: (progress: TestProgress) => void) => () => void;

export function createBridge(invoke: Invoke, subscribe: Subscribe): KeybridgeBridge {
  const bridge: Record<string, unknown> = {};
  for (const call of CALL_NAMES) bridge[call] = (input?: unknown) => invoke(call, input);
  // Only the caller's function is kept, wrapped: no listener object or event crosses the bridge.
  bridge.onTestProgress = (listener: unknown) => {
    if (typeof listener !== 'function') throw new TypeError('onTestProgress takes a function.');
    return subscribe((progress) => (listener as (p: TestProgress) => void)(progress));
  };
  return Object.freeze(bridge) as unknown as KeybridgeBridge;
}

/** The typed API the window uses: unwraps envelopes, throws KeybridgeCallError on refusal. */
export function createClient(bridge: KeybridgeBridge): KeybridgeApi & KeybridgeEvents {
  const api: Record<string, unknown> = {};
  for (const call of CALL_NAMES) {
    api[call] = async (input?: unknown) => {
      const answer = await bridge[call](input);
      if (answer.ok) return answer.value;
      throw new KeybridgeCallError(answer.error.code, answer.error.message);
    };
  }
  api.onTestProgress = (listener: (progress: TestProgress) => void) => bridge.onTestProgress(listener);
  return Object.freeze(api) as unknown as KeybridgeApi & KeybridgeEvents;
}

// Turns one call from any transport (Electron IPC, the test bridge) into a service call: the input
// is validated with the contract's zod schema first, and every answer is an envelope whose error
// text is safe to show.
import { contract, type CallName } from '../../shared/contract';
import type { Envelope } from '../../shared/rpc';
import { KeybridgeError } from './errors';
import type { KeybridgeService } from './service';

export type Dispatch = (call: string, input: unknown) => Promise<Envelope>;

const isCall = (call: string): call is CallName => Object.prototype.hasOwnProperty.call(contract, call);

export function createDispatcher(service: KeybridgeService, log: (line: string) => void = () => {}): Dispatch {
  return async (call, input) => {
    if (!isCall(call)) return refuse('unknown-call', 'This request is not part of the Keybridge API.');
    const parsed = contract[call].safeParse(input);
    if (!parsed.success) {
      // zod messages name the field and the rule, never the value that was sent.
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      return refuse('invalid-input', `${where}${issue?.message ?? 'The request is not valid.'}`);
    }
    try {
      // Each call name is a method of the service (ServiceCalls makes a missing one fail to compile).
      const value = await (service[call] as (input: unknown) => Promise<unknown>)(parsed.data);
      return { ok: true, value };
    } catch (error) {
      if (error instanceof KeybridgeError) return refuse(error.code, error.message);
      // Unknown errors may carry anything in their text: log only their kind.
      const kind = error instanceof Error ? `${error.name}${'code' in error ? ` ${String(error.code)}` : ''}` : typeof error;
      log(`call ${call} failed: ${kind}`);
      return refuse('internal', `Keybridge hit an unexpected problem (${kind}). Try again.`);
    }
  };
}

const refuse = (code: string, message: string): Envelope => ({ ok: false, error: { code, message } });

// The pieces every slice uses: what a call's outcome looks like in the window, and the one way a
// slice runs a call (marked busy, applying only what main confirmed).
import { KeybridgeCallError } from '../../shared/rpc';
import type { ConnectionView } from '../../shared/types';
import type { KeybridgeState } from './index';

/** Short calls that block the window's other changes; a running test is `testingId` instead. */
export type Busy = 'loading' | 'saving' | 'deleting' | null;

export type Outcome = { ok: true } | { ok: false; code: string; message: string };

export type SetState = (partial: Partial<KeybridgeState> | ((state: KeybridgeState) => Partial<KeybridgeState>)) => void;
export type GetState = () => KeybridgeState;

/** One test at a time: a second one is refused in the window, before main is asked. */
export const ANOTHER_TEST: Outcome = { ok: false, code: 'test-running', message: 'Another test is running. Wait for it to end, or cancel it.' };

export const failure = (error: unknown): Outcome =>
  error instanceof KeybridgeCallError
    ? { ok: false, code: error.code, message: error.message }
    : { ok: false, code: 'internal', message: 'Something went wrong in the window. Try again.' };

export const upsert = (list: ConnectionView[], item: ConnectionView): ConnectionView[] =>
  list.some((c) => c.id === item.id) ? list.map((c) => (c.id === item.id ? item : c)) : [...list, item];

export const withConnection = (connection: ConnectionView) => (state: KeybridgeState) => ({ connections: upsert(state.connections, connection) });

/** Marks `id` as the connection being tested, with no live steps yet. */
export const testStarts = (id: string): Partial<KeybridgeState> => ({ testingId: id, progress: { connectionId: id, steps: [], startedAt: performance.now() } });

/**
 * Runs one call; on success applies what it answered, on refusal hands back the reason. `mark`
 * is what the window shows meanwhile: a busy kind, or the id of the connection being tested (one
 * test at a time: a second is refused here, before main is asked).
 */
export function performer(set: SetState, get: GetState) {
  return async <T>(mark: Busy | { testing: string }, call: () => Promise<T>, apply: (value: T, state: KeybridgeState) => Partial<KeybridgeState>): Promise<Outcome> => {
    const testing = typeof mark === 'object' && mark !== null;
    if (testing && get().testingId !== null) return ANOTHER_TEST;
    const end = testing ? { testingId: null } : { busy: null };
    set(testing ? testStarts(mark.testing) : { busy: mark });
    try {
      const value = await call();
      set((state) => ({ ...apply(value, state), ...end }));
      return { ok: true };
    } catch (error) {
      set(end);
      return failure(error);
    }
  };
}

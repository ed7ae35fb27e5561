// The saved connections (as the masked views main sends), which one is open, and the one test that
// runs at a time: its connection and its live steps. The rest of the window stays usable meanwhile.
import type { ConnectionInput } from '../../shared/contract';
import type { ConnectionView, TestReport, TestStep } from '../../shared/types';
import { api } from '../api';
import { ANOTHER_TEST, failure, performer, testStarts, withConnection, type GetState, type Outcome, type SetState } from './perform';

export interface LiveTest {
  connectionId: string;
  steps: TestStep[];
  /** performance.now() when it started, for the elapsed time. */
  startedAt: number;
}

export interface ConnectionsSlice {
  connections: ConnectionView[];
  /** null = the "new connection" form. */
  selectedId: string | null;
  /**
   * Changes when the admin opens another connection (the pane is drawn afresh), not when a new
   * connection is saved and gets its id: the form, its tab and focus stay as they are.
   */
  paneKey: string;
  /** The connection whose test is running, or null. One test at a time. */
  testingId: string | null;
  progress: LiveTest | null;
  select(id: string | null): void;
  /** `onSaved` runs once main has saved, before the test: what was saved is the form's new baseline. */
  saveAndTest(input: ConnectionInput, onSaved?: () => void): Promise<Outcome>;
  retest(id: string): Promise<Outcome>;
  cancelTest(id: string): void;
  remove(id: string): Promise<Outcome>;
  setEnabled(id: string, enabled: boolean): Promise<Outcome>;
}

const withReport = (id: string, report: TestReport) => (state: { connections: ConnectionView[] }) => ({
  connections: state.connections.map((c) => (c.id === id ? { ...c, lastTest: report, lastTestedAt: report.testedAt } : c)),
});

export const connectionsSlice = (set: SetState, get: GetState): ConnectionsSlice => {
  const perform = performer(set, get);
  return {
    connections: [],
    selectedId: null,
    paneKey: 'new',
    testingId: null,
    progress: null,
    select(id) {
      const state = get();
      if (state.busy !== null || (id === state.selectedId && state.view.kind === 'connection') || !state.leaveChangedForm()) return;
      set({ selectedId: id, paneKey: id ?? `new-${Date.now()}`, view: { kind: 'connection' }, formDirty: false });
    },
    // Two calls, so that the test of a connection just created can be cancelled like any other:
    // once saved, the connection (and its id) is in the window while its test runs.
    async saveAndTest(input, onSaved) {
      if (get().testingId !== null) return ANOTHER_TEST;
      set({ busy: 'saving' });
      let id: string | null = null;
      try {
        const saved = await api.saveConnection(input);
        id = saved.id;
        set((state) => ({ ...withConnection(saved)(state), selectedId: saved.id, busy: null }));
        onSaved?.();
        set(testStarts(saved.id));
        const report = await api.testConnection({ id: saved.id });
        set((state) => ({ ...withReport(saved.id, report)(state), testingId: null }));
        return { ok: true };
      } catch (error) {
        set({ busy: null, ...(id ? { testingId: null } : {}) });
        return failure(error);
      }
    },
    retest: (id) => perform({ testing: id }, () => api.testConnection({ id }), (report, state) => withReport(id, report)(state)),
    cancelTest(id) {
      if (get().testingId === id) void api.cancelTest({ id }).catch(() => undefined);
    },
    remove: (id) =>
      perform('deleting', () => api.deleteConnection({ id }), (_deleted, state) => {
        const connections = state.connections.filter((c) => c.id !== id);
        // A fresh key even when the list is now empty: the new-connection form starts blank.
        return { connections, selectedId: connections[0]?.id ?? null, paneKey: connections[0]?.id ?? `new-${Date.now()}` };
      }),
    setEnabled: (id, enabled) => perform('saving', () => api.setConnectionEnabled({ id, enabled }), (connection, state) => withConnection(connection)(state)),
  };
};

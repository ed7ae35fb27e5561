// The window's state: the saved connections (as the masked views main sends), which one is open,
// and whether a test is running. Every change goes through the API; nothing is kept that main
// did not confirm.
import { create } from 'zustand';
import type { ConnectionInput } from '../shared/contract';
import { KeybridgeCallError } from '../shared/rpc';
import type { ConnectionView, StatusView } from '../shared/types';
import { api } from './api';

export type Busy = 'loading' | 'saving' | 'testing' | 'deleting' | null;

/** What the main pane shows. */
export type View = { kind: 'connection' } | { kind: 'audit' } | { kind: 'transfer' };

export type Outcome = { ok: true } | { ok: false; code: string; message: string };

interface KeybridgeState {
  view: View;
  status: StatusView | null;
  connections: ConnectionView[];
  /** null = the "new connection" form. */
  selectedId: string | null;
  busy: Busy;
  loadError: string | null;
  load(): Promise<void>;
  select(id: string | null): void;
  /** The connection form differs from what is saved: leaving it asks first. */
  formDirty: boolean;
  setFormDirty(dirty: boolean): void;
  saveAndTest(input: ConnectionInput): Promise<Outcome>;
  retest(id: string): Promise<Outcome>;
  remove(id: string): Promise<Outcome>;
  trustCertificate(id: string, spkiSha256: string): Promise<Outcome>;
  setEnabled(id: string, enabled: boolean): Promise<Outcome>;
  addCaCertificate(id: string): Promise<Outcome>;
  removeCaCertificate(id: string, sha256: string): Promise<Outcome>;
  setClientCertificate(id: string, passphrase: string): Promise<Outcome>;
  removeClientCertificate(id: string): Promise<Outcome>;
  rotate(id: string, secret: { apiToken?: string; tokenImportId?: string }): Promise<Outcome & { rotated?: boolean }>;
  setSecretPolicy(allowObfuscated: boolean): Promise<Outcome>;
  show(view: View): void;
  forgetTrustedCertificate(id: string): Promise<Outcome>;
}

const failure = (error: unknown): Outcome =>
  error instanceof KeybridgeCallError
    ? { ok: false, code: error.code, message: error.message }
    : { ok: false, code: 'internal', message: 'Something went wrong in the window. Try again.' };

const upsert = (list: ConnectionView[], item: ConnectionView): ConnectionView[] =>
  list.some((c) => c.id === item.id) ? list.map((c) => (c.id === item.id ? item : c)) : [...list, item];

export const useKeybridge = create<KeybridgeState>((set, get) => {
  /**
   * Runs one call with the window marked busy; on success applies what it answered, on refusal
   * hands back the reason. Nothing is changed in the window that main did not confirm.
   */
  const perform = async <T>(busy: Busy, call: () => Promise<T>, apply: (value: T, state: KeybridgeState) => Partial<KeybridgeState>): Promise<Outcome> => {
    set({ busy });
    try {
      const value = await call();
      set((state) => ({ ...apply(value, state), busy: null }));
      return { ok: true };
    } catch (error) {
      set({ busy: null });
      return failure(error);
    }
  };
  /** True when there is nothing unsaved, or the admin agrees to drop it. */
  const leaveChangedForm = (): boolean => !get().formDirty || window.confirm('This connection has changes that are not saved. Leave them?');
  const withConnection = (connection: ConnectionView) => (state: KeybridgeState) => ({ connections: upsert(state.connections, connection) });

  return {
    view: { kind: 'connection' },
    status: null,
    connections: [],
    selectedId: null,
    busy: 'loading',
    loadError: null,
    async load() {
      set({ busy: 'loading', loadError: null });
      try {
        const [status, connections] = await Promise.all([api.getStatus(), api.listConnections()]);
        set({ status, connections, selectedId: connections[0]?.id ?? null, busy: null });
      } catch (error) {
        const outcome = failure(error);
        set({ busy: null, loadError: outcome.ok ? null : outcome.message });
      }
    },
    formDirty: false,
    setFormDirty(dirty) {
      if (get().formDirty !== dirty) set({ formDirty: dirty });
    },
    select(id) {
      if (get().busy !== null || (id === get().selectedId && get().view.kind === 'connection') || !leaveChangedForm()) return;
      set({ selectedId: id, view: { kind: 'connection' }, formDirty: false });
    },
    show(view) {
      if (get().busy === null && leaveChangedForm()) set({ view, formDirty: false });
    },
    // Two calls, so that the test of a connection just created can be cancelled like any other:
    // once saved, the connection (and its id) is in the window while its test runs.
    async saveAndTest(input) {
      set({ busy: 'testing' });
      try {
        const saved = await api.saveConnection(input);
        set((state) => ({ ...withConnection(saved)(state), selectedId: saved.id }));
        const report = await api.testConnection({ id: saved.id });
        set((state) => ({ connections: state.connections.map((c) => (c.id === saved.id ? { ...c, lastTest: report, lastTestedAt: report.testedAt } : c)), busy: null }));
        return { ok: true };
      } catch (error) {
        set({ busy: null });
        return failure(error);
      }
    },
    retest: (id) =>
      perform('testing', () => api.testConnection({ id }), (report, state) => ({
        connections: state.connections.map((c) => (c.id === id ? { ...c, lastTest: report } : c)),
      })),
    remove: (id) =>
      perform('deleting', () => api.deleteConnection({ id }), (_deleted, state) => {
        const connections = state.connections.filter((c) => c.id !== id);
        return { connections, selectedId: connections[0]?.id ?? null };
      }),
    trustCertificate: (id, spkiSha256) => perform('testing', () => api.trustCertificate({ id, spkiSha256 }), ({ connection }, state) => withConnection(connection)(state)),
    forgetTrustedCertificate: (id) => perform('saving', () => api.forgetTrustedCertificate({ id }), (connection, state) => withConnection(connection)(state)),
    setEnabled: (id, enabled) => perform('saving', () => api.setConnectionEnabled({ id, enabled }), (connection, state) => withConnection(connection)(state)),
    // A cancelled file dialog answers null: nothing changes.
    addCaCertificate: (id) => perform('saving', () => api.addCaCertificate({ id }), (connection, state) => (connection ? withConnection(connection)(state) : {})),
    removeCaCertificate: (id, sha256) => perform('saving', () => api.removeCaCertificate({ id, sha256 }), (connection, state) => withConnection(connection)(state)),
    setClientCertificate: (id, passphrase) =>
      perform('saving', () => api.setClientCertificate({ id, ...(passphrase ? { passphrase } : {}) }), (connection, state) => (connection ? withConnection(connection)(state) : {})),
    removeClientCertificate: (id) => perform('saving', () => api.removeClientCertificate({ id }), (connection, state) => withConnection(connection)(state)),
    async rotate(id, secret) {
      let rotated = false;
      let title = '';
      const outcome = await perform('testing', () => api.rotateToken({ id, ...secret }), (result, state) => {
        rotated = result.rotated;
        title = result.report.title;
        // The new report is shown either way; the connection keeps its old token when refused.
        return withConnection({ ...result.connection, lastTest: result.report })(state);
      });
      if (!outcome.ok || rotated) return { ...outcome, rotated };
      return { ok: false, code: 'rotation-refused', message: `The new token did not pass the test (${title}), so the old token was kept.` };
    },
    async setSecretPolicy(allowObfuscated) {
      try {
        const status = await api.setSecretPolicy({ allowObfuscated });
        set({ status, connections: await api.listConnections() });
        return { ok: true };
      } catch (error) {
        return failure(error);
      }
    },
  };
});

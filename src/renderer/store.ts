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
  saveAndTest(input: ConnectionInput): Promise<Outcome>;
  retest(id: string): Promise<Outcome>;
  remove(id: string): Promise<Outcome>;
  trustCertificate(id: string, spkiSha256: string): Promise<Outcome>;
  setEnabled(id: string, enabled: boolean): Promise<Outcome>;
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

export const useKeybridge = create<KeybridgeState>((set, get) => ({
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
  select(id) {
    if (get().busy === null) set({ selectedId: id, view: { kind: 'connection' } });
  },
  show(view) {
    if (get().busy === null) set({ view });
  },
  async setEnabled(id, enabled) {
    set({ busy: 'saving' });
    try {
      const connection = await api.setConnectionEnabled({ id, enabled });
      set((s) => ({ connections: upsert(s.connections, connection), busy: null }));
      return { ok: true };
    } catch (error) {
      set({ busy: null });
      return failure(error);
    }
  },
  async rotate(id, secret) {
    set({ busy: 'testing' });
    try {
      const result = await api.rotateToken({ id, ...secret });
      // The new report is shown either way; the connection keeps its old token when refused.
      const connection = { ...result.connection, lastTest: result.report };
      set((s) => ({ connections: upsert(s.connections, connection), busy: null }));
      return result.rotated
        ? { ok: true, rotated: true }
        : { ok: false, code: 'rotation-refused', message: `The new token did not pass the test (${result.report.title}), so the old token was kept.` };
    } catch (error) {
      set({ busy: null });
      return failure(error);
    }
  },
  async setSecretPolicy(allowObfuscated) {
    try {
      const status = await api.setSecretPolicy({ allowObfuscated });
      const connections = await api.listConnections();
      set({ status, connections });
      return { ok: true };
    } catch (error) {
      return failure(error);
    }
  },
  async saveAndTest(input) {
    set({ busy: 'testing' });
    try {
      const { connection } = await api.saveAndTestConnection(input);
      set((s) => ({ connections: upsert(s.connections, connection), selectedId: connection.id, busy: null }));
      return { ok: true };
    } catch (error) {
      set({ busy: null });
      return failure(error);
    }
  },
  async retest(id) {
    set({ busy: 'testing' });
    try {
      const report = await api.testConnection({ id });
      set((s) => ({ connections: s.connections.map((c) => (c.id === id ? { ...c, lastTest: report } : c)), busy: null }));
      return { ok: true };
    } catch (error) {
      set({ busy: null });
      return failure(error);
    }
  },
  async trustCertificate(id, spkiSha256) {
    set({ busy: 'testing' });
    try {
      const { connection } = await api.trustCertificate({ id, spkiSha256 });
      set((s) => ({ connections: upsert(s.connections, connection), busy: null }));
      return { ok: true };
    } catch (error) {
      set({ busy: null });
      return failure(error);
    }
  },
  async forgetTrustedCertificate(id) {
    set({ busy: 'saving' });
    try {
      const connection = await api.forgetTrustedCertificate({ id });
      set((s) => ({ connections: upsert(s.connections, connection), busy: null }));
      return { ok: true };
    } catch (error) {
      set({ busy: null });
      return failure(error);
    }
  },
  async remove(id) {
    set({ busy: 'deleting' });
    try {
      await api.deleteConnection({ id });
      set((s) => {
        const connections = s.connections.filter((c) => c.id !== id);
        return { connections, selectedId: connections[0]?.id ?? null, busy: null };
      });
      return { ok: true };
    } catch (error) {
      set({ busy: null });
      return failure(error);
    }
  },
}));

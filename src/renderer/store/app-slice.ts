// What the window is showing and the app's status: which pane, whether the form holds unsaved
// changes (leaving it asks first), the start-up load, and the no-keyring policy.
import type { StatusView } from '../../shared/types';
import { api } from '../api';
import type { KeybridgeState } from './index';
import { failure, type GetState, type Outcome, type SetState } from './perform';

/** What the main pane shows. */
export type View = { kind: 'connection' } | { kind: 'audit' } | { kind: 'transfer' };

export interface AppSlice {
  view: View;
  status: StatusView | null;
  loadError: string | null;
  load(): Promise<void>;
  show(view: View): void;
  /** The connection form differs from what is saved: leaving it asks first. */
  formDirty: boolean;
  setFormDirty(dirty: boolean): void;
  /** True when there is nothing unsaved, or the admin agrees to drop it. */
  leaveChangedForm(): boolean;
  setSecretPolicy(allowObfuscated: boolean): Promise<Outcome>;
}

export const appSlice = (set: SetState, get: GetState): AppSlice => {
  let listening = false;
  return {
    view: { kind: 'connection' },
    status: null,
    loadError: null,
    async load() {
      set({ busy: 'loading', loadError: null });
      if (!listening) {
        listening = true;
        // The steps of the running test, as main reports them (one subscription for the window's life).
        api.onTestProgress((progress) => {
          const live = get().progress;
          if (live && live.connectionId === progress.connectionId) {
            set({ progress: { ...live, steps: [...live.steps.filter((s) => s.id !== progress.step.id), progress.step] } });
          }
        });
      }
      try {
        const [status, connections] = await Promise.all([api.getStatus(), api.listConnections()]);
        set({ status, connections, selectedId: connections[0]?.id ?? null, paneKey: connections[0]?.id ?? 'new', busy: null });
      } catch (error) {
        const outcome = failure(error);
        set({ busy: null, loadError: outcome.ok ? null : outcome.message });
      }
    },
    show(view) {
      if (get().busy === null && get().leaveChangedForm()) set({ view, formDirty: false });
    },
    formDirty: false,
    setFormDirty(dirty) {
      if (get().formDirty !== dirty) set({ formDirty: dirty });
    },
    leaveChangedForm: () => !get().formDirty || window.confirm('This connection has changes that are not saved. Leave them?'),
    async setSecretPolicy(allowObfuscated) {
      try {
        const status = await api.setSecretPolicy({ allowObfuscated });
        set({ status, connections: await api.listConnections() } satisfies Partial<KeybridgeState>);
        return { ok: true };
      } catch (error) {
        return failure(error);
      }
    },
  };
};

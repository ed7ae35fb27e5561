// The native file dialogs, answered by the test: set `open` / `save` to the path the admin would
// choose next, or null for Cancel.
import type { DialogPort } from '../../src/main/core/ports';

export type ScriptedDialogs = DialogPort & { open: string | null; save: string | null };

export function scriptedDialogs(): ScriptedDialogs {
  const dialogs: ScriptedDialogs = {
    open: null,
    save: null,
    openFile: async () => dialogs.open,
    saveFile: async () => dialogs.save,
  };
  return dialogs;
}

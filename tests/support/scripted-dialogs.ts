// The native dialogs, answered by the test: set `open` / `save` to the path the admin would
// choose next, or null for Cancel; `confirmAnswer` is the admin's answer to the next question
// (false = Cancel), and `questions` records every question asked.
import type { Confirmation, DialogPort } from '../../src/main/core/ports';

export type ScriptedDialogs = DialogPort & { open: string | null; save: string | null; confirmAnswer: boolean; questions: Confirmation[] };

export function scriptedDialogs(): ScriptedDialogs {
  const dialogs: ScriptedDialogs = {
    open: null,
    save: null,
    confirmAnswer: false,
    questions: [],
    openFile: async () => dialogs.open,
    saveFile: async () => dialogs.save,
    confirm: async (question) => {
      dialogs.questions.push(question);
      return dialogs.confirmAnswer;
    },
  };
  return dialogs;
}

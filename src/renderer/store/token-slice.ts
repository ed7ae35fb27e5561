// The secret's way in: key files and pasted text are imported in main (the window keeps only the
// import's id and masked hint), a saved token is rotated only when the new one passes a test, and an
// OpenAPI specification is read for the endpoints it offers.
import type { CallInput } from '../../shared/contract';
import type { OpenApiSummary, TokenImport } from '../../shared/types';
import { api } from '../api';
import { performer, withConnection, type GetState, type SetState, type Outcome } from './perform';

export interface TokenSlice {
  /** Opens main's file dialog; null when cancelled. Throws KeybridgeCallError when refused. */
  importTokenFile(): Promise<TokenImport | null>;
  /** A dropped file's text or a pasted token, imported in main. Throws KeybridgeCallError when refused. */
  importTokenText(input: CallInput<'importTokenText'>): Promise<TokenImport>;
  rotate(id: string, secret: { apiToken?: string; tokenImportId?: string }): Promise<Outcome & { rotated?: boolean }>;
  /** Throws KeybridgeCallError when refused; null when the file dialog was cancelled. */
  importOpenApi(input?: CallInput<'importOpenApi'>): Promise<OpenApiSummary | null>;
}

export const tokenSlice = (set: SetState, get: GetState): TokenSlice => {
  const perform = performer(set, get);
  return {
    importTokenFile: () => api.importTokenFile(),
    importTokenText: (input) => api.importTokenText(input),
    importOpenApi: (input) => api.importOpenApi(input),
    async rotate(id, secret) {
      let rotated = false;
      let title = '';
      const outcome = await perform({ testing: id }, () => api.rotateToken({ id, ...secret }), (result, state) => {
        rotated = result.rotated;
        title = result.report.title;
        // The new report is shown either way; the connection keeps its old token when refused.
        return withConnection({ ...result.connection, lastTest: result.report })(state);
      });
      if (!outcome.ok || rotated) return { ...outcome, rotated };
      return { ok: false, code: 'rotation-refused', message: `The new token did not pass the test (${title}), so the old token was kept.` };
    },
  };
};

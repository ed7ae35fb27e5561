// The audit log and moving connections between workstations: calls whose answers the views keep
// for themselves (a page of the log, an import preview). They throw KeybridgeCallError when refused.
import type { CallInput, ContractOutputs } from '../../shared/contract';
import { api } from '../api';
import type { GetState, SetState } from './perform';

export interface RecordsSlice {
  listAudit(input: CallInput<'listAudit'>): Promise<ContractOutputs['listAudit']>;
  exportAudit(input: CallInput<'exportAudit'>): Promise<ContractOutputs['exportAudit']>;
  exportConnections(input: CallInput<'exportConnections'>): Promise<ContractOutputs['exportConnections']>;
  previewImport(input: CallInput<'previewImport'>): Promise<ContractOutputs['previewImport']>;
  /** Imports what the preview showed, then reloads the list so the new connections appear. */
  importConnections(input: CallInput<'importConnections'>): Promise<ContractOutputs['importConnections']>;
}

export const recordsSlice = (set: SetState, get: GetState): RecordsSlice => ({
  listAudit: (input) => api.listAudit(input),
  exportAudit: (input) => api.exportAudit(input),
  exportConnections: (input) => api.exportConnections(input),
  previewImport: (input) => api.previewImport(input),
  async importConnections(input) {
    const result = await api.importConnections(input);
    const connections = await api.listConnections();
    set({ connections, selectedId: get().selectedId ?? connections[0]?.id ?? null });
    return result;
  },
});

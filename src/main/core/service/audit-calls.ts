// The audit log: filtered listing for the window, and export as CSV or JSON.
import type { CallInput, ContractOutputs } from '../../../shared/contract';
import { auditToCsv, type AuditLog } from '../audit/audit-log';
import { writeOwnerOnly } from '../files/write-owner-only';
import type { ServiceContext } from './context';

export function auditCalls(ctx: ServiceContext) {
  return {
    async listAudit(query: CallInput<'listAudit'>): Promise<ContractOutputs['listAudit']> {
      return ctx.audit.query(query as Parameters<AuditLog['query']>[0]);
    },

    async exportAudit({ format }: CallInput<'exportAudit'>): Promise<ContractOutputs['exportAudit']> {
      const file = await ctx.dialogs().saveFile(format === 'csv' ? 'audit-csv' : 'audit-json', `keybridge-audit-${ctx.now().toISOString().slice(0, 10)}.${format}`);
      if (file === null) return null;
      const entries = ctx.audit.query({ limit: 1_000_000 }).reverse();
      await writeOwnerOnly(file, format === 'csv' ? auditToCsv(entries) : `${JSON.stringify(entries, null, 2)}\n`);
      return { file, count: entries.length };
    },
  };
}

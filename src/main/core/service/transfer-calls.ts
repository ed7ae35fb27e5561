// Export and import of connections between workstations (see transfer/export-file.ts for the file).
import path from 'node:path';
import type { CallInput, ContractOutputs } from '../../../shared/contract';
import { KeybridgeError } from '../errors';
import { readBoundedFile } from '../files/read-bounded';
import { writeOwnerOnly } from '../files/write-owner-only';
import { checkApiToken } from '../secrets/token-rules';
import { connectionRecordSchema } from '../store/connection-record';
import { EXPORT_FORMAT, exportFileSchema, MIN_PASSPHRASE, seal, unseal, type ExportFile } from '../transfer/export-file';
import type { ServiceContext } from './context';

export function transferCalls(ctx: ServiceContext) {
  return {
    async exportConnections({ includeSecrets, passphrase }: CallInput<'exportConnections'>): Promise<ContractOutputs['exportConnections']> {
      if (includeSecrets && (passphrase ?? '').length < MIN_PASSPHRASE) {
        throw new KeybridgeError('weak-passphrase', `Choose a passphrase of at least ${MIN_PASSPHRASE} characters to protect the exported secrets.`);
      }
      const file = await ctx.dialogs().saveFile('connections', `keybridge-connections-${ctx.now().toISOString().slice(0, 10)}.json`);
      if (file === null) return null;
      const records = ctx.connections.list();
      let sealed: ExportFile['secrets'] = null;
      if (includeSecrets) {
        const secrets: Record<string, string> = {};
        for (const record of records) {
          const found = await ctx.vault.get(record.id);
          if (found.token !== null) secrets[record.id] = found.token;
        }
        sealed = seal(secrets, passphrase as string);
      }
      const content: ExportFile = {
        format: EXPORT_FORMAT,
        version: 1,
        exportedAt: ctx.now().toISOString(),
        connections: records.map((r) => ({ ...r, lastTest: null })),
        secrets: sealed,
      };
      await writeOwnerOnly(file, `${JSON.stringify(content, null, 2)}\n`);
      ctx.log('connections-exported', 'success', undefined, `${records.length} connection(s), ${includeSecrets ? 'with encrypted secrets' : 'without secrets'}`);
      return { file, count: records.length, withSecrets: includeSecrets };
    },

    async importConnections({ passphrase }: CallInput<'importConnections'>): Promise<ContractOutputs['importConnections']> {
      const file = await ctx.dialogs().openFile('connections');
      if (file === null) return null;
      let content: ExportFile;
      try {
        const read = await readBoundedFile(file, 50 * 1024 * 1024);
        if (!read.ok) throw new Error(read.reason);
        content = exportFileSchema.parse(JSON.parse(read.bytes.toString('utf8')));
      } catch {
        throw new KeybridgeError('invalid-export-file', `${path.basename(file)} is not a Keybridge connections export.`);
      }
      let secrets: Record<string, string> = {};
      if (content.secrets) {
        if (!passphrase) throw new KeybridgeError('passphrase-required', 'This export holds encrypted secrets. Enter the passphrase it was exported with.');
        const opened = unseal(content.secrets, passphrase);
        if (!opened) {
          ctx.log('connections-imported', 'failure', undefined, 'wrong passphrase or changed file');
          throw new KeybridgeError('wrong-passphrase', 'The passphrase is wrong, or the file was changed after export. Nothing was imported.');
        }
        secrets = opened;
      }
      let imported = 0;
      let skipped = 0;
      let withSecret = 0;
      for (const raw of content.connections) {
        const parsed = connectionRecordSchema.safeParse(raw);
        if (!parsed.success || ctx.connections.get(parsed.data.id)) {
          skipped++;
          continue;
        }
        // Client keys are not exported: the certificate has to be chosen again on this workstation.
        const record = { ...parsed.data, clientCertificate: null, lastTest: null, updatedAt: ctx.now().toISOString() };
        const secret = secrets[record.id];
        if (secret !== undefined && checkApiToken(secret).ok) {
          await ctx.vault.put(record.id, secret);
          withSecret++;
        } else {
          record.token = { ...record.token, hint: null };
        }
        ctx.connections.put(record);
        ctx.log('connection-created', 'success', record, 'imported');
        imported++;
      }
      ctx.log('connections-imported', 'success', undefined, `${imported} imported, ${skipped} skipped, ${withSecret} with secrets`);
      return { file, imported, skipped, secrets: withSecret };
    },
  };
}

// Export and import of connections between workstations (the file: transfer/export-file.ts).
// An import is shown before it is made: previewImport reads, verifies and checks the whole file
// and lists what it would create, with everything that decides where each secret goes and what is
// trusted; importConnections then writes exactly that, all or nothing. A file that no passphrase
// authenticates brings names and addresses only: its trust settings (verify, pin, CA certificates,
// proxy) are set to the safe defaults unless the admin keeps them, connection by connection.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { CallInput, ContractOutputs } from '../../../shared/contract';
import { KeybridgeError } from '../errors';
import { readBoundedFile } from '../files/read-bounded';
import { writeOwnerOnly } from '../files/write-owner-only';
import { checkApiToken } from '../secrets/token-rules';
import { CONNECTIONS_SCHEMA_VERSION, type ConnectionRecord } from '../store/connection-record';
import { MIN_PASSPHRASE, openExport, writeExport } from '../transfer/export-file';
import { checkImportedRecords } from '../transfer/imported-records';
import { describeTrustForAudit, hasCustomTrust, importedConnection, withSafeTrust } from '../transfer/imported-trust';
import { ownerOfSecret, type ServiceContext } from './context';

const MAX_EXPORT_BYTES = 50 * 1024 * 1024;
const PREVIEW_TTL_MS = 10 * 60 * 1000;

interface Preview {
  file: string;
  records: ConnectionRecord[];
  secrets: Map<string, string>;
  /** The records are authenticated by the passphrase: their trust settings come as they are. */
  authenticated: boolean;
  expires: number;
}

export function transferCalls(ctx: ServiceContext) {
  /** Previews not yet imported, in memory only (they may hold secrets). */
  const previews = new Map<string, Preview>();
  const prune = (): void => {
    const now = ctx.now().getTime();
    for (const [id, preview] of previews) if (preview.expires < now) previews.delete(id);
  };

  return {
    async exportConnections({ includeSecrets, passphrase }: CallInput<'exportConnections'>): Promise<ContractOutputs['exportConnections']> {
      if (includeSecrets && (passphrase ?? '').length < MIN_PASSPHRASE) {
        throw new KeybridgeError('weak-passphrase', `Choose a passphrase of at least ${MIN_PASSPHRASE} characters to protect the exported secrets.`);
      }
      const file = await ctx.dialogs().saveFile('connections', `keybridge-connections-${ctx.now().toISOString().slice(0, 10)}.json`);
      if (file === null) return null;
      const records = ctx.connections.list();
      let secrets: Map<string, string> | null = null;
      if (includeSecrets) {
        secrets = new Map();
        for (const record of records) {
          const found = await ctx.vault.get(record.id);
          if (found.token !== null) secrets.set(record.id, found.token);
        }
      }
      // The records as the store holds them, so at its schema version: the file says which.
      const text = await writeExport(
        records.map((r) => ({ ...r, lastTest: null })),
        secrets,
        includeSecrets ? (passphrase as string) : null,
        ctx.now().toISOString(),
        CONNECTIONS_SCHEMA_VERSION,
      );
      await writeOwnerOnly(file, text);
      ctx.log('connections-exported', 'success', undefined, `${records.length} connection(s), ${includeSecrets ? 'with encrypted secrets' : 'without secrets'}`);
      return { file, count: records.length, withSecrets: includeSecrets };
    },

    async previewImport({ passphrase }: CallInput<'previewImport'>): Promise<ContractOutputs['previewImport']> {
      const file = await ctx.dialogs().openFile('connections');
      if (file === null) return null;
      const name = path.basename(file);
      const read = await readBoundedFile(file, MAX_EXPORT_BYTES);
      if (!read.ok) throw new KeybridgeError('invalid-export-file', `${name} is not a Keybridge connections export.`);
      const opened = await openExport(read.bytes.toString('utf8'), passphrase);
      if (!opened.ok) {
        if (opened.code !== 'passphrase-required') ctx.log('connections-imported', 'failure', undefined, `${name}: ${opened.code}`);
        throw new KeybridgeError(opened.code, opened.code === 'invalid-export-file' ? `${name}: ${opened.message}` : opened.message);
      }
      // Migrated from the schema the file was written at (verified by openExport), then checked.
      const checked = checkImportedRecords(opened.records, opened.schemaVersion);
      if (!checked.ok) {
        ctx.log('connections-imported', 'failure', undefined, `${name}: invalid record`);
        throw new KeybridgeError('invalid-export-file', `${name}: ${checked.message}`);
      }
      prune();
      const previewId = randomUUID();
      previews.set(previewId, {
        file,
        records: checked.records,
        secrets: opened.secrets,
        authenticated: opened.protection === 'passphrase',
        expires: ctx.now().getTime() + PREVIEW_TTL_MS,
      });
      return {
        previewId,
        file,
        protection: opened.protection,
        connections: checked.records.map((r) => importedConnection(r, ctx.connections.get(r.id) !== undefined, opened.secrets.has(r.id))),
      };
    },

    async importConnections({ previewId, keepTrust = [] }: CallInput<'importConnections'>): Promise<ContractOutputs['importConnections']> {
      prune();
      const preview = previews.get(previewId);
      if (!preview) throw new KeybridgeError('import-expired', 'This import is no longer available. Choose the file again.');
      // Only a connection this preview showed can keep its settings; anything else is refused whole.
      const shown = new Set(preview.records.map((r) => r.id));
      if (keepTrust.some((id) => !shown.has(id))) {
        throw new KeybridgeError('invalid-input', 'The settings to keep name a connection that is not in this import. Nothing was imported.');
      }
      const keep = new Set(keepTrust);
      ctx.assertWritable();
      previews.delete(previewId);
      const fresh = preview.records.filter((r) => ctx.connections.get(r.id) === undefined);
      const stamp = ctx.now().toISOString();
      // An id whose secret the vault still keeps (a set-aside record's) is taken by that secret:
      // the imported connection gets an id of its own, so it never inherits a token it did not bring.
      const { owners: setAside } = ctx.connections.setAsideOwners();
      const kept = new Set(ctx.vault.ids().map(ownerOfSecret));
      const taken = (id: string): boolean => kept.has(id.toLowerCase()) || setAside.has(id.toLowerCase());
      let withSecret = 0;
      const records: ConnectionRecord[] = [];
      const secrets: Array<{ id: string; value: string }> = [];
      const trustNotes = new Map<string, string>();
      let trustKept = 0;
      let trustReset = 0;
      for (const imported of fresh) {
        // Trust settings nobody authenticated are not taken on the file's word.
        let trusted = imported;
        if (hasCustomTrust(imported)) {
          const settings = describeTrustForAudit(imported);
          if (preview.authenticated || keep.has(imported.id)) {
            trustKept++;
            trustNotes.set(imported.id, `; trust settings kept (${settings})${preview.authenticated ? ', authenticated by the passphrase' : ', by the admin'}`);
          } else {
            trustReset++;
            trusted = withSafeTrust(imported);
            trustNotes.set(imported.id, `; trust settings from a file without a passphrase not kept (${settings}): safe defaults used`);
          }
        }
        // Client keys are not exported: the certificate has to be chosen again on this workstation.
        const record: ConnectionRecord = { ...trusted, id: taken(trusted.id) ? randomUUID() : trusted.id, clientCertificate: null, lastTest: null, updatedAt: stamp };
        if (record.id !== imported.id) trustNotes.set(record.id, `${trustNotes.get(imported.id) ?? ''}; new id (a set-aside connection keeps its own)`);
        const secret = preview.secrets.get(imported.id);
        if (secret !== undefined && checkApiToken(secret).ok) {
          secrets.push({ id: record.id, value: secret });
          withSecret++;
        } else {
          record.token = { ...record.token, hint: null };
        }
        records.push(record);
      }
      // Secrets first (a record never points at a secret that was not kept), put back if the records cannot be written.
      await ctx.withSecrets(secrets, () => ctx.connections.putAll(records));
      for (const record of records) ctx.log('connection-created', 'success', record, `imported${trustNotes.get(record.id) ?? ''}`);
      const skipped = preview.records.length - fresh.length;
      ctx.log(
        'connections-imported',
        'success',
        undefined,
        `${records.length} imported, ${skipped} skipped, ${withSecret} with secrets, trust settings kept for ${trustKept}, set to the safe defaults for ${trustReset}`,
      );
      return { file: preview.file, imported: records.length, skipped, secrets: withSecret, trustKept, trustReset };
    },
  };
}

// The records of an export file, checked before anything is written: each must be a valid stored
// record (a UUID id, CA certificates that parse, a real pin) and pass the same rules as the window's
// input (no control characters, lengths, an address that parses, a usable header name and proxy).
// One bad record refuses the whole file: an import is all or nothing.
import { connectionInputSchema } from '../../../shared/contract';
import { parseServerAddress } from '../address/parse-address';
import { checkHeaderName } from '../connection-test/auth-methods';
import { connectionRecordSchema, type ConnectionRecord } from '../store/connection-record';
import { MIGRATIONS } from '../store/migrations';
import { checkProxySetting } from '../trust/certificate-files';

export type CheckedRecords = { ok: true; records: ConnectionRecord[] } | { ok: false; message: string };

function problemOf(raw: unknown): { record?: ConnectionRecord; problem?: string } {
  const parsed = connectionRecordSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { problem: `${issue?.path.join('.') || 'the record'}: ${issue?.message ?? 'not a Keybridge connection'}` };
  }
  const record = parsed.data;
  const auth = record.auth;
  const asInput = connectionInputSchema.safeParse({
    id: record.id,
    name: record.name,
    description: record.description,
    serverAddress: record.serverAddress,
    authMethod: auth.method,
    authIdentity: auth.method === 'header' ? auth.headerName : auth.method === 'basic' ? auth.username : auth.method === 'passportal-hmac' ? auth.accessKeyId : undefined,
    endpoint: record.endpoint ?? undefined,
    verifyCertificate: record.trust.verifyCertificate,
    useSystemCa: record.trust.useSystemCa,
    proxy: record.proxy,
    owner: record.token.owner,
    keyName: record.token.keyName,
    createdOn: record.token.createdOn,
    expiresOn: record.token.expiresOn,
    boundHost: record.token.boundHost,
    enabled: record.enabled,
  });
  if (!asInput.success) {
    const issue = asInput.error.issues[0];
    return { problem: `${issue?.path.join('.') || 'a field'}: ${issue?.message ?? 'not valid'}` };
  }
  const address = parseServerAddress(record.serverAddress);
  if (!address.ok) return { problem: `server address: ${address.message}` };
  if (auth.method === 'header') {
    const header = checkHeaderName(auth.headerName);
    if (header) return { problem: header };
  }
  const proxy = checkProxySetting(record.proxy);
  if (!proxy.ok) return { problem: `proxy: ${proxy.message}` };
  // Previewed, stored and listed as it is reached: a look-alike host shows as its punycode.
  return { record: { ...record, serverAddress: address.canonical } };
}

/** Records exported before connections named their product get one, as stored records do (migrations.ts). */
function withPreset(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw) || 'preset' in raw) return raw;
  return MIGRATIONS[3]?.([raw as Record<string, unknown>])[0] ?? raw;
}

export function checkImportedRecords(raws: unknown[]): CheckedRecords {
  const records: ConnectionRecord[] = [];
  const ids = new Set<string>();
  for (const [index, exported] of raws.entries()) {
    const raw = withPreset(exported);
    const { record, problem } = problemOf(raw);
    if (!record) return { ok: false, message: `Connection ${index + 1} in the file cannot be imported (${problem}). Nothing was imported.` };
    if (ids.has(record.id)) return { ok: false, message: `Connection ${index + 1} in the file repeats an earlier connection's id. Nothing was imported.` };
    ids.add(record.id);
    records.push(record);
  }
  return { ok: true, records };
}

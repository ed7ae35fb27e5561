// The records of an export file, checked before anything is written: each must be a valid stored
// record (a UUID id, CA certificates that parse, a real pin) and pass the same rules as the window's
// input (no control characters, lengths, an address that parses, a usable header name and proxy).
// One bad record refuses the whole file: an import is all or nothing. Before that, the records are
// brought to this Keybridge's schema by the store's own migrations (store/migrations.ts), from the
// schema version the file says they were written at.
import { connectionInputSchema } from '../../../shared/contract';
import { parseServerAddress } from '../address/parse-address';
import { checkHeaderName } from '../connection-test/auth-methods';
import { CONNECTIONS_SCHEMA_VERSION, connectionRecordSchema, type ConnectionRecord } from '../store/connection-record';
import { migrate } from '../store/migrations';
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

type Raw = Record<string, unknown>;
const isRaw = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The schema version a record of a file that does not say (export versions 1 and 2) was written at.
 * Keybridge wrote those files while its connections were at schema 2 and, from the presets on, at
 * schema 3, the first schema in which every record names its product (`preset` is required there
 * and no earlier record has it). So a record with `preset` is at 3 and one without is at 2; read
 * record by record, which is also how these files were imported before the schema was written down
 * (a file that mixes the two was written by no Keybridge, and imports as it always did).
 */
const LEGACY_WITH_PRESET = 3;
const LEGACY_WITHOUT_PRESET = 2;
const legacySchemaVersion = (raw: Raw): number => ('preset' in raw ? LEGACY_WITH_PRESET : LEGACY_WITHOUT_PRESET);

/**
 * The records brought from the schema version they were written at to this Keybridge's, by the
 * chain the store uses. What is not an object is left as it is, for the record check to refuse.
 * `fileSchemaVersion` is the file's (verified, never newer than this Keybridge's: export-file.ts);
 * null when the file does not say. Whoever rewrites a checksum-only file can state any earlier
 * version; what the migrations make of its records still passes every check below and, unkept,
 * brings no trust settings (transfer-calls.ts), as with any other edit of such a file.
 */
export function migrateImportedRecords(raws: unknown[], fileSchemaVersion: number | null): unknown[] {
  const migrated = (records: Raw[], from: number): Raw[] => migrate(records, from, CONNECTIONS_SCHEMA_VERSION);
  if (fileSchemaVersion === null) return raws.map((raw) => (isRaw(raw) ? migrated([raw], legacySchemaVersion(raw))[0] : raw));
  const objects = migrated(raws.filter(isRaw), fileSchemaVersion);
  let next = 0;
  return raws.map((raw) => (isRaw(raw) ? objects[next++] : raw));
}

/** Checks the records of a verified export file, written at `fileSchemaVersion` (null: the file does not say). */
export function checkImportedRecords(raws: unknown[], fileSchemaVersion: number | null): CheckedRecords {
  let current: unknown[];
  try {
    current = migrateImportedRecords(raws, fileSchemaVersion);
  } catch {
    return { ok: false, message: `The connections in the file (format ${fileSchemaVersion ?? 'not stated'}) cannot be brought to this Keybridge's format. Nothing was imported.` };
  }
  const records: ConnectionRecord[] = [];
  const ids = new Set<string>();
  for (const [index, raw] of current.entries()) {
    const { record, problem } = problemOf(raw);
    if (!record) return { ok: false, message: `Connection ${index + 1} in the file cannot be imported (${problem}). Nothing was imported.` };
    if (ids.has(record.id)) return { ok: false, message: `Connection ${index + 1} in the file repeats an earlier connection's id. Nothing was imported.` };
    ids.add(record.id);
    records.push(record);
  }
  return { ok: true, records };
}

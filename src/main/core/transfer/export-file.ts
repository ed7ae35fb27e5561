// The connections export file, for moving connections between workstations.
//
//   { format: "keybridge-connections", version: 3, exportedAt, schemaVersion, connections: [records],
//     secrets: <sealed> | null, checksum: { algorithm: "sha256", value } | null }
//
// With secrets, a passphrase the admin chooses derives (scrypt N=2^15, r=8, p=1) an AES-256-GCM
// key; the secrets are encrypted and the records beside them are authenticated as the cipher's
// additional data, so a record changed on the way (a server address pointed elsewhere, say) makes
// the whole file fail to open. Without secrets, a SHA-256 checksum of the same bytes detects damage;
// it cannot prove who wrote the file, which is why an import always shows what it will create.
//
// schemaVersion is the version of the records (CONNECTIONS_SCHEMA_VERSION, store/connection-record.ts):
// an import migrates them from it with the store's own migrations (imported-records.ts), and refuses
// records from a newer schema. It is covered by the checksum or the passphrase like the rest.
//
// Versions: 1 (records not authenticated) is read only when it holds no secrets. 2 authenticated the
// records but did not say their schema (imported-records.ts infers it). 3 adds schemaVersion. It is a
// new version rather than an optional field of 2: a Keybridge that reads only 1 and 2 would check a
// version 3 file's checksum or passphrase over the body without schemaVersion, and so tell the admin
// the file was changed or the passphrase is wrong; an unknown version it refuses without either. A
// version newer than this one is refused with "update Keybridge".
import { createCipheriv, createDecipheriv, createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { z } from 'zod';
import { CONNECTIONS_SCHEMA_VERSION } from '../store/connection-record';

export const EXPORT_FORMAT = 'keybridge-connections';
export const EXPORT_VERSION = 3 as const;
export const MIN_PASSPHRASE = 12;
/** The only key-derivation cost Keybridge writes, and so the only one it accepts (a hostile cost could freeze the app). */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1 } as const;
const SCRYPT_MAXMEM = 64 * 1024 * 1024;
const TAG_BYTES = 16;
const deriveKey = promisify(scrypt) as (password: string, salt: Buffer, length: number, options: object) => Promise<Buffer>;

const base64 = z.string().max(50 * 1024 * 1024).regex(/^[A-Za-z0-9+/]*={0,2}$/);
const sealedSchema = z
  .object({
    kdf: z.literal('scrypt'),
    N: z.number().int(),
    r: z.number().int(),
    p: z.number().int(),
    salt: base64,
    cipher: z.literal('aes-256-gcm'),
    iv: base64,
    tag: base64,
    data: base64,
  })
  .strict();
type Sealed = z.infer<typeof sealedSchema>;

/** Just enough to tell which Keybridge wrote the file, before reading it as one version. */
const headerSchema = z.object({ format: z.literal(EXPORT_FORMAT), version: z.number().int().min(1) });

const envelope = {
  exportedAt: z.string().max(64),
  connections: z.array(z.unknown()).max(10_000),
  secrets: sealedSchema.nullable(),
  checksum: z.object({ algorithm: z.literal('sha256'), value: z.string().regex(/^[0-9a-f]{64}$/) }).strict().nullable().optional(),
};
const envelopeSchema = z.union([
  /** Versions 1 and 2 never carried schemaVersion: one in such a file was written by no Keybridge and is not read. */
  z.object({ format: z.literal(EXPORT_FORMAT), version: z.union([z.literal(1), z.literal(2)]), ...envelope }),
  z.object({ format: z.literal(EXPORT_FORMAT), version: z.literal(3), schemaVersion: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER), ...envelope }),
]);
type Envelope = z.infer<typeof envelopeSchema>;
type Body = { format: string; exportedAt: string; connections: unknown[] } & ({ version: 1 | 2 } | { version: 3; schemaVersion: number });

/**
 * What the records' authentication covers: everything in the file but the protection itself. A
 * version 2 file was signed over the body without schemaVersion, and is still checked over that; a
 * version 3 file over the body with it. The version is itself covered, so a version 3 file cannot be
 * passed off as a version 2 one (to drop its schemaVersion) or its schemaVersion changed: the bytes
 * checked would not be the bytes signed.
 */
function signedBytes(file: Body): Buffer {
  const { format, version, exportedAt, connections } = file;
  const body = file.version === 3 ? { format, version, exportedAt, schemaVersion: file.schemaVersion, connections } : { format, version, exportedAt, connections };
  return Buffer.from(JSON.stringify(body), 'utf8');
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/**
 * The export file's text. With `passphrase`, the secrets are sealed and the records authenticated by
 * it. `schemaVersion`: the schema the records are in (the store's records are at the current one).
 */
export async function writeExport(
  records: unknown[],
  secrets: Map<string, string> | null,
  passphrase: string | null,
  exportedAt: string,
  schemaVersion: number = CONNECTIONS_SCHEMA_VERSION,
): Promise<string> {
  const body: Body = { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt, schemaVersion, connections: records };
  let sealed: Sealed | null = null;
  let checksum: { algorithm: 'sha256'; value: string } | null = null;
  if (secrets && passphrase !== null) {
    const salt = randomBytes(16);
    const iv = randomBytes(12);
    const key = await deriveKey(passphrase, salt, 32, { ...SCRYPT, maxmem: SCRYPT_MAXMEM });
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(signedBytes(body));
    const data = Buffer.concat([cipher.update(JSON.stringify(Object.fromEntries(secrets)), 'utf8'), cipher.final()]);
    sealed = { kdf: 'scrypt', ...SCRYPT, salt: salt.toString('base64'), cipher: 'aes-256-gcm', iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
  } else {
    checksum = { algorithm: 'sha256', value: sha256(signedBytes(body)) };
  }
  return `${JSON.stringify({ ...body, secrets: sealed, checksum }, null, 2)}\n`;
}

export type OpenedExport =
  | {
      ok: true;
      records: unknown[];
      /**
       * The schema version the records were written at, as the file says (verified with the rest);
       * null for a file of version 1 or 2, which does not say (imported-records.ts infers it).
       */
      schemaVersion: number | null;
      /** Secrets by connection id (a Map: ids are data, never property names). */
      secrets: Map<string, string>;
      /** How the records are protected: by the passphrase, by a checksum only, or not at all (version 1). */
      protection: 'passphrase' | 'checksum' | 'none';
    }
  | {
      ok: false;
      code: 'invalid-export-file' | 'passphrase-required' | 'wrong-passphrase' | 'changed-export-file' | 'old-export-with-secrets' | 'newer-export-file';
      message: string;
    };

const refuse = (code: Extract<OpenedExport, { ok: false }>['code'], message: string): OpenedExport => ({ ok: false, code, message });

/** Written by a newer Keybridge: nothing is read from it, and the admin is told what to do. */
const newer = (what: string, known: string): OpenedExport =>
  refuse(
    'newer-export-file',
    `This export was written by a newer Keybridge (${what}; this Keybridge reads up to ${known}). Update Keybridge to import it. Nothing was imported.`,
  );

/** Reads and verifies an export file's text. Nothing in it is trusted until this says ok. */
export async function openExport(text: string, passphrase: string | undefined): Promise<OpenedExport> {
  let json: unknown;
  let file: Envelope;
  try {
    json = JSON.parse(text);
  } catch {
    return refuse('invalid-export-file', 'This is not a Keybridge connections export.');
  }
  const header = headerSchema.safeParse(json);
  if (header.success && header.data.version > EXPORT_VERSION) return newer(`export format ${header.data.version}`, `${EXPORT_VERSION}`);
  try {
    file = envelopeSchema.parse(json);
  } catch {
    return refuse('invalid-export-file', 'This is not a Keybridge connections export.');
  }
  if (file.version === 1) {
    if (file.secrets) {
      return refuse('old-export-with-secrets', 'This export was made by an earlier Keybridge, which did not protect the connection settings beside the encrypted tokens. Export again with this version of Keybridge.');
    }
    return { ok: true, records: file.connections, schemaVersion: null, secrets: new Map(), protection: 'none' };
  }
  // The schema version is believed only once the file is verified: a changed one is a changed file.
  const schemaVersion = file.version === 3 ? file.schemaVersion : null;
  const tooNew = (): OpenedExport | null =>
    schemaVersion !== null && schemaVersion > CONNECTIONS_SCHEMA_VERSION ? newer(`connections format ${schemaVersion}`, `${CONNECTIONS_SCHEMA_VERSION}`) : null;
  if (!file.secrets) {
    const expected = file.checksum?.value;
    if (!expected || !timingSafeEqual(Buffer.from(expected), Buffer.from(sha256(signedBytes(file))))) {
      return refuse('changed-export-file', 'This export was changed or damaged after it was written (its checksum does not match). Nothing was imported.');
    }
    return tooNew() ?? { ok: true, records: file.connections, schemaVersion, secrets: new Map(), protection: 'checksum' };
  }
  if (!passphrase) return refuse('passphrase-required', 'This export holds encrypted secrets. Enter the passphrase it was exported with.');
  const { N, r, p, salt, iv, tag, data } = file.secrets;
  const tagBytes = Buffer.from(tag, 'base64');
  if (N !== SCRYPT.N || r !== SCRYPT.r || p !== SCRYPT.p || tagBytes.length !== TAG_BYTES || Buffer.from(iv, 'base64').length !== 12) {
    return refuse('invalid-export-file', 'This export was not written by Keybridge (its encryption settings are not the ones Keybridge uses).');
  }
  let plain: string;
  try {
    const key = await deriveKey(passphrase, Buffer.from(salt, 'base64'), 32, { ...SCRYPT, maxmem: SCRYPT_MAXMEM });
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'), { authTagLength: TAG_BYTES });
    decipher.setAAD(signedBytes(file));
    decipher.setAuthTag(tagBytes);
    plain = Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return refuse('wrong-passphrase', 'The passphrase is wrong, or the file was changed after export. Nothing was imported.');
  }
  const refused = tooNew();
  if (refused) return refused;
  const secrets = z.record(z.string(), z.string()).safeParse(JSON.parse(plain));
  if (!secrets.success) return refuse('invalid-export-file', 'The encrypted part of this export is not what Keybridge writes.');
  return { ok: true, records: file.connections, schemaVersion, secrets: new Map(Object.entries(secrets.data)), protection: 'passphrase' };
}

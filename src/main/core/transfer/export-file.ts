// The connections export file, for moving connections between workstations.
//
//   { format: "keybridge-connections", version: 2, exportedAt, connections: [records],
//     secrets: <sealed> | null, checksum: { algorithm: "sha256", value } | null }
//
// With secrets, a passphrase the admin chooses derives (scrypt N=2^15, r=8, p=1) an AES-256-GCM
// key; the secrets are encrypted and the records beside them are authenticated as the cipher's
// additional data, so a record changed on the way (a server address pointed elsewhere, say) makes
// the whole file fail to open. Without secrets, a SHA-256 checksum of the same bytes detects damage;
// it cannot prove who wrote the file, which is why an import always shows what it will create.
// Version 1 files (records not authenticated) are read only when they hold no secrets.
import { createCipheriv, createDecipheriv, createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { z } from 'zod';

export const EXPORT_FORMAT = 'keybridge-connections';
export const EXPORT_VERSION = 2;
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

const envelopeSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.union([z.literal(1), z.literal(2)]),
  exportedAt: z.string().max(64),
  connections: z.array(z.unknown()).max(10_000),
  secrets: sealedSchema.nullable(),
  checksum: z.object({ algorithm: z.literal('sha256'), value: z.string().regex(/^[0-9a-f]{64}$/) }).strict().nullable().optional(),
});

/** What the records' authentication covers: everything in the file but the protection itself. */
function signedBytes(file: { format: string; version: number; exportedAt: string; connections: unknown[] }): Buffer {
  return Buffer.from(JSON.stringify({ format: file.format, version: file.version, exportedAt: file.exportedAt, connections: file.connections }), 'utf8');
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** The export file's text. With `passphrase`, the secrets are sealed and the records authenticated by it. */
export async function writeExport(records: unknown[], secrets: Map<string, string> | null, passphrase: string | null, exportedAt: string): Promise<string> {
  const body = { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt, connections: records };
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
      /** Secrets by connection id (a Map: ids are data, never property names). */
      secrets: Map<string, string>;
      /** How the records are protected: by the passphrase, by a checksum only, or not at all (version 1). */
      protection: 'passphrase' | 'checksum' | 'none';
    }
  | { ok: false; code: 'invalid-export-file' | 'passphrase-required' | 'wrong-passphrase' | 'changed-export-file' | 'old-export-with-secrets'; message: string };

const refuse = (code: Extract<OpenedExport, { ok: false }>['code'], message: string): OpenedExport => ({ ok: false, code, message });

/** Reads and verifies an export file's text. Nothing in it is trusted until this says ok. */
export async function openExport(text: string, passphrase: string | undefined): Promise<OpenedExport> {
  let file: z.infer<typeof envelopeSchema>;
  try {
    file = envelopeSchema.parse(JSON.parse(text));
  } catch {
    return refuse('invalid-export-file', 'This is not a Keybridge connections export.');
  }
  if (file.version === 1) {
    if (file.secrets) {
      return refuse('old-export-with-secrets', 'This export was made by an earlier Keybridge, which did not protect the connection settings beside the encrypted tokens. Export again with this version of Keybridge.');
    }
    return { ok: true, records: file.connections, secrets: new Map(), protection: 'none' };
  }
  if (!file.secrets) {
    const expected = file.checksum?.value;
    if (!expected || !timingSafeEqual(Buffer.from(expected), Buffer.from(sha256(signedBytes(file))))) {
      return refuse('changed-export-file', 'This export was changed or damaged after it was written (its checksum does not match). Nothing was imported.');
    }
    return { ok: true, records: file.connections, secrets: new Map(), protection: 'checksum' };
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
  const secrets = z.record(z.string(), z.string()).safeParse(JSON.parse(plain));
  if (!secrets.success) return refuse('invalid-export-file', 'The encrypted part of this export is not what Keybridge writes.');
  return { ok: true, records: file.connections, secrets: new Map(Object.entries(secrets.data)), protection: 'passphrase' };
}

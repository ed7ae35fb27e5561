// Export and import of connections between workstations. Without secrets by default; with secrets
// only inside a block encrypted with a passphrase the admin chooses: scrypt (N=2^15, r=8, p=1)
// derives an AES-256-GCM key, so a wrong passphrase or a changed file is detected, never guessed.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { z } from 'zod';

export const EXPORT_FORMAT = 'keybridge-connections';
export const MIN_PASSPHRASE = 12;
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

const sealedSchema = z.object({
  kdf: z.literal('scrypt'),
  N: z.number().int(),
  r: z.number().int(),
  p: z.number().int(),
  salt: z.string(),
  cipher: z.literal('aes-256-gcm'),
  iv: z.string(),
  tag: z.string(),
  data: z.string(),
});

export const exportFileSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(1),
  exportedAt: z.string(),
  connections: z.array(z.record(z.string(), z.unknown())),
  secrets: sealedSchema.nullable(),
});

export type ExportFile = z.infer<typeof exportFileSchema>;
type Sealed = z.infer<typeof sealedSchema>;

export function seal(secrets: Record<string, string>, passphrase: string): Sealed {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = scryptSync(passphrase, salt, 32, SCRYPT);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
  return {
    kdf: 'scrypt',
    N: SCRYPT.N,
    r: SCRYPT.r,
    p: SCRYPT.p,
    salt: salt.toString('base64'),
    cipher: 'aes-256-gcm',
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/** Null when the passphrase is wrong or the block was changed (GCM authentication fails). */
export function unseal(sealed: Sealed, passphrase: string): Record<string, string> | null {
  if (sealed.N > 2 ** 20 || sealed.r > 32 || sealed.p > 16) return null; // refuse a hostile cost
  try {
    const key = scryptSync(passphrase, Buffer.from(sealed.salt, 'base64'), 32, { N: sealed.N, r: sealed.r, p: sealed.p, maxmem: 1024 * 1024 * 1024 });
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
    return z.record(z.string(), z.string()).parse(JSON.parse(plain));
  } catch {
    return null;
  }
}

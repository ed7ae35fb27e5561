// The connection record as stored on disk (connections.json). Holds no secret: the secret lives in
// the vault, and only its masked hint is kept here. Versioned: see migrations.ts.
import { X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { spkiPinSchema } from '../../../shared/contract';
import { PRESET_IDS } from '../../../shared/presets';
import type { TestReport } from '../../../shared/types';

export const CONNECTIONS_SCHEMA_VERSION = 3;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** A PEM certificate that really parses: a damaged one would break every view of the connection. */
const certificatePem = z.string().max(64 * 1024).refine((pem) => {
  try {
    new X509Certificate(pem);
    return true;
  } catch {
    return false;
  }
}, 'This is not a certificate that can be read.');

export const authSettingsSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('bearer') }),
  z.object({ method: z.literal('header'), headerName: z.string().min(1).max(64) }),
  z.object({ method: z.literal('basic'), username: z.string().min(1).max(256) }),
  /** scope: the access token's scope (Passportal's default docs_api when absent). */
  z.object({ method: z.literal('passportal-hmac'), accessKeyId: z.string().min(1).max(256), scope: z.string().min(1).max(100).optional() }),
]);

export const connectionRecordSchema = z.object({
  /** A UUID: ids come from randomUUID, and the contract accepts no other (so every record can be deleted). */
  id: z.string().uuid(),
  name: z.string(),
  description: z.string(),
  serverAddress: z.string(),
  /** The key manager product (shared/presets.ts): its endpoint, success rule and hints apply. */
  preset: z.enum(PRESET_IDS),
  auth: authSettingsSchema,
  /** Path (and query) to test; null = the product's default. */
  endpoint: z.string().nullable(),
  /** Success only when the JSON answer has this value; null = the product's rule, if any. */
  successRule: z
    .object({ jsonPath: z.string().min(1).max(200), equals: z.union([z.string().max(500), z.number(), z.boolean(), z.null()]), messagePath: z.string().max(200).optional() })
    .nullable()
    .default(null),
  trust: z.object({
    verifyCertificate: z.boolean(),
    pinnedSpki: spkiPinSchema.nullable(),
    /** When the key was pinned (ISO time); null for a pin saved before Keybridge recorded it. */
    pinnedAt: z.iso.datetime({ offset: true }).nullable().default(null),
    /** Extra CA certificates (PEM; public, not secret), trusted in addition to the built-in ones. */
    extraCaPem: z.array(certificatePem).max(100).default([]),
    useSystemCa: z.boolean().default(false),
  }),
  /** Mutual TLS: what the certificate is; its key lives in the vault under `<id>#client`. */
  clientCertificate: z.object({ subject: z.string(), validTo: z.string(), format: z.enum(['pem', 'pkcs12']) }).nullable().default(null),
  /** '' = from the environment (HTTPS_PROXY, NO_PROXY); 'none'; or an http:// proxy URL without credentials. */
  proxy: z.string().default(''),
  /** What the admin knows about the key itself (the seeds: owner, validity, bound host). */
  token: z.object({
    hint: z.string().nullable(),
    owner: z.string(),
    keyName: z.string(),
    createdOn: isoDate.nullable(),
    /** null = never expires. */
    expiresOn: isoDate.nullable(),
    /** The host an API user is bound to (ManageEngine: one API user per host). */
    boundHost: z.string(),
  }),
  /** A disabled (locked) connection is never used; its secret is kept. */
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastTestedAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  lastTest: z.custom<TestReport>((v) => v === null || (typeof v === 'object' && v !== null && 'verdict' in v)).nullable(),
});

export type ConnectionRecord = z.infer<typeof connectionRecordSchema>;
export type AuthSettings = z.infer<typeof authSettingsSchema>;

export type ConnectionsFile = {
  schemaVersion: number;
  connections: unknown[];
};

/**
 * JSON Schema checked by electron-store / Conf when the file is opened: only the envelope, so a
 * file of any earlier version opens and can be migrated; records are checked with zod after that.
 */
export const connectionsFileSchema = {
  schemaVersion: { type: 'integer', minimum: 1 },
  connections: { type: 'array', items: { type: 'object' } },
} as const;

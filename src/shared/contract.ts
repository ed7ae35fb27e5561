// The one API between the window and main. Every call has a zod schema for its input; main
// validates with it before the core sees anything. Pure TypeScript: no node, no DOM.
import { z } from 'zod';
import type { ConnectionView, SaveAndTestResult, StatusView, TestReport } from './types';

/** Limits shared by the form (for early messages) and main (for enforcement). */
export const LIMITS = {
  name: 100,
  serverAddress: 2048,
  /** Same bound as a token file (64 KiB). */
  apiToken: 64 * 1024,
} as const;

const connectionId = z.string().uuid({ message: 'Unknown connection id.' });

export const connectionInputSchema = z
  .object({
    /** Absent for a new connection. */
    id: connectionId.optional(),
    name: z
      .string()
      .trim()
      .min(1, 'Give the connection a name.')
      .max(LIMITS.name, `A name has at most ${LIMITS.name} characters.`),
    serverAddress: z
      .string()
      .trim()
      .min(1, 'Enter the server address, for example keymanager.example.com.')
      .max(LIMITS.serverAddress, `A server address has at most ${LIMITS.serverAddress} characters.`),
    /**
     * The API token, only when it is new or replaced. Omitted or empty keeps the saved one.
     * Its content is checked in main (token rules), never echoed back.
     */
    apiToken: z.string().max(LIMITS.apiToken, 'The API token is longer than 64 KiB.').optional(),
    verifyCertificate: z.boolean(),
  })
  .strict();

export type ConnectionInput = z.input<typeof connectionInputSchema>;

const byId = z.object({ id: connectionId }).strict();

/** "sha256/<base64 of 32 bytes>": a public-key pin, as reports show it. */
export const spkiPinSchema = z.string().regex(/^sha256\/[A-Za-z0-9+/]{43}=$/, 'This is not a public-key pin (sha256/<base64>).');
const noInput = z.undefined();

/**
 * The contract: call name -> input schema. The output types are in `ContractOutputs`.
 * Adding a call here makes it exist in the preload, the IPC registration and the test bridge.
 */
export const contract = {
  getStatus: noInput,
  listConnections: noInput,
  saveConnection: connectionInputSchema,
  saveAndTestConnection: connectionInputSchema,
  testConnection: byId,
  deleteConnection: byId,
  /** Trust this certificate: pin the public key the admin has seen in the last report. */
  trustCertificate: z.object({ id: connectionId, spkiSha256: spkiPinSchema }).strict(),
  forgetTrustedCertificate: byId,
} as const;

export type CallName = keyof typeof contract;

export interface ContractOutputs {
  getStatus: StatusView;
  listConnections: ConnectionView[];
  saveConnection: ConnectionView;
  saveAndTestConnection: SaveAndTestResult;
  testConnection: TestReport;
  deleteConnection: { deleted: true };
  trustCertificate: SaveAndTestResult;
  forgetTrustedCertificate: ConnectionView;
}

export type CallInput<C extends CallName> = z.input<(typeof contract)[C]>;

/** What window.keybridge looks like: one async method per call. */
export type KeybridgeApi = {
  [C in CallName]: undefined extends CallInput<C>
    ? (input?: CallInput<C>) => Promise<ContractOutputs[C]>
    : (input: CallInput<C>) => Promise<ContractOutputs[C]>;
};

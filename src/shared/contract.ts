// The one API between the window and main. Every call has a zod schema for its input; main
// validates with it before the core sees anything. Pure TypeScript: no node, no DOM.
import { z } from 'zod';
import { LIMITS, SPKI_PIN } from './limits';
import { AUTH_METHODS, PRESET_IDS } from './presets';
import type { AuditEntry, ConnectionView, ImportPreview, OpenApiSummary, SaveAndTestResult, StatusView, TestProgress, TestReport, TokenImport } from './types';

export { LIMITS, SPKI_PIN };

const connectionId = z.string().uuid({ message: 'Unknown connection id.' });

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date such as 2027-01-31.');
// Control characters (tabs, escapes, line breaks) have no place in a name, an address or a path:
// stored as they are, they would reach the audit log and the CLI's output. A description may
// have line breaks, nothing else.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const noControl = <T extends z.ZodString>(text: T, label: string, allowLineBreaks = false) =>
  text.refine((value) => !(allowLineBreaks ? CONTROL_BUT_LINE_BREAKS : CONTROL).test(value), `${label} cannot contain control characters such as tabs${allowLineBreaks ? '' : ' or line breaks'}.`);
const shortText = (label: string, max = 200, allowLineBreaks = false) =>
  noControl(z.string().trim().max(max, `${label} has at most ${max} characters.`), label, allowLineBreaks);

export { AUTH_METHODS };

export const connectionInputSchema = z
  .object({
    /** Absent for a new connection. */
    id: connectionId.optional(),
    name: noControl(
      z
        .string()
        .trim()
        .min(1, 'Give the connection a name.')
        .max(LIMITS.name, `A name has at most ${LIMITS.name} characters.`),
      'A name',
    ),
    description: shortText('A description', 1000, true).optional(),
    serverAddress: noControl(
      z
        .string()
        .trim()
        .min(1, 'Enter the server address, for example keymanager.example.com.')
        .max(LIMITS.serverAddress, `A server address has at most ${LIMITS.serverAddress} characters.`),
      'A server address',
    ),
    /** The key manager product (presets.ts); absent = kept, or PrivX Key Manager for a new connection. */
    preset: z.enum(PRESET_IDS).optional(),
    /** Default: the preset's method (bearer for PrivX, seed 000). */
    authMethod: z.enum(AUTH_METHODS).optional(),
    /** Header name (header), user name (basic) or access key ID (passportal-hmac). */
    authIdentity: shortText('This field', 256).optional(),
    /** API path to test; empty = the product's default. */
    endpoint: shortText('The endpoint', 1000).optional(),
    /** PATH=VALUE (presets.ts parseJsonRule); empty = the product's rule, if any. */
    successRule: shortText('The success rule', 500).optional(),
    /** Passportal: the access token's scope; empty = docs_api. */
    authScope: shortText('The scope', 100).optional(),
    /**
     * The API token, only when it is new or replaced. Omitted or empty keeps the saved one.
     * Its content is checked in main (token rules), never echoed back.
     */
    apiToken: z.string().max(LIMITS.apiToken, 'The API token is longer than 64 KiB.').optional(),
    /** Instead of apiToken: a key file imported in main (importTokenFile / importTokenText). */
    tokenImportId: z.string().uuid().optional(),
    verifyCertificate: z.boolean(),
    useSystemCa: z.boolean().optional(),
    /** '' = from the environment (HTTPS_PROXY / NO_PROXY), 'none', or an http:// proxy URL. */
    proxy: shortText('The proxy address', 2048).optional(),
    owner: shortText('The owner').optional(),
    keyName: shortText('The key name').optional(),
    createdOn: isoDay.nullable().optional(),
    /** null = never expires. */
    expiresOn: isoDay.nullable().optional(),
    boundHost: shortText('The bound host', 255).optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

export type ConnectionInput = z.input<typeof connectionInputSchema>;

const byId = z.object({ id: connectionId }).strict();

/** "sha256/<base64 of 32 bytes>": a public-key pin, as reports show it. */
export const spkiPinSchema = z.string().regex(SPKI_PIN, 'This is not a public-key pin (sha256/<base64>).');
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
  /** Cancels the running test of a connection (its report then says "Test cancelled"). */
  cancelTest: byId,
  deleteConnection: byId,
  /** Opens the native file dialog in main and imports the chosen key file. */
  importTokenFile: noInput,
  /** A key file dropped on the window (read there) or pasted text. */
  importTokenText: z
    .object({ fileName: z.string().max(255).nullable(), text: z.string().max(LIMITS.apiToken, 'The file is larger than 64 KiB, so it is not a key file.') })
    .strict(),
  setConnectionEnabled: z.object({ id: connectionId, enabled: z.boolean() }).strict(),
  /** Tests the new secret first; replaces the old one only when the test passes. */
  rotateToken: z
    .object({ id: connectionId, apiToken: z.string().max(LIMITS.apiToken).optional(), tokenImportId: z.string().uuid().optional() })
    .strict(),
  exportConnections: z
    .object({ includeSecrets: z.boolean(), passphrase: z.string().max(1024).optional() })
    .strict(),
  /** The window's theme choice, so the desktop around it (title bar, menus, background) follows. */
  setTheme: z.object({ theme: z.enum(['system', 'light', 'dark']) }).strict(),
  /** Opens the file dialog for a product's OpenAPI specification (JSON or YAML) and reads what it says about the API. */
  importOpenApi: z
    .object({
      /** Download it from this https:// address instead (with the connection's trust settings, or Verify certificate as given). */
      url: z.string().max(2048).optional(),
      id: connectionId.optional(),
      verifyCertificate: z.boolean().optional(),
    })
    .strict()
    .optional(),
  /** Opens the file dialog, reads and verifies an export, and shows what importing it would create. */
  previewImport: z.object({ passphrase: z.string().max(1024).optional() }).strict(),
  /** Imports what a preview showed, all or nothing. */
  importConnections: z
    .object({
      previewId: z.string().uuid(),
      /**
       * From a file without a passphrase: the connections (ids of that preview) whose trust settings
       * (verify, pin, CA certificates, proxy) the admin keeps; the others get the safe defaults.
       */
      keepTrust: z.array(connectionId).max(10_000).optional(),
    })
    .strict(),
  listAudit: z
    .object({
      action: z.string().max(64).optional(),
      outcome: z.enum(['success', 'failure']).optional(),
      connectionId: connectionId.optional(),
      text: z.string().max(200).optional(),
      limit: z.number().int().min(1).max(5000).optional(),
    })
    .strict(),
  exportAudit: z.object({ format: z.enum(['csv', 'json']) }).strict(),
  setSecretPolicy: z.object({ allowObfuscated: z.boolean() }).strict(),
  /** Opens a file dialog in main for a CA certificate (PEM) to trust for this connection. */
  addCaCertificate: byId,
  removeCaCertificate: z.object({ id: connectionId, sha256: z.string().max(200) }).strict(),
  /** Opens a file dialog in main for a client certificate: PKCS#12 (with passphrase) or PEM with its key. */
  setClientCertificate: z.object({ id: connectionId, passphrase: z.string().max(1024).optional() }).strict(),
  removeClientCertificate: byId,
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
  cancelTest: { cancelled: boolean };
  deleteConnection: { deleted: true };
  trustCertificate: SaveAndTestResult;
  forgetTrustedCertificate: ConnectionView;
  importTokenFile: TokenImport | null;
  importTokenText: TokenImport;
  setConnectionEnabled: ConnectionView;
  rotateToken: { rotated: boolean; connection: ConnectionView; report: TestReport };
  exportConnections: { file: string; count: number; withSecrets: boolean } | null;
  setTheme: { theme: 'system' | 'light' | 'dark' };
  importOpenApi: OpenApiSummary | null;
  previewImport: ImportPreview | null;
  /** trustKept / trustReset: imported connections whose own trust settings were kept, or set to the safe defaults. */
  importConnections: { file: string; imported: number; skipped: number; secrets: number; trustKept: number; trustReset: number };
  listAudit: AuditEntry[];
  exportAudit: { file: string; count: number } | null;
  setSecretPolicy: StatusView;
  addCaCertificate: ConnectionView | null;
  removeCaCertificate: ConnectionView;
  setClientCertificate: ConnectionView | null;
  removeClientCertificate: ConnectionView;
}

export type CallInput<C extends CallName> = z.input<(typeof contract)[C]>;

/** The one subscription: steps of running tests, as they complete. Returns the unsubscribe. */
export interface KeybridgeEvents {
  onTestProgress(listener: (progress: TestProgress) => void): () => void;
}

/** What window.keybridge looks like: one async method per call. */
export type KeybridgeApi = {
  [C in CallName]: undefined extends CallInput<C>
    ? (input?: CallInput<C>) => Promise<ContractOutputs[C]>
    : (input: CallInput<C>) => Promise<ContractOutputs[C]>;
};

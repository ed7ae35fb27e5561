// Shapes that cross the boundary. None of them can carry a secret: the window sees a masked hint.
import type { ClockEvidence } from './clock';

/** Stable verdict codes of a connection test (documented in README, "Verdicts"). */
export const VERDICTS = [
  'ok',
  'invalid-address',
  'insecure-http-refused',
  'dns-not-found',
  'dns-failure',
  'connection-refused',
  'connection-timeout',
  'host-unreachable',
  'connection-reset',
  'tls-self-signed',
  'tls-untrusted-root',
  'tls-incomplete-chain',
  'tls-expired',
  'tls-not-yet-valid',
  'tls-hostname-mismatch',
  'tls-weak-certificate',
  'tls-protocol-version',
  'tls-handshake-failure',
  'tls-client-cert-required',
  'tls-client-cert-rejected',
  'tls-not-tls',
  'http-unauthorized',
  'http-forbidden',
  'http-not-found',
  'http-server-error',
  'http-bad-gateway',
  'http-service-unavailable',
  'http-gateway-timeout',
  'http-unexpected-status',
  'http-redirect',
  'auth-rejected',
  'tls-pin-mismatch',
  'proxy-failure',
  'client-certificate-unusable',
  'timeout',
  'no-token',
  'test-cancelled',
  'unexpected-error',
] as const;

export type Verdict = (typeof VERDICTS)[number];

export interface CertificateSummary {
  subject: string;
  issuer: string;
  subjectAltNames: string[];
  validFrom: string;
  validTo: string;
  /** SHA-256 of the DER certificate, colon-separated hex (as browsers show it). */
  sha256: string;
  /** SHA-256 of the public key (SPKI) as a pin: "sha256/<base64>". Survives certificate renewal with the same key. */
  spkiSha256: string;
  selfSigned: boolean;
}

export type StepId = 'address' | 'dns' | 'tcp' | 'proxy' | 'tls' | 'http' | 'auth';

export interface TestStep {
  id: StepId;
  status: 'passed' | 'failed' | 'skipped';
  ms: number;
  /** One line of evidence: what was observed (addresses, protocol, status...), never a secret. */
  detail: string;
}

/** Which source made the certificate trusted, or why none did. */
export type TrustSource = 'built-in CAs' | 'OS trust store' | 'custom CA' | 'pinned certificate' | 'not verified' | 'rejected';

export interface TlsDetails {
  protocol: string | null;
  cipher: string | null;
  trustSource: TrustSource;
  /** The peer's chain as it was presented and built: leaf first. */
  chain: CertificateSummary[];
  /** The server asked for a client certificate: the issuers it named, and what Keybridge sent. */
  clientCertificateRequest?: {
    acceptedIssuers: string[];
    /** How many more the server named than the 32 kept. */
    omitted?: number;
    sent: boolean;
    clientIssuer?: string;
    clientIssuerAccepted?: boolean;
  };
}

export interface PhaseTimings {
  dns: number | null;
  tcp: number | null;
  tls: number | null;
  /** From sending the request to its first byte of answer. */
  firstByte: number | null;
  total: number;
}

export interface TestReport {
  ok: boolean;
  /** For a certificate's dates (tls-expired, tls-not-yet-valid): what the clocks say. */
  clock?: ClockEvidence;
  verdict: Verdict;
  /** Short headline, e.g. "Connection successful". */
  title: string;
  /** One sentence: what happened. */
  message: string;
  /** What to do about it (empty on success). */
  hint: string;
  /** The URL that was requested (never holds a secret). */
  url: string | null;
  httpStatus: number | null;
  /** Things the admin should know even on success, e.g. "certificate not verified". */
  warnings: string[];
  /** The server's (leaf) certificate, also when it was refused. */
  certificate: CertificateSummary | null;
  tls: TlsDetails | null;
  steps: TestStep[];
  timings: PhaseTimings;
  /** Pin mismatch: the pin that was expected (the new one is certificate.spkiSha256). */
  expectedPin?: string;
  /** Access token exchanges (Passportal): when the issued access token expires. */
  accessTokenExpiresAt?: string;
  /**
   * The server's own words in full (up to 16 KiB, redacted, without control characters), when the
   * message above had to shorten them.
   */
  serverMessageFull?: string;
  /**
   * The server's answer as received (status, headers in order of arrival, the first 16 KiB of the
   * body), redacted like the rest of the report; cookies are never shown. Absent when no answer came.
   */
  response?: { status: number; headers: Array<[string, string]>; body: string };
  durationMs: number;
  testedAt: string;
}

export type TokenState =
  /** Encrypted on disk. */
  | 'saved'
  /** Kept in memory for this session only (no safe storage, or the admin did not opt in). */
  | 'session-only'
  /** No token yet, or it was lost. */
  | 'missing'
  /** On disk but cannot be decrypted any more (keyring reset, data from another machine). */
  | 'undecryptable';

export type { AuthMethod, PresetId } from './presets';
import type { AuthMethod, PresetId } from './presets';

export interface ConnectionView {
  id: string;
  name: string;
  description: string;
  serverAddress: string;
  /**
   * Where serverAddress leads, when its text alone does not say: `address` as it will be reached
   * (scheme://host[:port][/path], host in punycode), `asciiHost` the host as reached, and
   * `unicodeHost` an internationalised host's Unicode spelling, to show beside its punycode (else
   * null). Absent when serverAddress is already exactly that with a plain ASCII host, or does not parse.
   */
  reaches?: { address: string; asciiHost: string; unicodeHost: string | null };
  /** The key manager product this connection is set up for. */
  preset: PresetId;
  verifyCertificate: boolean;
  /** Trusted on first use: the pinned public key, or null. */
  pinnedSpki: string | null;
  /** When that key was pinned (ISO time), or null when not known. */
  pinnedAt: string | null;
  /** Extra CA certificates trusted for this connection (subjects and fingerprints, for display). */
  extraCas: Array<{ subject: string; sha256: string; validTo: string }>;
  useSystemCa: boolean;
  clientCertificate: { subject: string; validTo: string; format: 'pem' | 'pkcs12' } | null;
  /** '' = from the environment; 'none'; or an http:// proxy URL. */
  proxy: string;
  authMethod: AuthMethod;
  /** The header name (header), user name (basic) or access key ID (passportal-hmac). Not secret. */
  authIdentity: string | null;
  endpoint: string | null;
  /** PATH=VALUE as typed, or '' for the product's own rule. */
  successRule: string;
  /** Passportal: the access token's scope, or null for the default (docs_api). */
  authScope: string | null;
  /** Masked hint such as "••••NDFj", or null when there is no secret. Never the secret. */
  tokenHint: string | null;
  tokenState: TokenState;
  owner: string;
  keyName: string;
  createdOn: string | null;
  /** YYYY-MM-DD, or null = never expires. */
  expiresOn: string | null;
  /** 'expiring' from 14 days before expiresOn; 'expired' on and after it. */
  expiry: 'none' | 'valid' | 'expiring' | 'expired';
  boundHost: string;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  lastTestedAt: string | null;
  lastSuccessAt: string | null;
  lastTest: TestReport | null;
}

/** What an import of a key file or pasted text produced: never the secret itself. */
export interface TokenImport {
  importId: string;
  fileName: string | null;
  kind: 'token' | 'access-key-pair';
  hint: string;
  keyName?: string;
  createdOn?: string;
  accessKeyId?: string;
}

export type AuditAction =
  | 'connection-created'
  | 'connection-updated'
  | 'connection-deleted'
  | 'connection-enabled'
  | 'connection-disabled'
  | 'token-imported'
  | 'token-rotated'
  | 'token-rotation-refused'
  | 'certificate-trusted'
  | 'certificate-forgotten'
  | 'connection-tested'
  | 'connections-exported'
  | 'connections-imported'
  | 'secret-policy-changed'
  | 'secret-orphans-removed';

export interface AuditEntry {
  time: string;
  /** The OS user who acted. */
  user: string;
  action: AuditAction;
  connectionId?: string;
  connectionName?: string;
  outcome: 'success' | 'failure';
  /** A verdict code or a field name: never a secret. */
  detail?: string;
}

export interface AuditQuery {
  action?: AuditAction;
  outcome?: 'success' | 'failure';
  connectionId?: string;
  text?: string;
  limit?: number;
}

export type SecretProtection =
  /** OS-backed encryption (Keychain, DPAPI, libsecret, KWallet). */
  | 'encrypted'
  /** Linux basic_text backend: the key is hard-coded, so this is obfuscation only. */
  | 'obfuscated'
  | 'unavailable';

export interface StatusView {
  version: string;
  /** Run from a source checkout: developer commands (the demo key manager) may be mentioned. */
  fromSource: boolean;
  secretProtection: SecretProtection;
  /** Where saved secrets are protected, in the admin's words ("macOS Keychain", "memory only"). */
  secretStore: string;
  /** The admin opted in to storing obfuscated secrets on a machine without a keyring. */
  allowObfuscatedSecrets: boolean;
  /** Problems found at start-up (e.g. a corrupt store file that was set aside). */
  notices: string[];
}

export interface SaveAndTestResult {
  connection: ConnectionView;
  report: TestReport;
}

/** What importing an export file would create, shown before anything is written. */
export interface ImportPreview {
  /** Hand back to importConnections to import exactly this; valid for a few minutes. */
  previewId: string;
  file: string;
  /**
   * How the records are protected: authenticated by the passphrase (with secrets), a checksum
   * that detects damage but not a deliberate change, or nothing (an export from Keybridge 0.1).
   */
  protection: 'passphrase' | 'checksum' | 'none';
  connections: ImportedConnection[];
}

/** One connection of an import preview: everything that decides where its secret goes and what is trusted. */
export interface ImportedConnection {
  /** The record's id: what importConnections' keepTrust names. */
  id: string;
  name: string;
  serverAddress: string;
  exists: boolean;
  withSecret: boolean;
  product: string;
  authMethod: AuthMethod;
  /** Header name (header), user name (basic) or access key ID (passportal-hmac); never a secret. */
  authIdentity: string | null;
  /** The path tested (the product's default when the file names none). */
  endpoint: string;
  trust: ImportedTrust;
  /**
   * The trust settings differ from the safe defaults (verify on, no pin, no extra CA, no OS store,
   * proxy from the environment): from a file without a passphrase they are dropped unless kept.
   */
  customTrust: boolean;
}

export interface ImportedTrust {
  verifyCertificate: boolean;
  /** "sha256/<base64>" of the pinned public key (SPKI). */
  pinnedSpki: string | null;
  extraCas: { subject: string; sha256: string }[];
  useSystemCa: boolean;
  /** Never imported: its private key stays on the workstation it was chosen on. */
  clientCertificate: { subject: string } | null;
  /** '' = from the environment, 'none', or an http:// proxy URL. */
  proxy: string;
}

/** What an imported OpenAPI specification says about reaching the API (CipherInsights, seed 003). */
export interface OpenApiSummary {
  title: string;
  /** How the key is sent, when the specification says so in a way Keybridge can use. */
  auth: { method: 'header'; headerName: string } | { method: 'bearer' } | { method: 'basic' } | null;
  /** The first absolute server address, if any. */
  serverUrl: string | null;
  /** GET operations without required parameters: candidates for the test request. */
  endpoints: string[];
}

/** A step of a running test, as it completes (pushed from main; never a secret: redacted like the report). */
export interface TestProgress {
  connectionId: string;
  step: TestStep;
  /** ms since the test started. */
  elapsedMs: number;
}

// The TLS step: a full handshake (never a resumed session), then Keybridge's own judgement of
// trust, so the certificate can be shown whatever the outcome and the token is only sent after
// the server was accepted.
import { X509Certificate, createHash } from 'node:crypto';
import type net from 'node:net';
import tls, { type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import type { CertificateSummary, TlsDetails, Verdict } from '../../../shared/types';
import { summariseCertificate } from './certificate';
import { BY_CODE, classifyError } from './classify-error';
import { bounded } from './network';
import { StepFailure } from './steps';

export interface TrustOptions {
  /** Verify certificate: Yes (default) / No. */
  verifyCertificate: boolean;
  /** Extra CA certificates (PEM), in addition to the built-in ones. */
  extraCaPem?: string[];
  /** Also trust the OS store, where the runtime offers it (Node >= 22.15, Electron). */
  useSystemCa?: boolean;
  /** Trust on first use: "sha256/<base64>" of the server's public key. */
  pinnedSpki?: string | null;
}

export interface ClientCertificate {
  certPem?: string;
  keyPem?: string;
  pfx?: Buffer;
  passphrase?: string;
}

export interface Handshake {
  socket: TLSSocket;
  details: TlsDetails;
  leaf: CertificateSummary | null;
  warnings: string[];
}

type GetCaCertificates = (kind: 'system' | 'default' | 'bundled' | 'extra') => string[];
const getCaCertificates = (tls as unknown as { getCACertificates?: GetCaCertificates }).getCACertificates;

/** The OS store's CA certificates, or null where this runtime cannot read it. */
export function systemCaCertificates(): string[] | null {
  try {
    return getCaCertificates ? getCaCertificates('system') : null;
  } catch {
    return null;
  }
}

const fingerprint = (pem: string): string | null => {
  try {
    return new X509Certificate(pem).fingerprint256;
  } catch {
    return null;
  }
};

export async function handshake(
  socket: net.Socket,
  host: string,
  servername: string | undefined,
  trust: TrustOptions,
  client: ClientCertificate | undefined,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Handshake> {
  const system = trust.useSystemCa ? systemCaCertificates() : null;
  const extra = trust.extraCaPem ?? [];
  // Node's `ca` replaces the built-in list, so additions are appended to it.
  const ca = extra.length > 0 || system ? [...tls.rootCertificates, ...(system ?? []), ...extra] : undefined;
  const warnings: string[] = [];
  if (trust.useSystemCa && !system) warnings.push('This runtime cannot read the OS trust store; only the built-in CAs were used.');

  let tlsSocket: TLSSocket;
  try {
    tlsSocket = tls.connect({
      socket,
      servername,
      // Judged below, after the handshake, so a refused certificate can still be shown.
      rejectUnauthorized: false,
      secureContext: secureContextFor(ca, client),
      ALPNProtocols: ['http/1.1'],
    });
  } catch (error) {
    // Bad client certificate material fails here, before anything is sent.
    const { errorCode } = classifyError(error);
    throw new StepFailure('client-certificate-unusable', `the client certificate could not be loaded (${errorCode ?? 'error'})`, { errorCode });
  }

  const established = new Promise<TLSSocket>((resolve, reject) => {
    tlsSocket.once('secureConnect', () => resolve(tlsSocket));
    tlsSocket.once('error', (error) => {
      const { verdict, errorCode } = classifyError(error);
      reject(new StepFailure(verdict.startsWith('tls-') || verdict === 'connection-reset' ? verdict : 'tls-handshake-failure', `handshake failed (${errorCode ?? 'error'})`, { errorCode }));
    });
  });
  await bounded(
    established,
    timeoutMs,
    () => new StepFailure('timeout', `no TLS handshake within ${timeoutMs} ms`, { phase: 'the TLS handshake' }),
    signal,
    () => tlsSocket.destroy(),
  );

  const peer = tlsSocket.getPeerCertificate(true);
  const chain = chainOf(peer);
  const leaf = chain[0] ?? null;
  const details: TlsDetails = {
    protocol: tlsSocket.getProtocol(),
    cipher: tlsSocket.getCipher()?.name ?? null,
    trustSource: 'rejected',
    chain,
  };
  const fail = (verdict: Verdict, detail: string, errorCode?: string): never => {
    tlsSocket.destroy();
    throw Object.assign(new StepFailure(verdict, detail, { errorCode }), { handshake: { details, leaf } });
  };

  if (trust.pinnedSpki) {
    if (!leaf || leaf.spkiSha256 !== trust.pinnedSpki) {
      fail('tls-pin-mismatch', `server key ${leaf?.spkiSha256 ?? 'unknown'} is not the pinned ${trust.pinnedSpki}`);
    }
    details.trustSource = 'pinned certificate';
    const identity = tls.checkServerIdentity(host, peer);
    if (identity) warnings.push(`The pinned certificate does not name ${host}; it is trusted because its key matches the pin.`);
  } else if (!trust.verifyCertificate) {
    details.trustSource = 'not verified';
    warnings.push('Verify certificate is No: the certificate below was not checked. Use this only for evaluation servers.');
    // Not checked is not the same as not looked at: a certificate for another name is worth saying
    // even here (a wrong address, or someone in between).
    if (peer.raw && tls.checkServerIdentity(host, peer)) {
      const names = leaf?.subjectAltNames.length ? leaf.subjectAltNames.join(', ') : (leaf?.subject ?? 'no name');
      warnings.push(`The certificate is not for ${host}: it names ${names}. Check that the address is right before trusting this server.`);
    }
  } else {
    if (!tlsSocket.authorized) {
      const error = tlsSocket.authorizationError as (Error & { code?: string }) | null;
      const code = error?.code ?? String(error ?? 'UNKNOWN');
      let verdict = BY_CODE[code] ?? classifyError(error).verdict;
      // "Issuer unknown" is a missing intermediate when the certificate says where its issuer
      // lives (public CAs do, in Authority Information Access); otherwise, most often, a private
      // CA that this workstation does not trust.
      if (code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' && !hasCaIssuersUrl(peer)) verdict = 'tls-untrusted-root';
      fail(verdict.startsWith('tls-') ? verdict : 'tls-handshake-failure', `certificate refused: ${code}`, code);
    }
    const identity = tls.checkServerIdentity(host, peer);
    if (identity) fail('tls-hostname-mismatch', `certificate does not name ${host}`, (identity as Error & { code?: string }).code);
    details.trustSource = trustSourceOf(chain, extra, system);
  }
  return { socket: tlsSocket, details, leaf, warnings };
}

// Building a secure context (parsing CAs, loading keys) costs more than the handshake on loopback,
// so contexts are kept per configuration. This does not resume TLS sessions: Node's client
// contexts keep no internal session cache, and a session is only resumed when passed explicitly,
// which Keybridge never does.
const contexts = new Map<string, tls.SecureContext>();
const CONTEXT_CACHE_SIZE = 16;

function secureContextFor(ca: string[] | undefined, client: ClientCertificate | undefined): tls.SecureContext {
  const hash = createHash('sha256');
  for (const part of [...(ca ?? ['<default>']), client?.certPem ?? '', client?.keyPem ?? '', client?.passphrase ?? '']) hash.update(part).update('\0');
  if (client?.pfx) hash.update(client.pfx);
  const key = hash.digest('base64');
  let context = contexts.get(key);
  if (!context) {
    context = tls.createSecureContext({ ca, cert: client?.certPem, key: client?.keyPem, pfx: client?.pfx, passphrase: client?.passphrase });
    if (contexts.size >= CONTEXT_CACHE_SIZE) contexts.delete(contexts.keys().next().value as string);
    contexts.set(key, context);
  }
  return context;
}

/** The presented chain, leaf first, ending with the trust anchor when Node found it. */
function chainOf(peer: DetailedPeerCertificate): CertificateSummary[] {
  const chain: CertificateSummary[] = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = peer;
  while (current && current.raw && !seen.has(current.fingerprint256) && chain.length < 10) {
    seen.add(current.fingerprint256);
    const summary = summariseCertificate(current);
    if (summary) chain.push(summary);
    current = current.issuerCertificate;
  }
  return chain;
}

function hasCaIssuersUrl(peer: DetailedPeerCertificate): boolean {
  const access = (peer as unknown as { infoAccess?: Record<string, string[]> }).infoAccess;
  return Boolean(access && Object.keys(access).some((key) => key.startsWith('CA Issuers')));
}

let builtInFingerprints: Set<string> | null = null;

function trustSourceOf(chain: CertificateSummary[], extra: string[], system: string[] | null): TlsDetails['trustSource'] {
  const anchors = new Set(chain.map((c) => c.sha256));
  const anchoredBy = (pems: string[]): boolean => pems.some((pem) => anchors.has(fingerprint(pem) ?? ''));
  if (anchoredBy(extra)) return 'custom CA';
  builtInFingerprints ??= new Set(tls.rootCertificates.map((pem) => fingerprint(pem) ?? ''));
  const builtIn = builtInFingerprints;
  if (system && anchoredBy(system) && !chain.some((c) => builtIn.has(c.sha256))) return 'OS trust store';
  return 'built-in CAs';
}

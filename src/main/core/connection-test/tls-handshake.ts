// The TLS step: a full handshake (never a resumed session), then Keybridge's own judgement of
// trust, so the certificate can be shown whatever the outcome and the token is only sent after
// the server was accepted.
import { X509Certificate, createHash } from 'node:crypto';
import type net from 'node:net';
import tls, { type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import type { CertificateSummary, TlsDetails, Verdict } from '../../../shared/types';
import { spkiPin, summariseCertificate } from './certificate';
import { BY_CODE, classifyError } from './classify-error';
import { bounded } from './network';
import { StepFailure } from './steps';
import { judgeTlsFailure, TlsFailure, type OfferedClientCertificate } from './tls-failure';
import { issuedByOneOf } from './tls-wire/client-issuer';
import { tapHandshake, type HandshakeObservation, type HandshakeTap } from './tls-wire/observe';

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
  /** What the server did on the wire (tls-wire/), when this handshake was observed; else null. */
  observation: () => HandshakeObservation | null;
  /** The client certificate Keybridge offered, judged against what the server asked for. */
  offered: () => OfferedClientCertificate;
  /** What the server asked of a client certificate (read on demand: TLS 1.3 needs decrypting). */
  clientCertificateRequest: () => TlsDetails['clientCertificateRequest'];
}

export interface HandshakeOptions {
  /** Cap the protocol: TLS 1.2 for servers that ask for a client certificate after a TLS 1.3 handshake. */
  maxVersion?: tls.SecureVersion;
  /**
   * Read the server's handshake through the tap (tls-wire/). Costs the fast path a stream hop, so
   * by default only when a client certificate is configured (its report says what the server
   * asked for); a failure is explained by a separate observed handshake (diagnoseHandshake).
   */
  observe?: boolean;
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
  options: HandshakeOptions = {},
): Promise<Handshake> {
  const system = trust.useSystemCa ? systemCaCertificates() : null;
  const extra = trust.extraCaPem ?? [];
  // Node's `ca` replaces the built-in list, so additions are appended to it.
  const ca = extra.length > 0 || system ? [...tls.rootCertificates, ...(system ?? []), ...extra] : undefined;
  const warnings: string[] = [];
  if (trust.useSystemCa && !system) warnings.push('This runtime cannot read the OS trust store; only the built-in CAs were used.');

  let tlsSocket: TLSSocket;
  // Between the socket and TLS: reads what the server sends during the handshake (what it asked
  // for, the alert it sent, whether it said anything), then only passes bytes on.
  const tap: HandshakeTap | null = (options.observe ?? Boolean(client)) ? tapHandshake(socket) : null;
  try {
    tlsSocket = tls.connect({
      socket: tap ? tap.stream : socket,
      // The name the certificate is checked against: an IP address is checked as an IP (Node
      // would otherwise check "localhost" when no SNI name is sent, as for IP addresses).
      host,
      servername,
      // Judged below, after the handshake, so a refused certificate can still be shown.
      rejectUnauthorized: false,
      // The version cap belongs to the context (tls.connect ignores maxVersion beside a secureContext).
      secureContext: secureContextFor(ca, client, options.maxVersion),
      ALPNProtocols: ['http/1.1'],
    });
  } catch (error) {
    // Bad client certificate material fails here, before anything is sent.
    const { errorCode } = classifyError(error);
    (tap ? tap.stream : socket).destroy();
    throw new StepFailure('client-certificate-unusable', `the client certificate could not be loaded (${errorCode ?? 'error'})`, { errorCode });
  }
  tap?.attach(tlsSocket);
  // The certificate the server showed, kept as soon as the TLS 1.2 key exchange is done
  // (CLIENT_RANDOM): a reset that follows takes it with the socket, and a second look at the server
  // is used only if it shows the same key. (A TLS 1.3 handshake fails before the certificate or
  // completes; a refusal after it is judged with the handshake's own leaf.)
  let shown: Buffer | null = null;
  const remember = (line: Buffer): void => {
    if (shown || !line.subarray(0, 14).equals(CLIENT_RANDOM)) return;
    shown = (tlsSocket.getPeerCertificate() as { raw?: Buffer } | null)?.raw ?? null;
  };
  tlsSocket.on('keylog', remember);
  const observation = (): HandshakeObservation | null => (tap ? tap.observation() : null);
  const offered = (): OfferedClientCertificate => offeredCertificate(tlsSocket, client, observation());

  const established = new Promise<TLSSocket>((resolve, reject) => {
    tlsSocket.once('secureConnect', () => resolve(tlsSocket));
    tlsSocket.once('error', (error) => {
      // Read now: what the server showed is gone with the socket.
      const seen = observation();
      const mine = offeredCertificate(tlsSocket, client, seen);
      const failure = judgeTlsFailure(error, seen, mine, 'handshake');
      failure.seen = { observation: seen, offered: mine, serverKey: shown ? spkiPin(shown) : serverKeyOf(tlsSocket) };
      reject(failure);
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
  // What the server asked of the client certificate, shown when one was configured (reading a
  // TLS 1.3 request means decrypting the handshake: only done when someone needs the answer; a
  // refusal after the handshake asks again, in run-test.ts).
  const clientCertificateRequest = (): TlsDetails['clientCertificateRequest'] => {
    const seen = observation();
    return seen ? requestDetails(seen, offered()) : undefined;
  };
  if (client) details.clientCertificateRequest = clientCertificateRequest();
  if (!details.clientCertificateRequest) delete details.clientCertificateRequest;
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
  return { socket: tlsSocket, details, leaf, warnings, observation, offered, clientCertificateRequest };
}

/** What the server asked of a client certificate, as the report shows it; undefined when it asked nothing. */
export function requestDetails(observation: HandshakeObservation, mine: OfferedClientCertificate): TlsDetails['clientCertificateRequest'] {
  const request = observation.certificateRequest;
  if (!request) return undefined;
  return {
    acceptedIssuers: request.authorities.map((a) => a.text),
    ...(request.omitted ? { omitted: request.omitted } : {}),
    sent: mine.configured,
    ...(mine.issuer ? { clientIssuer: mine.issuer } : {}),
    ...(mine.accepted !== undefined ? { clientIssuerAccepted: mine.accepted } : {}),
  };
}

const CLIENT_RANDOM = Buffer.from('CLIENT_RANDOM ');

/** The configured client certificate (PEM or PKCS#12), its issuer, and whether the server named that issuer. */
function offeredCertificate(socket: TLSSocket, client: ClientCertificate | undefined, observation: HandshakeObservation | null): OfferedClientCertificate {
  if (!client || (!client.certPem && !client.pfx)) return { configured: false };
  let chainPem = client.certPem;
  if (!chainPem) {
    const raw = (socket.getCertificate() as { raw?: Buffer } | null)?.raw;
    if (raw) chainPem = new X509Certificate(raw).toString();
  }
  if (!chainPem) return { configured: true };
  try {
    const authorities = observation?.certificateRequest?.authorities ?? [];
    const judged = issuedByOneOf(chainPem, authorities);
    return { configured: true, issuer: judged.issuer, ...(authorities.length > 0 ? { accepted: judged.matches } : {}) };
  } catch {
    return { configured: true };
  }
}

// Building a secure context (parsing CAs, loading keys) costs more than the handshake on loopback,
// so contexts are kept per configuration. This does not resume TLS sessions: Node's client
// contexts keep no internal session cache, and a session is only resumed when passed explicitly,
// which Keybridge never does.
const contexts = new Map<string, tls.SecureContext>();
const CONTEXT_CACHE_SIZE = 16;

function secureContextFor(ca: string[] | undefined, client: ClientCertificate | undefined, maxVersion?: tls.SecureVersion): tls.SecureContext {
  const hash = createHash('sha256').update(maxVersion ?? '').update('\0');
  for (const part of [...(ca ?? ['<default>']), client?.certPem ?? '', client?.keyPem ?? '', client?.passphrase ?? '']) hash.update(part).update('\0');
  if (client?.pfx) hash.update(client.pfx);
  const key = hash.digest('base64');
  let context = contexts.get(key);
  if (!context) {
    context = tls.createSecureContext({ ca, cert: client?.certPem, key: client?.keyPem, pfx: client?.pfx, passphrase: client?.passphrase, ...(maxVersion ? { maxVersion } : {}) });
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

/**
 * A second, bounded handshake that offers only `min`..`max` of the old versions, for a server that
 * closed without a word after Keybridge's ClientHello: a server that speaks only TLS 1.0/1.1 answers
 * this one. Nothing is sent after the handshake, no client certificate, no secret. Returns the
 * version the server chose, or null.
 */
export async function probeLegacyVersion(
  socket: net.Socket,
  host: string,
  servername: string | undefined,
  min: tls.SecureVersion,
  max: tls.SecureVersion,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<string | null> {
  // OpenSSL 3 allows TLS 1.0/1.1 only at security level 0; BoringSSL knows no @SECLEVEL.
  let tlsSocket: TLSSocket;
  try {
    tlsSocket = tls.connect({ socket, host, servername, minVersion: min, maxVersion: max, rejectUnauthorized: false, ciphers: 'DEFAULT@SECLEVEL=0' });
  } catch {
    tlsSocket = tls.connect({ socket, host, servername, minVersion: min, maxVersion: max, rejectUnauthorized: false });
  }
  const answered = new Promise<string | null>((resolve) => {
    tlsSocket.once('secureConnect', () => resolve(tlsSocket.getProtocol()));
    tlsSocket.once('error', () => resolve(null));
    tlsSocket.once('close', () => resolve(null));
  });
  try {
    return await bounded(answered, timeoutMs, () => new StepFailure('timeout', 'no answer to TLS 1.0/1.1'), signal, () => tlsSocket.destroy());
  } catch (error) {
    if (error instanceof StepFailure && error.verdict === 'test-cancelled') throw error;
    return null;
  } finally {
    tlsSocket.destroy();
  }
}

export interface Diagnosis {
  observation: HandshakeObservation;
  offered: OfferedClientCertificate;
  /** The public key pin of the certificate the server showed on this second handshake. */
  serverKey: string | null;
}

/** The pin of the certificate the server has shown so far on this socket, also after a failed handshake. */
export function serverKeyOf(socket: TLSSocket): string | null {
  try {
    const raw = (socket.getPeerCertificate() as { raw?: Buffer } | null)?.raw;
    return raw ? spkiPin(raw) : null;
  } catch {
    return null;
  }
}


/**
 * A second handshake, observed, to explain a failure of an unobserved one: the same trust, client
 * certificate and version cap, nothing sent after it (no request, no secret). After the handshake
 * it listens a little: a TLS 1.3 server refuses a client certificate only after Keybridge's
 * Finished, and accepts by sending a session ticket.
 */
export async function diagnoseHandshake(
  socket: net.Socket,
  host: string,
  servername: string | undefined,
  trust: TrustOptions,
  client: ClientCertificate | undefined,
  timeoutMs: number,
  signal?: AbortSignal,
  options: HandshakeOptions = {},
): Promise<Diagnosis | null> {
  let shaken: Handshake;
  try {
    shaken = await handshake(socket, host, servername, { ...trust, pinnedSpki: null, verifyCertificate: false }, client, timeoutMs, signal, { ...options, observe: true });
  } catch (error) {
    if (error instanceof StepFailure && error.verdict === 'test-cancelled') throw error;
    const seen = error instanceof TlsFailure ? error.seen : undefined;
    return seen?.observation ? { observation: seen.observation, offered: seen.offered, serverKey: seen.serverKey } : null;
  }
  const tlsSocket = shaken.socket;
  try {
    const settled = Date.now() + Math.min(800, timeoutMs);
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearInterval(poll);
        resolve();
      };
      const poll = setInterval(() => {
        if (Date.now() >= settled || signal?.aborted || shaken.observation()?.serverWentOn) done();
      }, 25);
      tlsSocket.once('close', done);
      tlsSocket.on('error', () => undefined);
    });
    if (signal?.aborted) throw new StepFailure('test-cancelled', 'cancelled');
    return { observation: shaken.observation() as HandshakeObservation, offered: shaken.offered(), serverKey: shaken.leaf?.spkiSha256 ?? serverKeyOf(tlsSocket) };
  } finally {
    tlsSocket.destroy();
  }
}

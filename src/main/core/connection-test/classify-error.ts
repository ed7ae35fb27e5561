// Maps a failed request to a verdict: a TLS alert the server sent by its number (whatever the
// library's spelling: tls-alerts.ts), then by error code, then by message. Electron's Node uses
// BoringSSL, whose messages differ from OpenSSL's, so message patterns cover both spellings.
import type { Verdict } from '../../../shared/types';
import { alertOf } from './tls-alerts';

export const BY_CODE: Record<string, Verdict> = {
  ENOTFOUND: 'dns-not-found',
  EAI_NONAME: 'dns-not-found',
  EAI_NODATA: 'dns-not-found',
  EAI_AGAIN: 'dns-failure',
  EAI_FAIL: 'dns-failure',
  ECONNREFUSED: 'connection-refused',
  EHOSTUNREACH: 'host-unreachable',
  ENETUNREACH: 'host-unreachable',
  EHOSTDOWN: 'host-unreachable',
  ECONNRESET: 'connection-reset',
  EPIPE: 'connection-reset',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls-self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls-untrusted-root',
  UNABLE_TO_GET_ISSUER_CERT: 'tls-untrusted-root',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls-untrusted-root',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls-incomplete-chain',
  CERT_HAS_EXPIRED: 'tls-expired',
  CERT_NOT_YET_VALID: 'tls-not-yet-valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'tls-hostname-mismatch',
  CA_KEY_TOO_SMALL: 'tls-weak-certificate',
  EE_KEY_TOO_SMALL: 'tls-weak-certificate',
  CA_MD_TOO_WEAK: 'tls-weak-certificate',
  ERR_SSL_WRONG_VERSION_NUMBER: 'tls-not-tls',
  ERR_SSL_PACKET_LENGTH_TOO_LONG: 'tls-not-tls',
  ERR_SSL_HTTP_REQUEST: 'tls-not-tls',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'tls-protocol-version',
  ERR_SSL_NO_PROTOCOLS_AVAILABLE: 'tls-protocol-version',
};

/**
 * What an alert from the server means when nothing else is known about the handshake (see
 * tls-failure.ts for the judgement that knows whether the server asked for a client certificate).
 * A server that refuses a missing client certificate sends certificate_required (TLS 1.3, 116), or
 * bad_certificate (42) or handshake_failure (40) depending on its library.
 */
export const BY_ALERT: Record<number, Verdict> = {
  116: 'tls-client-cert-required',
  41: 'tls-client-cert-required',
  42: 'tls-client-cert-required',
  70: 'tls-protocol-version',
  86: 'tls-protocol-version',
};

const BY_MESSAGE: Array<[RegExp, Verdict]> = [
  [/wrong[ _]version[ _]number|packet[ _]length[ _]too[ _]long|http[ _]request|record[ _]layer[ _]failure/i, 'tls-not-tls'],
  [/certificate[ _]required/i, 'tls-client-cert-required'],
  [/unsupported[ _]protocol|protocol[ _]version|no[ _]protocols[ _]available/i, 'tls-protocol-version'],
  [/self[- _]signed certificate in certificate chain/i, 'tls-untrusted-root'],
  [/self[- _]signed/i, 'tls-self-signed'],
  [/certificate has expired|cert.*expired/i, 'tls-expired'],
  [/not yet valid/i, 'tls-not-yet-valid'],
  [/altnames|hostname.*(mismatch|does not match)/i, 'tls-hostname-mismatch'],
  [/unable to verify the first certificate/i, 'tls-incomplete-chain'],
  [/unable to get (local )?issuer certificate/i, 'tls-untrusted-root'],
  [/socket disconnected before secure TLS connection/i, 'connection-reset'],
  [/ssl|tls|handshake/i, 'tls-handshake-failure'],
];

interface ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  event?: string;
  cause?: unknown;
}

/** Phase names that a timeout is reported with (got's timeout events). */
const PHASES: Record<string, string> = {
  lookup: 'the DNS lookup',
  connect: 'the connection',
  secureConnect: 'the TLS handshake',
  socket: 'the server (socket idle)',
  send: 'the request to be sent',
  response: 'the first byte of the answer',
  read: 'the rest of the answer',
  request: 'the whole request',
};

export interface Classified {
  verdict: Verdict;
  errorCode?: string;
  phase?: string;
  /** The TLS alert number the server sent, when the error was one. */
  alert?: number;
}

export function classifyError(error: unknown): Classified {
  const chain = errorChain(error);
  const timeout = chain.find((e) => e.name === 'TimeoutError');
  if (timeout) {
    if (timeout.event === 'connect') return { verdict: 'connection-timeout', errorCode: 'ETIMEDOUT' };
    return { verdict: 'timeout', errorCode: 'ETIMEDOUT', phase: PHASES[timeout.event ?? ''] ?? 'the server' };
  }
  if (chain.some((e) => e.name === 'AbortError' || e.code === 'ABORT_ERR' || e.code === 'ERR_ABORTED')) {
    return { verdict: 'test-cancelled' };
  }
  for (const e of chain) {
    const alert = alertOf(e);
    if (alert !== null) return { verdict: BY_ALERT[alert] ?? 'tls-handshake-failure', errorCode: e.code ?? `TLS alert ${alert}`, alert };
  }
  for (const e of chain) {
    const verdict = e.code ? BY_CODE[e.code] : undefined;
    if (verdict) return { verdict, errorCode: e.code };
  }
  const code = chain.map((e) => e.code).find((c) => c && c !== 'ERR_GOT_REQUEST_ERROR');
  for (const e of chain) {
    for (const [pattern, verdict] of BY_MESSAGE) {
      if (e.message && pattern.test(e.message)) return { verdict, errorCode: code };
    }
  }
  if (code === 'ETIMEDOUT') return { verdict: 'connection-timeout', errorCode: code };
  return { verdict: 'unexpected-error', errorCode: code };
}

function errorChain(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  let current: unknown = error;
  while (current && typeof current === 'object' && chain.length < 5) {
    chain.push(current as ErrorLike);
    current = (current as ErrorLike).cause;
  }
  return chain;
}

// Maps a failed request to a verdict: by error code first, by message second. Electron's Node uses
// BoringSSL, whose messages differ from OpenSSL's, so message patterns cover both spellings.
import type { Verdict } from '../../../shared/types';

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
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: 'tls-protocol-version',
  ERR_SSL_NO_PROTOCOLS_AVAILABLE: 'tls-protocol-version',
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'tls-client-cert-required',
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: 'tls-handshake-failure',
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: 'tls-client-cert-required',
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

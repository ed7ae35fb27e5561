// Why a TLS connection failed, judged from what the server did on the wire (tls-wire/): the alert
// it sent by number, whether it had asked for a client certificate, whether it said anything at
// all. Server libraries refuse a missing client certificate differently (OpenSSL: handshake_failure,
// Go and JSSE sockets: bad_certificate, TLS 1.3 stacks: certificate_required, GnuTLS and Java's
// HttpsServer: a silent close), so the alert alone cannot tell; the CertificateRequest can.
import type { Verdict } from '../../../shared/types';
import { BY_ALERT, classifyError } from './classify-error';
import { StepFailure } from './steps';
import { alertText } from './tls-alerts';
import type { HandshakeObservation } from './tls-wire/observe';

/** What Keybridge offered as a client certificate: nothing, or one whose issuer is known (or not). */
export interface OfferedClientCertificate {
  configured: boolean;
  /** The issuer's name, in the same format as the server's accepted authorities. */
  issuer?: string;
  /** Whether that issuer is one the server named; undefined when unknown. */
  accepted?: boolean;
}

/** Facts of a client-certificate request, for the verdict's message and the report. */
export interface ClientCertificateFacts {
  acceptedIssuers?: string[];
  clientIssuer?: string;
  clientIssuerAccepted?: boolean;
}

export class TlsFailure extends StepFailure {
  constructor(
    verdict: Verdict,
    detail: string,
    extra: StepFailure['extra'],
    readonly facts: ClientCertificateFacts & { silentAfterClientHello?: boolean; alert?: number; legacyVersions?: string[]; postHandshake?: boolean },
  ) {
    super(verdict, detail, extra);
  }
}

/** Alerts a server sends when it refuses a client certificate it received (or the lack of one). */
const REFUSES_CLIENT_CERTIFICATE = new Set([40, 41, 42, 43, 44, 45, 46, 48, 49, 51, 116]);
const CONNECTION_ENDED = new Set(['connection-reset', 'tls-handshake-failure']);

/** "the server asked for a client certificate issued by CN=A or CN=B" */
export function describeRequest(authorities: string[]): string {
  if (authorities.length === 0) return 'the server asked for a client certificate (any issuer)';
  const shown = authorities.slice(0, 3).join(' or ');
  return `the server asked for a client certificate issued by ${shown}${authorities.length > 3 ? ` (or ${authorities.length - 3} more)` : ''}`;
}

/**
 * The verdict for an error during or right after the handshake. `phase` says whether the
 * handshake had completed on Keybridge's side (TLS 1.3 servers judge the client's certificate
 * after that, so their refusal arrives with the first read).
 */
export function judgeTlsFailure(error: unknown, observation: HandshakeObservation | null, offered: OfferedClientCertificate, phase: 'handshake' | 'after-handshake'): TlsFailure {
  const classified = classifyError(error);
  const alert = observation?.alert?.description ?? classified.alert;
  const request = observation?.certificateRequest ?? null;
  const silent = observation !== null && observation.bytesFromServer === 0;
  const errorCode = classified.errorCode ?? (alert !== undefined ? `TLS alert ${alert}` : undefined);
  const said = alert !== undefined ? `sent ${alertText(alert)}` : 'closed the connection without an alert';
  const base = { errorCode };

  if (request && (alert === undefined ? CONNECTION_ENDED.has(classified.verdict) : REFUSES_CLIENT_CERTIFICATE.has(alert))) {
    const facts: ClientCertificateFacts = { acceptedIssuers: request.authorities.map((a) => a.text) };
    const asked = describeRequest(facts.acceptedIssuers!);
    if (!offered.configured) {
      return new TlsFailure('tls-client-cert-required', `${asked}; none is configured, and it ${said}`, base, { ...facts, alert });
    }
    Object.assign(facts, { clientIssuer: offered.issuer, clientIssuerAccepted: offered.accepted });
    const yours = offered.issuer ? `; yours is issued by ${offered.issuer}` : '';
    return new TlsFailure('tls-client-cert-rejected', `${asked}${yours}; it ${said}`, base, { ...facts, alert });
  }
  if (alert === 116 || (alert !== undefined && [41, 42].includes(alert) && !request)) {
    // No CertificateRequest seen (TLS 1.3 handshake unreadable): the alert alone, as before.
    const verdict: Verdict = offered.configured && alert !== 116 ? 'tls-client-cert-rejected' : 'tls-client-cert-required';
    return new TlsFailure(verdict, `the server ${said}${phase === 'after-handshake' ? ' after the handshake' : ''}`, base, { alert });
  }
  if (silent && classified.verdict === 'connection-reset') {
    return new TlsFailure('connection-reset', 'the server closed the connection right after the ClientHello, without a word', base, { silentAfterClientHello: true });
  }
  const verdict: Verdict = alert !== undefined ? (BY_ALERT[alert] ?? 'tls-handshake-failure') : classified.verdict.startsWith('tls-') || classified.verdict === 'connection-reset' || classified.verdict === 'test-cancelled' ? classified.verdict : 'tls-handshake-failure';
  const detail = alert !== undefined ? `the server ${said}${phase === 'after-handshake' ? ' after the handshake' : ''}` : `${phase === 'handshake' ? 'handshake failed' : 'the connection failed after the handshake'} (${errorCode ?? 'error'})`;
  return new TlsFailure(verdict, detail, base, { alert });
}

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
  /** Issuers the server named beyond those kept (tls-wire keeps 32). */
  acceptedOmitted?: number;
  clientIssuer?: string;
  clientIssuerAccepted?: boolean;
}

/** What a failed handshake saw of the server (set by tls-handshake.ts), read at once: the socket goes with the failure. */
export interface HandshakeSeen {
  /** Null when the handshake was not observed (the fast path). */
  observation: HandshakeObservation | null;
  offered: OfferedClientCertificate;
  /** The pin of the certificate the server showed, or null when it showed none. */
  serverKey: string | null;
}

export class TlsFailure extends StepFailure {
  /** Set on a failure of the handshake itself, for a second look at the server. */
  seen?: HandshakeSeen;

  constructor(
    verdict: Verdict,
    detail: string,
    extra: StepFailure['extra'],
    readonly facts: ClientCertificateFacts & { silentAfterClientHello?: boolean; alert?: number; legacyVersions?: string[] },
  ) {
    super(verdict, detail, extra);
  }
}

/** Alerts a server sends when it refuses a client certificate it received (or the lack of one). */
const REFUSES_CLIENT_CERTIFICATE = new Set([40, 41, 42, 43, 44, 45, 46, 48, 49, 51, 116]);
/** Not a refusal: the end of a conversation (close_notify, user_canceled). */
const GOODBYES = new Set([0, 90]);

/** "the server asked for a client certificate issued by CN=A or CN=B (or 3 more)" */
export function describeRequest(authorities: string[], omitted = 0): string {
  if (authorities.length === 0) return 'the server asked for a client certificate (any issuer)';
  const more = authorities.length - Math.min(authorities.length, 3) + omitted;
  return `the server asked for a client certificate issued by ${authorities.slice(0, 3).join(' or ')}${more > 0 ? ` (or ${more} more)` : ''}`;
}

/** The fatal alert the server sent, from the wire or the error; warnings and goodbyes are not refusals. */
function refusalAlert(observation: HandshakeObservation | null, fromError: number | undefined): number | undefined {
  const wire = observation?.alert;
  if (wire && wire.level === 2 && !GOODBYES.has(wire.description)) return wire.description;
  return fromError !== undefined && !GOODBYES.has(fromError) ? fromError : undefined;
}

/**
 * The verdict for an error during or right after the handshake. `phase` says whether the
 * handshake had completed on Keybridge's side (TLS 1.3 servers judge the client's certificate
 * after that, so their refusal arrives with the first read).
 */
export function judgeTlsFailure(
  error: unknown,
  observation: HandshakeObservation | null,
  offered: OfferedClientCertificate,
  phase: 'handshake' | 'after-handshake',
  /** The server said it asks for a certificate where the tap cannot see it (a TLS 1.2 renegotiation). */
  askedElsewhere = false,
): TlsFailure {
  // The error stays attached, to be judged again with a diagnosis (tls-handshake.ts diagnoseHandshake).
  return Object.assign(judge(error, observation, offered, phase, askedElsewhere), { cause: error });
}

function judge(
  error: unknown,
  observation: HandshakeObservation | null,
  offered: OfferedClientCertificate,
  phase: 'handshake' | 'after-handshake',
  askedElsewhere: boolean,
): TlsFailure {
  const classified = classifyError(error);
  const alert = refusalAlert(observation, classified.alert);
  // Once the server went on past Keybridge's flight (its Finished, a session ticket, an answer), it
  // had accepted the client certificate or the lack of one: a later failure is something else.
  const judgedClient = !observation?.serverWentOn || askedElsewhere;
  const request = judgedClient ? (observation?.certificateRequest ?? (askedElsewhere ? { authorities: [] } : null)) : null;
  const silent = observation !== null && observation.bytesFromServer === 0;
  // Only a connection the server ended counts as its silent refusal, not a failure of Keybridge's own TLS.
  // A close_notify first is a goodbye, not a refusal (a server closing an optional-certificate
  // connection it did not want, say).
  const ended = alert === undefined && classified.verdict === 'connection-reset' && !(observation?.alert && GOODBYES.has(observation.alert.description));
  const errorCode = classified.errorCode ?? (alert !== undefined ? `TLS alert ${alert}` : undefined);
  const said = alert !== undefined ? `sent ${alertText(alert)}` : 'closed the connection without an alert';
  const base = { errorCode };

  // A silent close after a certificate from an issuer the server named is no evidence against it.
  const silentAboutOurs = ended && offered.configured && offered.accepted === true;
  if (request && ((ended && !silentAboutOurs) || (alert !== undefined && REFUSES_CLIENT_CERTIFICATE.has(alert)))) {
    const omitted = 'omitted' in request ? (request.omitted ?? 0) : 0;
    const facts: ClientCertificateFacts = { acceptedIssuers: request.authorities.map((a) => a.text), ...(omitted ? { acceptedOmitted: omitted } : {}) };
    const asked = describeRequest(facts.acceptedIssuers!, omitted);
    if (!offered.configured) {
      return new TlsFailure('tls-client-cert-required', `no client certificate is configured, and the server ${said}; ${asked}`, base, { ...facts, alert });
    }
    Object.assign(facts, { clientIssuer: offered.issuer, clientIssuerAccepted: offered.accepted });
    const yours = offered.issuer ? `the one sent is issued by ${offered.issuer}` : 'a client certificate was sent';
    return new TlsFailure('tls-client-cert-rejected', `${yours}, and the server ${said}; ${asked}`, base, { ...facts, alert });
  }
  // TLS 1.2 has no handshake after the first but a renegotiation, and a server renegotiates in the
  // middle of a request to ask for a client certificate for that path (Apache's per-location
  // SSLVerifyClient): a refusal there is about the certificate.
  const renegotiated = phase === 'after-handshake' && observation?.serverWentOn === true && observation.serverHello !== null && observation.serverHello.version !== 'TLSv1.3';
  if (renegotiated && alert !== undefined && REFUSES_CLIENT_CERTIFICATE.has(alert)) {
    const what = `the server renegotiated during the request (as servers do to ask for a client certificate for one path) and sent ${alertText(alert)}`;
    if (!offered.configured) return new TlsFailure('tls-client-cert-required', `no client certificate is configured; ${what}`, base, { alert });
    return new TlsFailure('tls-client-cert-rejected', `${offered.issuer ? `the one sent is issued by ${offered.issuer}; ` : ''}${what}`, base, { alert, clientIssuer: offered.issuer });
  }
  if (judgedClient && (alert === 116 || (alert !== undefined && [41, 42].includes(alert) && !request))) {
    // No CertificateRequest seen (TLS 1.3 handshake unreadable): the alert alone, as before.
    const verdict: Verdict = offered.configured && alert !== 116 ? 'tls-client-cert-rejected' : 'tls-client-cert-required';
    return new TlsFailure(verdict, `the server ${said}${phase === 'after-handshake' ? ' after the handshake' : ''}`, base, { alert });
  }
  if (silent && classified.verdict === 'connection-reset') {
    return new TlsFailure('connection-reset', 'the server closed the connection without answering Keybridge\'s ClientHello', base, { silentAfterClientHello: true });
  }
  const byAlert = alert !== undefined ? (BY_ALERT[alert] ?? 'tls-handshake-failure') : undefined;
  const verdict: Verdict = byAlert ? (!judgedClient && byAlert.startsWith('tls-client-cert') ? 'tls-handshake-failure' : byAlert) : classified.verdict.startsWith('tls-') || classified.verdict === 'connection-reset' || classified.verdict === 'test-cancelled' ? classified.verdict : 'tls-handshake-failure';
  const detail = alert !== undefined ? `the server ${said}${phase === 'after-handshake' ? ' after the handshake' : ''}` : `${phase === 'handshake' ? 'handshake failed' : 'the connection failed after the handshake'} (${errorCode ?? 'error'})`;
  return new TlsFailure(verdict, detail, base, { alert });
}

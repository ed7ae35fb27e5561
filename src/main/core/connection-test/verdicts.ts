// The verdict catalogue: for each stable code, a headline, a one-sentence message and a hint that
// says what to do. Texts are built from facts the test observed, never from a secret.
import type { Verdict } from '../../../shared/types';
import type { Gateway } from './gateway-signature';
import { clockAgrees, spanText, clockSentence, type ClockEvidence } from '../../../shared/clock';

/** A wrong clock comes first in What to do: fixing it is the admin's own step, and it fixes the test. */
function clockFix(clock: ClockEvidence | undefined): string | null {
  if (!clock) return null;
  if (clockAgrees(clock) && clock.source === 'server-date') return "Renew the key manager's certificate (or correct its dates): this workstation's clock is right.";
  const how = clock.skewMs > 0 ? 'behind' : 'ahead';
  return `First set this workstation's clock right (it is ${clock.source === 'certificate' ? 'at least ' : ''}${spanText(clock.skewMs)} ${how}; turn on automatic time), then test again. If the clock is right, the certificate's dates are wrong: renew it on the key manager.`;
}

export interface VerdictContext {
  /** For a certificate's dates: what the clocks say (shared/clock.ts). */
  clock?: ClockEvidence;
  host: string;
  port: number;
  url: string;
  status?: number;
  location?: string;
  /** Short text the server sent, already cleaned and redacted. */
  serverMessage?: string;
  /** The phase that ran out of time: dns, connect, tls, response... */
  phase?: string;
  /** Low-level error code (ECONNRESET, ERR_SSL_...), for the admin's search engine. */
  errorCode?: string;
  /** Free detail for addresses that could not be parsed. */
  detail?: string;
  expectedPin?: string;
  actualPin?: string;
  /** The names (subject alternative names) of the server's certificate. */
  certificateNames?: string[];
  /** The issuers the server named in its request for a client certificate. */
  acceptedIssuers?: string[];
  /** Issuers the server named beyond those kept. */
  acceptedOmitted?: number;
  /** The issuer of the client certificate Keybridge sent. */
  clientIssuer?: string;
  /** The server closed after the ClientHello and answered a TLS 1.0/1.1 handshake with these versions. */
  legacyVersions?: string[];
  /** The server asks for the client certificate after the TLS 1.3 handshake; 'no-tls12': and refuses TLS 1.2. */
  postHandshake?: 'asked' | 'no-tls12';
  /** The server named the sent certificate's issuer among those it accepts. */
  clientIssuerAccepted?: boolean;
  /** The alert the server refused the handshake with. */
  alert?: number;
  /** A gateway's error (502, 503, 504): who answered, as far as the answer says (gateway-signature.ts). */
  gateway?: Gateway;
  /** The test went through this HTTP proxy (host:port, never its credentials). */
  proxy?: string;
  /** Verify certificate, as the test ran (absent: Yes). */
  verifyCertificate?: boolean;
  /** A public key was pinned: only it is accepted, whatever Verify certificate says. */
  pinned?: boolean;
}

interface VerdictText {
  /** The headline, as it reads without the test's facts. */
  title: string;
  /** The headline with the test's facts, where they change it (the gateway's name). */
  headline?: (c: VerdictContext) => string;
  message: (c: VerdictContext) => string;
  hint: (c: VerdictContext) => string;
}

/** The headline of a verdict for this test. */
export function verdictTitle(verdict: Verdict, c: VerdictContext): string {
  const text = VERDICT_TEXTS[verdict];
  return text.headline?.(c) ?? text.title;
}

const said = (c: VerdictContext): string => (c.serverMessage ? ` The server said: "${c.serverMessage}".` : '');
const hostPort = (c: VerdictContext): string => `${c.host}:${c.port}`;
/** "DNS:km.example.com" → "km.example.com", "IP Address:10.0.0.5" → "10.0.0.5 (IP address)". */
const plainName = (name: string): string => name.replace(/^DNS:/, '').replace(/^IP Address:(.*)$/, '$1 (IP address)');
const accepts = (c: VerdictContext): string => {
  if (!c.acceptedIssuers?.length) return c.clientIssuer ? ` Yours is issued by ${c.clientIssuer}.` : '';
  const more = c.acceptedIssuers.length - Math.min(3, c.acceptedIssuers.length) + (c.acceptedOmitted ?? 0);
  const names = c.acceptedIssuers.slice(0, 3).join('; ') + (more > 0 ? `; and ${more} more` : '');
  return ` This server accepts client certificates issued by ${names}${c.clientIssuer ? `; yours is issued by ${c.clientIssuer}` : ''}.`;
};
/**
 * "set Verify certificate to No" is advice only where it would change something: not when the test
 * already ran with it No, nor while a key is pinned (the pin is checked instead, whatever it says).
 */
const verifyNoHelps = (c: VerdictContext): boolean => c.verifyCertificate !== false && !c.pinned;

/** " from nginx (its error page), passed on by Cloudflare (Server: cloudflare)", or the unnamed Server header. */
const answeredBy = (c: VerdictContext): string => {
  const g = c.gateway;
  if (!g) return '';
  if (!g.product) return g.server ? ` (Server: ${g.server})` : '';
  return ` from ${g.product} (${g.evidence ?? 'its answer'})${g.passedOnBy ? `, passed on by ${g.passedOnBy.product} (${g.passedOnBy.evidence})` : ''}`;
};
/** The error page's own words, unless the server's message already says them. */
const pageSaid = (c: VerdictContext): string => {
  const says = c.gateway?.says;
  if (!says || (c.serverMessage ?? '').includes(says)) return '';
  return ` Its page says: "${says}"${/[.!?]$/.test(says) ? '' : '.'}`;
};
const retryAfter = (c: VerdictContext): string => {
  const seconds = c.gateway?.retryAfterSeconds;
  return seconds === null || seconds === undefined ? '' : ` It asks to be tried again after ${seconds} s.`;
};
/** Where the test went through an HTTP proxy, that proxy is worth a look too. */
const throughProxy = (c: VerdictContext): string =>
  c.proxy
    ? ` The test went through the proxy ${c.proxy}: if it inspects HTTPS it may be the one answering; choose No proxy in the Proxy tab if the key manager is reached directly.`
    : '';

export const VERDICT_TEXTS: Record<Verdict, VerdictText> = {
  ok: {
    title: 'Connection successful',
    message: (c) => `The key manager at ${c.host} accepted the API token (HTTP ${c.status ?? 200}).`,
    hint: () => '',
  },
  'invalid-address': {
    title: 'The server address is not valid',
    message: (c) => c.detail ?? 'The server address could not be read.',
    hint: () => 'Enter the host name of the key manager, e.g. keymanager.example.com or https://keymanager.example.com:8443.',
  },
  'insecure-http-refused': {
    title: 'Refused to send the token over plain HTTP',
    message: (c) => `${c.url} is not encrypted, so the API token would cross the network in clear text.`,
    hint: () => 'Use https:// in the server address. Key managers serve their API over HTTPS.',
  },
  'dns-not-found': {
    title: 'Server name not found',
    message: (c) => `The name ${c.host} does not exist in DNS.`,
    hint: () => 'Check the spelling of the server address, or ask for the key manager\'s full host name (FQDN).',
  },
  'dns-failure': {
    title: 'Could not look up the server name',
    message: (c) => `The DNS lookup of ${c.host} failed${c.errorCode ? ` (${c.errorCode})` : ''}.`,
    hint: () => 'Check this workstation\'s network and DNS settings, then try again.',
  },
  'connection-refused': {
    title: 'Connection refused',
    message: (c) => `Nothing accepts connections on ${hostPort(c)}: the server refused the connection.`,
    hint: () => 'Check the port in the server address, and that the key manager service is running.',
  },
  'connection-timeout': {
    title: 'No answer from the server',
    message: (c) => `${hostPort(c)} did not answer the connection attempt in time.`,
    hint: () => 'A firewall may be dropping the connection, or the host is down. Check the address and port, and the network path.',
  },
  'host-unreachable': {
    title: 'Server unreachable',
    message: (c) => `There is no network route to ${c.host}.`,
    hint: () => 'Check the network connection, VPN and routing to the key manager.',
  },
  'connection-reset': {
    title: 'Connection reset',
    message: (c) => `${hostPort(c)} closed the connection abruptly.`,
    hint: () => 'A firewall or proxy may be interfering, or the server rejected the connection. Check the server\'s logs.',
  },
  'tls-self-signed': {
    title: 'Self-signed certificate',
    message: (c) => `${c.host} presented a self-signed certificate, which this workstation does not trust.`,
    hint: (c) =>
      `Safest: compare the certificate's SHA-256 fingerprint below with the one the key manager's administrator reads on the server, then trust this certificate: only its key is accepted from then on.${
        verifyNoHelps(c) ? ' For an evaluation server only, you can instead set Verify certificate to No (in the TLS tab).' : ''
      } For production, install a certificate from a trusted CA.`,
  },
  'tls-untrusted-root': {
    title: 'Certificate from an untrusted authority',
    message: (c) => `The certificate of ${c.host} was issued by a certificate authority that this workstation does not trust.`,
    hint: (c) =>
      `Ask for the CA certificate of the key manager and add it in the TLS tab, or compare the certificate's SHA-256 fingerprint below with the administrator's and trust this certificate.${
        verifyNoHelps(c) ? ' For an evaluation server only, you can instead set Verify certificate to No.' : ''
      }`,
  },
  'tls-incomplete-chain': {
    title: 'Incomplete certificate chain',
    message: (c) => `${c.host} did not send the intermediate certificates needed to verify its certificate.`,
    hint: () => 'Configure the key manager to send its full certificate chain (leaf and intermediates).',
  },
  'tls-expired': {
    title: 'Certificate expired',
    message: (c) => `The certificate of ${c.host} has expired.${c.clock ? ` ${clockSentence(c.clock)}` : ''}`,
    hint: (c) => clockFix(c.clock) ?? "Renew the key manager's certificate. Check this workstation's clock as well.",
  },
  'tls-not-yet-valid': {
    title: 'Certificate not yet valid',
    message: (c) => `The certificate of ${c.host} is not valid yet.${c.clock ? ` ${clockSentence(c.clock)}` : ''}`,
    hint: (c) => clockFix(c.clock) ?? 'Check the clock of this workstation and of the server that issued the certificate.',
  },
  'tls-hostname-mismatch': {
    title: 'Certificate is for another name',
    message: (c) =>
      c.certificateNames?.length
        ? `The certificate of the server names ${c.certificateNames.slice(0, 6).map(plainName).join(', ')}${c.certificateNames.length > 6 ? ', …' : ''}, not ${c.host}.`
        : `The certificate of the server does not include the name ${c.host}.`,
    hint: () => 'Use the host name the certificate was issued for (see the certificate\'s names below), or reissue the certificate with this name.',
  },
  'tls-weak-certificate': {
    title: 'Certificate too weak',
    message: (c) => `The certificate of ${c.host} uses a key or signature that is too weak to be trusted.`,
    hint: () => 'Reissue the certificate with at least a 2048-bit RSA or a P-256 key and a SHA-256 signature.',
  },
  'tls-protocol-version': {
    title: 'TLS version not supported',
    message: (c) =>
      c.legacyVersions?.length
        ? `${c.host} speaks only ${c.legacyVersions.join(' and ')}, ${c.legacyVersions.length > 1 ? 'which are' : 'which is'} no longer secure; Keybridge offers TLS 1.2 and 1.3.`
        : `${c.host} and Keybridge have no TLS version in common.`,
    hint: () => 'Enable TLS 1.2 or 1.3 on the key manager.',
  },
  'tls-handshake-failure': {
    title: 'Secure connection failed',
    message: (c) => `The TLS handshake with ${hostPort(c)} failed${c.errorCode ? ` (${c.errorCode})` : ''}.`,
    hint: () => 'Check that the address points to the key manager\'s HTTPS port and that its TLS configuration is current.',
  },
  'tls-client-cert-required': {
    title: 'Client certificate required',
    message: (c) =>
      `${c.host} requires a client certificate (mutual TLS)${c.postHandshake ? ' for this path, asked after the handshake' : ''}.${
        c.postHandshake === 'no-tls12' ? ' Keybridge cannot answer that request, and the server does not accept TLS 1.2, where it would ask during the handshake.' : ''
      }${accepts(c)}${said(c)}`,
    hint: (c) =>
      c.postHandshake === 'no-tls12'
        ? 'Ask the key manager\'s administrator to require the client certificate for the whole server (SSLVerifyClient at the virtual host, not in a <Location>), or to allow TLS 1.2.'
        : 'Ask the key manager\'s administrator for a client certificate for this workstation, then choose it in the TLS tab, under Client certificate.',
  },
  'tls-client-cert-rejected': {
    title: 'Client certificate refused',
    message: (c) => `${c.host} asked for a client certificate and refused the one Keybridge sent.${accepts(c)}`,
    hint: (c) => {
      if (c.alert === 45) return 'The server says the client certificate has expired: ask for a new one and choose it in the TLS tab, under Client certificate.';
      if (c.alert === 44) return 'The server says the client certificate was revoked: ask the key manager\'s administrator for a new one.';
      if (c.acceptedIssuers?.length && c.clientIssuer && c.clientIssuerAccepted === false) {
        return 'Choose a client certificate issued by one of the authorities the server accepts, or ask the key manager\'s administrator to trust your certificate\'s issuer.';
      }
      return 'The server trusts the issuer but refused this certificate: check that it has not expired or been revoked, that it is the one issued for this workstation, and what the server\'s log says about it.';
    },
  },
  'tls-not-tls': {
    title: 'The server does not speak HTTPS on this port',
    message: (c) => `${hostPort(c)} answered, but not with TLS: it is probably a plain HTTP port.`,
    hint: () => 'Check the port in the server address: use the key manager\'s HTTPS port (often 443).',
  },
  'http-unauthorized': {
    title: 'API token rejected',
    message: (c) => `The key manager rejected the API token (HTTP 401).${said(c)}`,
    hint: () => 'The token may be mistyped, expired, revoked or locked. Download a new token from the key manager and paste it again.',
  },
  'http-forbidden': {
    title: 'Access denied',
    message: (c) => `The key manager recognised the token but denied access (HTTP 403).${said(c)}`,
    hint: () => 'Check the permissions (roles) of the token\'s owner account, and whether the account is bound to another host.',
  },
  'http-not-found': {
    title: 'API not found at this address',
    message: (c) => `The server answered, but ${c.url} does not exist (HTTP 404).`,
    hint: () => 'Check that the server address points to the key manager, not to another web server or a portal.',
  },
  'http-server-error': {
    title: 'The key manager reported an error',
    message: (c) => `The key manager failed to answer the request (HTTP ${c.status ?? 500}).${said(c)}`,
    hint: () => 'The server has a problem of its own: check the key manager\'s logs, then test again.',
  },
  'http-bad-gateway': {
    title: 'Bad gateway',
    headline: (c) => `Bad gateway: ${c.gateway?.product ?? 'a gateway or proxy'} got no valid answer from the key manager behind it`,
    message: (c) =>
      `${hostPort(c)} answered HTTP 502 Bad Gateway${answeredBy(c)}: the gateway or proxy in front of the key manager could not get a valid answer from it (it refused or closed the connection, or answered with something the gateway could not read).${pageSaid(c)}${said(c)}`,
    hint: (c) =>
      `Check the gateway's upstream (backend) configuration: the address, port and protocol (http or https) it forwards to must be the key manager's, and the key manager's service must be running and reachable from the gateway; the gateway's error log names the cause.${throughProxy(c)}`,
  },
  'http-service-unavailable': {
    title: 'Service unavailable',
    headline: (c) =>
      !c.gateway?.product ? 'Service unavailable' : c.gateway.proxyOnly ? `Service unavailable: ${c.gateway.product} has no key manager available behind it` : `Service unavailable, answered by ${c.gateway.product}`,
    message: (c) => {
      const g = c.gateway;
      const why = !g?.product
        ? 'the key manager is overloaded or down for maintenance, or a gateway or proxy in front of it has no server available to take the request'
        : g.proxyOnly
          ? 'this gateway or load balancer has no server behind it available to take the request (they are down, or failing its health checks), or they are overloaded'
          : `if ${g.product} is a gateway or proxy in front of the key manager, it has no key manager available behind it; if it is the key manager's own web server, the key manager is overloaded or down for maintenance`;
      return `${hostPort(c)} answered HTTP 503 Service Unavailable${answeredBy(c)}: ${why}.${pageSaid(c)}${retryAfter(c)}${said(c)}`;
    },
    hint: (c) =>
      `Check that the key manager's service is running. If a gateway or load balancer is in front of it, check its backend (upstream) configuration, its health checks and its log. Then test again.${throughProxy(c)}`,
  },
  'http-gateway-timeout': {
    title: 'Gateway timeout',
    headline: (c) => `Gateway timeout: ${c.gateway?.product ?? 'a gateway or proxy'} got no answer from the key manager in time`,
    message: (c) =>
      `${hostPort(c)} answered HTTP 504 Gateway Timeout${answeredBy(c)}: the gateway or proxy in front of the key manager waited for it and got no answer in time.${pageSaid(c)}${said(c)}`,
    hint: (c) =>
      `Check that the key manager behind the gateway is running and not overloaded, and that the gateway can reach it (its upstream address, a firewall in between). If the key manager is only slow, the gateway's timeout for it (nginx proxy_read_timeout, HAProxy timeout server) may be too short.${throughProxy(c)}`,
  },
  'http-unexpected-status': {
    title: 'Unexpected answer',
    message: (c) => `The server answered HTTP ${c.status ?? '?'}, which is not what the key manager API answers.${said(c)}`,
    hint: () => 'Check that the server address points to the key manager API.',
  },
  'http-redirect': {
    title: 'The server redirects elsewhere',
    message: (c) =>
      `The server answered HTTP ${c.status ?? 302} and redirects to ${c.location ?? 'another address'}. Keybridge did not follow it, so the token was not sent there.`,
    hint: () => 'If the new address is the right one, enter it as the server address and test again.',
  },
  'auth-rejected': {
    title: 'Credentials rejected',
    message: (c) => `The key manager answered (HTTP ${c.status ?? 200}) but refused the credentials.${said(c)}`,
    hint: () =>
      'Check that the key is typed correctly, enabled (not locked) and not expired, and, for API users bound to one host, that this workstation is that host.',
  },
  'tls-pin-mismatch': {
    title: "The server's certificate changed",
    message: (c) =>
      `${c.host} presented a different public key than the one you trusted. Trusted: ${c.expectedPin ?? '?'}; presented: ${c.actualPin ?? 'none'}.`,
    hint: () =>
      "If the key manager's certificate was renewed with a new key, confirm the new fingerprint with its administrator, then trust the new certificate. If not, do not connect: the connection may be intercepted.",
  },
  'proxy-failure': {
    title: 'The proxy did not open the connection',
    message: (c) => `The proxy could not open a tunnel to ${hostPort(c)}${c.status ? ` (HTTP ${c.status})` : ''}${c.errorCode ? ` (${c.errorCode})` : ''}.`,
    hint: () => 'Check the proxy address and credentials in the Proxy tab, or choose No proxy there (or add the key manager to NO_PROXY) if it must be reached directly.',
  },
  'client-certificate-unusable': {
    title: 'The client certificate cannot be used',
    message: (c) => `The client certificate or its key could not be loaded${c.errorCode ? ` (${c.errorCode})` : ''}.`,
    hint: () => 'Check the passphrase, and that the key belongs to the certificate; export them again if needed.',
  },
  timeout: {
    title: 'The server took too long',
    message: (c) => `The test timed out while waiting for ${c.phase ?? 'the server'}.`,
    hint: () => 'The server may be overloaded, or a proxy may be holding the request. Try again, and check the server\'s load.',
  },
  'no-token': {
    title: 'No API token',
    message: () => 'This connection has no API token to test with.',
    hint: () => 'Paste the API token from the token file, then save and test again.',
  },
  'test-cancelled': {
    title: 'Test cancelled',
    message: () => 'The connection test was cancelled before it finished.',
    hint: () => 'Run the test again when ready.',
  },
  'unexpected-error': {
    title: 'The test could not run',
    message: (c) => `Keybridge hit an unexpected problem while testing ${c.url}${c.errorCode ? ` (${c.errorCode})` : ''}.`,
    hint: () => 'Try again. If it keeps happening, report it with the error code shown.',
  },
};

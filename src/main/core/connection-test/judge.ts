// The auth step: what the answer to the authenticated request means. An answer that never got to
// the question of the credentials (a server error, a gateway's 502/503/504) is the Request step's failure.
import type { Verdict } from '../../../shared/types';
import { identifyGateway, isGatewayStatus, type Gateway } from './gateway-signature';
import type { HttpAnswer } from './http-request';
import { stringCleaner } from './redact';
import { extractServerMessage } from './server-message';
import type { VerdictContext } from './verdicts';
import type { JsonRule } from '../../../shared/presets';

/** A success rule for products that answer 200 with a failure in the body: the presets' JSON rule. */
export type SuccessRule = JsonRule;

/** ManageEngine PMP (seed 004): HTTP 200 with operation.result.status "Failed" on a bad key or a wrong host. */
const OPERATION_STATUS: SuccessRule = { jsonPath: 'operation.result.status', equals: 'Success', messagePath: 'operation.result.message' };

export interface Judged {
  verdict: Verdict;
  detail: string;
  context: Partial<VerdictContext>;
  /**
   * The step the verdict belongs to: 'auth' when the answer says what became of the credentials;
   * 'http' when the server failed to answer the request at all (5xx), and `detail` is what the
   * Request step's evidence gains.
   */
  step: 'auth' | 'http';
}

/** Who made a gateway's error answer (502, 503, 504), for the verdict's words; nothing for other statuses. */
export function gatewayFacts(answer: HttpAnswer, secrets: readonly string[]): { gateway?: Gateway } {
  return isGatewayStatus(answer.status) ? { gateway: identifyGateway(answer.headers, answer.body, secrets) } : {};
}

/** What the Request step's evidence gains from a server error: who answered, and their words. */
export function serverErrorNote(status: number, gateway: Gateway | undefined, serverMessage: string | undefined): string {
  const parts: string[] = [];
  if (gateway?.product) {
    const evidence = gateway.evidence && !gateway.evidence.startsWith('Server:') ? ` (${gateway.evidence})` : '';
    parts.push(`answered by ${gateway.product}${evidence}${gateway.passedOnBy ? `, passed on by ${gateway.passedOnBy.product}` : ''}`);
  } else if (isGatewayStatus(status)) {
    parts.push('no gateway or proxy named in the answer');
  }
  const words = gateway?.says ?? serverMessage;
  if (words) parts.push(words);
  return parts.join(': ');
}

export function judgeAnswer(answer: HttpAnswer, rule: SuccessRule | undefined, secrets: string[]): Judged {
  const { status } = answer;
  const serverMessage = extractServerMessage(answer.body, answer.headers['content-type'], secrets);
  const context: Partial<VerdictContext> = { status, serverMessage, ...gatewayFacts(answer, secrets) };
  if (status >= 200 && status < 300) {
    const json = parseJson(answer.body);
    // An explicit rule, or the well-known "operation.result.status" envelope when the body has it.
    const applied = rule ?? (valueAt(json, OPERATION_STATUS.jsonPath) !== undefined ? OPERATION_STATUS : undefined);
    if (applied) {
      const value = valueAt(json, applied.jsonPath);
      if (!sameJsonValue(value, applied.equals)) {
        const said = applied.messagePath ? valueAt(json, applied.messagePath) : undefined;
        const message = typeof said === 'string' ? extractServerMessage(JSON.stringify({ message: said }), 'application/json', secrets) : serverMessage;
        return {
          verdict: 'auth-rejected',
          detail: `HTTP ${status}, but ${applied.jsonPath} is ${shortJson(value, secrets)}, not ${JSON.stringify(applied.equals)}`,
          context: { ...context, serverMessage: message },
          step: 'auth',
        };
      }
    }
    return { verdict: 'ok', detail: `authenticated (HTTP ${status})`, context, step: 'auth' };
  }
  if (status >= 300 && status < 400) {
    const location = answer.headers.location ? describeLocation(answer.headers.location, answer) : undefined;
    return { verdict: 'http-redirect', detail: `redirect to ${location ?? 'nowhere'} not followed`, context: { ...context, location }, step: 'auth' };
  }
  // TLS 1.3 servers that want a client certificate may finish the handshake and answer with an
  // error page instead (nginx: 400 "No required SSL certificate was sent").
  if (status === 400 && CLIENT_CERT_REQUIRED.test(`${serverMessage ?? ''} ${answer.body.slice(0, 4096)}`)) {
    return {
      verdict: 'tls-client-cert-required',
      detail: `HTTP 400: ${serverMessage ?? 'the server wants a client certificate'}`,
      context: { ...context, serverMessage: serverMessage ?? clientCertWords(answer.body) },
      step: 'auth',
    };
  }
  const verdict = verdictForStatus(status, 'http-unexpected-status');
  // A 5xx says nothing of the credentials: the server (or a gateway in front of it) failed the request.
  if (status >= 500) return { verdict, detail: serverErrorNote(status, context.gateway, serverMessage), context, step: 'http' };
  return { verdict, detail: `HTTP ${status}${serverMessage ? `: ${serverMessage}` : ''}`, context, step: 'auth' };
}

const GATEWAY_VERDICTS: Readonly<Record<number, Verdict>> = { 502: 'http-bad-gateway', 503: 'http-service-unavailable', 504: 'http-gateway-timeout' };

/** The verdict for an HTTP error status; `otherwise` for the statuses that have none of their own. */
export function verdictForStatus(status: number, otherwise: Verdict): Verdict {
  if (status === 401) return 'http-unauthorized';
  if (status === 403) return 'http-forbidden';
  if (status === 404) return 'http-not-found';
  return GATEWAY_VERDICTS[status] ?? (status >= 500 ? 'http-server-error' : otherwise);
}

const CLIENT_CERT_REQUIRED = /no required ssl certificate was sent|client certificate (is )?required|ssl certificate error|certificate required/i;

/** The server's own words about the missing client certificate, from an HTML or text page. */
function clientCertWords(body: string): string | undefined {
  return CLIENT_CERT_REQUIRED.exec(body)?.[0];
}

function sameJsonValue(value: unknown, expected: string | number | boolean | null): boolean {
  if (typeof expected === 'string') return typeof value === 'string' && value.toLowerCase() === expected.toLowerCase();
  return value === expected;
}

/** A JSON value as evidence: one short line, however large the value the server sent (secrets out first). */
function shortJson(value: unknown, secrets: string[]): string {
  const text = stringCleaner(secrets)(JSON.stringify(value ?? null) ?? 'null');
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (!current || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** A redirect target as shown to the admin: absolute, without any query (it may hold secrets). */
function describeLocation(location: string, _answer: HttpAnswer): string {
  try {
    const url = new URL(location, 'https://relative.invalid');
    return url.host === 'relative.invalid' ? url.pathname : `${url.origin}${url.pathname}`;
  } catch {
    return 'an address that is not valid';
  }
}

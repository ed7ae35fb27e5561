// Passportal's access key exchange (seed 001): the Access key ID and an HMAC of fresh content are
// POSTed to the token path on the test's own judged connection, and the access token it issues is
// what the test request then carries (on a new connection). Refusals are judged here, in the
// product's terms; the conductor (run-test.ts) only reports them.
import type net from 'node:net';
import type { Verdict } from '../../../shared/types';
import { passportalExchange, PASSPORTAL_TOKEN_PATH, readPassportalAnswer, type AuthSpec } from './auth-methods';
import { describeAnswer, sendRequest, type HttpAnswer } from './http-request';
import { gatewayFacts, serverErrorNote, verdictForStatus } from './judge';
import { extractServerMessage } from './server-message';
import type { StepLog } from './steps';
import type { PostHandshakeEnd, TestConnections } from './test-connections';

export interface ExchangeSetting {
  auth: Extract<AuthSpec, { method: 'passportal-hmac' }>;
  origin: string;
  headers: Record<string, string>;
  log: StepLog;
  connections: TestConnections;
  responseMs: number;
  signal: AbortSignal;
  /** The test's secrets so far: the server's words are cleaned of them. */
  secrets: string[];
}

export type Exchanged =
  | { ok: true; accessToken: string; expiresAt?: string }
  | { ok: false; answer: HttpAnswer; verdict: Verdict; serverMessage?: string }
  | PostHandshakeEnd;

export async function exchangeAccessKey(socket: net.Socket, setting: ExchangeSetting): Promise<Exchanged> {
  const { log, connections } = setting;
  const exchange = passportalExchange(setting.auth);
  const tokenUrl = new URL(PASSPORTAL_TOKEN_PATH, setting.origin).href;
  const post = (over: net.Socket, note = ''): Promise<HttpAnswer> =>
    log.run(
      'http',
      () =>
        connections.afterHandshake(
          sendRequest({ url: tokenUrl, method: 'POST', headers: { ...setting.headers, ...exchange.headers }, body: exchange.body, socket: over, timeoutMs: setting.responseMs, signal: setting.signal }),
        ),
      (a) => `${note}${describeAnswer(`POST ${PASSPORTAL_TOKEN_PATH}`, a, setting.secrets)}`,
      (a) => a.firstByteMs,
    );
  const retried = await connections.postHandshakeAuth(await post(socket), post);
  if ('end' in retried) return retried;
  const answer = retried.answer;
  const parsed = readPassportalAnswer(answer.body);
  if (parsed.ok && parsed.accessToken) return { ok: true, accessToken: parsed.accessToken, ...(parsed.expiresAt ? { expiresAt: parsed.expiresAt } : {}) };
  const serverMessage = extractServerMessage(answer.body, answer.headers['content-type'], setting.secrets);
  // A 404 of the token path is a wrong address, not a refused key; a server error (a gateway's 502,
  // 503, 504) is the Request step's: the key was never judged.
  const verdict = verdictForStatus(answer.status, 'auth-rejected');
  if (answer.status >= 500) {
    const note = serverErrorNote(answer.status, gatewayFacts(answer, setting.secrets).gateway, serverMessage);
    log.fail('http', (detail) => (note ? `${detail}; ${note}` : detail));
  } else log.record('auth', 'failed', 0, `access key exchange refused${serverMessage ? `: ${serverMessage}` : ''}`);
  return { ok: false, answer, verdict, ...(serverMessage ? { serverMessage } : {}) };
}

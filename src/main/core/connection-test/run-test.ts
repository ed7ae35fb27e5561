// One connection test, step by step: address, dns, tcp, (proxy), tls, http, auth. Each step is
// timed and leaves evidence; the first that fails gives the verdict. The secret is sent only after
// the server's certificate was accepted, only to the address the admin entered, on a connection
// opened for this test alone (no keep-alive, no TLS session reuse). The phases and the test's
// state are in test-session.ts; here they are put in order.
import type { TestReport } from '../../../shared/types';
import type { TestEnvironment, TestTarget } from './test-target';
import { TestSession } from './test-session';

export type { AuthSpec } from './auth-methods';
export type { ClientCertificate, TrustOptions } from './tls-handshake';
export type { TestEnvironment, TestTarget } from './test-target';

export async function runConnectionTest(target: TestTarget, env: TestEnvironment = {}): Promise<TestReport> {
  const session = new TestSession(target, env);
  try {
    const authorised = await session.authorise(await session.reach());
    if ('verdict' in authorised) return authorised;
    const answer = await session.request(authorised);
    return 'verdict' in answer ? answer : await session.judge(answer);
  } catch (error) {
    return await session.withClock(session.failed(error));
  } finally {
    session.close();
  }
}

/** A public document (a product's OpenAPI specification) at this address: no secret is sent. */
export type DocumentTarget = Omit<TestTarget, 'auth' | 'successRule' | 'hints' | 'onStep'>;
export type DownloadedDocument = { ok: true; body: string; contentType: string | undefined } | { ok: false; report: TestReport };

/**
 * Downloads a document over a connection reached and judged like a test's (the same trust, proxy
 * and client certificate, the same verdicts when it fails), reading at most `maxBytes` of it.
 */
export async function downloadDocument(target: DocumentTarget, maxBytes: number, env: TestEnvironment = {}): Promise<DownloadedDocument> {
  const session = new TestSession({ ...target, auth: { method: 'none' } }, env);
  try {
    const answer = await session.request({ socket: await session.reach() }, maxBytes);
    if ('verdict' in answer) return { ok: false, report: answer };
    if (answer.status >= 200 && answer.status < 300) return { ok: true, body: answer.body, contentType: answer.headers['content-type'] };
    return { ok: false, report: await session.judge(answer) };
  } catch (error) {
    return { ok: false, report: session.failed(error) };
  } finally {
    session.close();
  }
}

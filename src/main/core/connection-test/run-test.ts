// One connection test: an authenticated GET of the key manager's API root on a fresh agent, judged
// into a verdict with a message and a hint. The token goes only to the address the admin entered.
import http from 'node:http';
import https from 'node:https';
import tls, { type TLSSocket } from 'node:tls';
import got, { type Request } from 'got';
import type { CertificateSummary, TestReport, Verdict } from '../../../shared/types';
import { parseServerAddress } from '../address/parse-address';
import { classifyError } from './classify-error';
import { probeCertificate, summariseCertificate } from './certificate';
import { extractServerMessage, redactSecrets } from './server-message';
import { VERDICT_TEXTS, type VerdictContext } from './verdicts';

export interface TestTarget {
  serverAddress: string;
  token: string;
  verifyCertificate: boolean;
  /** Extra CA certificates (PEM) trusted in addition to the built-in ones. */
  extraCaPem?: string[];
  /** Default /api/v3/ (seed 000: GET /api/v3/ answers 200 JSON). */
  testPath?: string;
  /** Upper bound for the whole test; the phases get their own smaller bounds. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface TestEnvironment {
  now?: () => Date;
  userAgent?: string;
}

/** At most this much of an answer is read: enough for an error message, bounded against floods. */
const MAX_BODY_BYTES = 16 * 1024;
const DEFAULT_TIMEOUT_MS = 20_000;

export async function runConnectionTest(target: TestTarget, env: TestEnvironment = {}): Promise<TestReport> {
  const now = env.now ?? (() => new Date());
  const started = performance.now();
  const testedAt = now().toISOString();
  const address = parseServerAddress(target.serverAddress, target.testPath);

  const report = (
    verdict: Verdict,
    context: VerdictContext,
    extra: { certificate?: CertificateSummary | null; warnings?: string[]; httpStatus?: number | null } = {},
  ): TestReport => {
    const text = VERDICT_TEXTS[verdict];
    return {
      ok: verdict === 'ok',
      verdict,
      title: text.title,
      message: redactSecrets(text.message(context), [target.token]),
      hint: text.hint(context),
      url: context.url === '' ? null : context.url,
      httpStatus: extra.httpStatus ?? null,
      warnings: extra.warnings ?? [],
      certificate: extra.certificate ?? null,
      durationMs: Math.round(performance.now() - started),
      testedAt,
    };
  };

  if (!address.ok) return report('invalid-address', { host: '', port: 0, url: '', detail: address.message });
  const context: VerdictContext = { host: address.hostname, port: address.port, url: address.testUrl };
  if (address.insecureHttp) return report('insecure-http-refused', context);

  const warnings: string[] = [];
  if (!target.verifyCertificate) {
    warnings.push('Verify certificate is No: the certificate below was not checked. Use this only for evaluation servers.');
  }

  const total = target.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // Each phase gets a share of the total, so a stalled phase is named rather than "the request".
  const phase = Math.min(10_000, Math.floor(total * 0.75));
  // A fresh agent per test: no keep-alive and no TLS session cache, so every test does a full
  // handshake with full certificate checks.
  const agent = new https.Agent({ keepAlive: false, maxCachedSessions: 0 });
  let certificate: CertificateSummary | null = null;

  try {
    const stream: Request = got.stream(address.testUrl, {
      method: 'GET',
      headers: {
        authorization: `Bearer ${target.token}`,
        accept: 'application/json',
        'user-agent': env.userAgent ?? 'Keybridge',
      },
      agent: { https: agent, http: new http.Agent({ keepAlive: false }) },
      https: {
        rejectUnauthorized: target.verifyCertificate,
        // Node's `ca` replaces the built-in list, so extra CAs are added to it, not swapped in.
        certificateAuthority: target.extraCaPem?.length ? [...tls.rootCertificates, ...target.extraCaPem] : undefined,
      },
      retry: { limit: 0 },
      followRedirect: false,
      throwHttpErrors: false,
      decompress: true,
      timeout: { lookup: phase, connect: phase, secureConnect: phase, response: phase, request: total },
      signal: target.signal,
    });

    const { statusCode, headers, body } = await readBounded(stream, (socket) => {
      certificate = summariseCertificate(socket.getPeerCertificate(true));
    });

    const serverMessage = extractServerMessage(body, headers['content-type'], [target.token]);
    const answered: VerdictContext = { ...context, status: statusCode, serverMessage };
    const extra = { certificate, warnings, httpStatus: statusCode };
    if (statusCode >= 200 && statusCode < 300) {
      if (!/json/i.test(headers['content-type'] ?? '')) {
        warnings.push('The server answered, but not with JSON: check that the address points to the key manager API.');
      }
      return report('ok', answered, extra);
    }
    if (statusCode >= 300 && statusCode < 400) {
      const location = headers.location ? describeLocation(headers.location, address.testUrl) : undefined;
      return report('http-redirect', { ...answered, location }, extra);
    }
    if (statusCode === 401) return report('http-unauthorized', answered, extra);
    if (statusCode === 403) return report('http-forbidden', answered, extra);
    if (statusCode === 404) return report('http-not-found', answered, extra);
    if (statusCode >= 500) return report('http-server-error', answered, extra);
    return report('http-unexpected-status', answered, extra);
  } catch (error) {
    const { verdict, errorCode, phase: timedOutPhase } = classifyError(error);
    if (verdict.startsWith('tls-') && certificate === null) {
      // Show the certificate that was refused: a TLS-only probe that sends nothing.
      certificate = await probeCertificate(address.hostname, address.port, Math.min(phase, 5_000));
    }
    return report(verdict, { ...context, errorCode, phase: timedOutPhase }, { certificate, warnings });
  } finally {
    agent.destroy();
  }
}

interface BoundedAnswer {
  statusCode: number;
  headers: Record<string, string | undefined>;
  body: string;
}

/** Reads status, headers and at most MAX_BODY_BYTES of the body, then closes the request. */
function readBounded(stream: Request, onTls: (socket: TLSSocket) => void): Promise<BoundedAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let answer: Omit<BoundedAnswer, 'body'> | null = null;
    const finish = (): void => {
      if (!answer) return;
      resolve({ ...answer, body: Buffer.concat(chunks).toString('utf8') });
      stream.destroy();
    };
    stream.once('response', (response: http.IncomingMessage) => {
      const socket = response.socket as TLSSocket | null;
      if (socket && typeof socket.getPeerCertificate === 'function') onTls(socket);
      const headers: Record<string, string | undefined> = {};
      for (const [key, value] of Object.entries(response.headers)) {
        headers[key] = Array.isArray(value) ? value.join(', ') : value;
      }
      answer = { statusCode: response.statusCode ?? 0, headers };
    });
    stream.on('data', (chunk: Buffer) => {
      const room = MAX_BODY_BYTES - size;
      if (room > 0) chunks.push(chunk.subarray(0, room));
      size += chunk.length;
      if (size >= MAX_BODY_BYTES) finish();
    });
    stream.once('end', finish);
    stream.once('error', (error) => {
      if (answer) finish();
      else reject(error);
    });
  });
}

/** A redirect target as shown to the admin: absolute, without any query (it may hold secrets). */
function describeLocation(location: string, base: string): string {
  try {
    const url = new URL(location, base);
    return `${url.origin}${url.pathname}`;
  } catch {
    return 'an address that is not valid';
  }
}

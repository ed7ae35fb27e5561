// The HTTP step: one request with got (the design card's HTTP client) over the socket the earlier
// steps opened and judged (`createConnection`: no agent, so no pooling and no reuse), with retries
// off, redirects reported and never followed, no decompression (so no Accept-Encoding the admin did
// not choose), no User-Agent but the one passed in, and a body read as a stream up to 16 KiB.
// The time to the first byte is measured here (from the request written to the socket to the
// answer's head), to a fraction of a millisecond; got's typed errors give the verdicts.
import type { ClientRequest } from 'node:http';
import type net from 'node:net';
import got, { TimeoutError, type Response } from 'got';
import { classifyError } from './classify-error';
import { GATEWAY_STATUS_NAMES, headerShown } from './gateway-signature';
import { StepFailure } from './steps';

/** At most this much of an answer is read: enough for an error message, bounded against floods. */
export const MAX_BODY_BYTES = 16 * 1024;

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
  /**
   * ms from the request being sent to the first byte of the answer (its head): the Request step's
   * time and the report's "first byte" phase, one measurement.
   */
  firstByteMs: number;
}

export interface HttpRequestSpec {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  socket: net.Socket;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Read at most this much of the body (default 16 KiB). */
  maxBodyBytes?: number;
}

function flatHeaders(response: Response): Record<string, string | undefined> {
  const flat: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(response.headers)) flat[key] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}

export async function sendRequest(spec: HttpRequestSpec): Promise<HttpAnswer> {
  if (spec.signal?.aborted) throw new StepFailure('test-cancelled', 'cancelled');
  const stream = got.stream(spec.url, {
    method: spec.method,
    headers: { accept: 'application/json', ...spec.headers },
    ...(spec.body !== undefined ? { body: spec.body } : {}),
    createConnection: () => spec.socket,
    http2: false,
    retry: { limit: 0 },
    followRedirect: false,
    throwHttpErrors: false,
    decompress: false,
    timeout: { request: spec.timeoutMs },
    ...(spec.signal ? { signal: spec.signal } : {}),
  });

  // got's own timings count whole milliseconds (Date.now()): these are performance.now()'s.
  let sentAt: number | null = null;
  let answeredAt: number | null = null;
  stream.once('request', (request: ClientRequest) => {
    const handedOver = performance.now();
    const sent = (): void => {
      sentAt ??= performance.now();
    };
    if (request.writableFinished) sent();
    else request.prependOnceListener('finish', sent);
    request.prependOnceListener('response', () => {
      answeredAt = performance.now();
      // A server that answered before the request was all written: counted from its start.
      sentAt ??= handedOver;
    });
  });

  try {
    return await new Promise<HttpAnswer>((resolve, reject) => {
      let response: Response | null = null;
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = (): void => {
        if (!response) return;
        const measured = sentAt !== null && answeredAt !== null ? Math.max(0, answeredAt - sentAt) : null;
        resolve({
          status: response.statusCode,
          headers: flatHeaders(response),
          body: Buffer.concat(chunks).toString('utf8'),
          firstByteMs: measured ?? response.timings?.phases.firstByte ?? 0,
        });
        stream.destroy();
      };
      stream.once('response', (answer: Response) => {
        response = answer;
      });
      const limit = spec.maxBodyBytes ?? MAX_BODY_BYTES;
      stream.on('data', (chunk: Buffer) => {
        const room = limit - size;
        if (room > 0) chunks.push(chunk.subarray(0, room));
        size += chunk.length;
        if (size >= limit) finish();
      });
      stream.once('end', finish);
      stream.once('error', (error: Error) => {
        // A body cut short still leaves a status and headers to judge.
        if (response) return finish();
        reject(error);
      });
    });
  } catch (error) {
    if (error instanceof TimeoutError) {
      throw new StepFailure('timeout', `no answer within ${spec.timeoutMs} ms`, { phase: 'the answer', errorCode: 'ETIMEDOUT' });
    }
    const { verdict, errorCode } = classifyError(error);
    // The cause stays attached: a TLS 1.3 server judges the client certificate after the handshake,
    // so its refusal arrives here and is judged again with what the handshake showed (tls-failure.ts).
    throw Object.assign(new StepFailure(verdict, verdict === 'test-cancelled' ? 'cancelled' : `${spec.method} failed (${errorCode ?? verdict})`, { errorCode }), { cause: error });
  } finally {
    spec.socket.destroy();
  }
}

/**
 * The Request step's evidence of an answer: "GET → HTTP 502 Bad Gateway; server: nginx/1.22.1".
 * No time: the step's own column shows it (the wait for this answer, firstByteMs), in the report's format.
 */
export function describeAnswer(method: string, answer: HttpAnswer, secrets: readonly string[]): string {
  const name = GATEWAY_STATUS_NAMES[answer.status];
  const server = answer.headers.server?.trim();
  return `${method} → HTTP ${answer.status}${name ? ` ${name}` : ''}${server ? `; server: ${headerShown(server, secrets)}` : ''}`;
}

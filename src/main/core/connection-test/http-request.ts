// The HTTP step: one request over the socket the earlier steps opened and judged. Node's own
// client, with no agent (so no pooling and no reuse), no retries, no redirects followed, an
// uncompressed answer and a bounded body. (Why not got: see README, "Dependency notes".)
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import { classifyError } from './classify-error';
import { bounded } from './network';
import { StepFailure } from './steps';

/** At most this much of an answer is read: enough for an error message, bounded against floods. */
export const MAX_BODY_BYTES = 16 * 1024;

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
  /** ms from the request being sent to the first byte of the answer. */
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
}

export function sendRequest(spec: HttpRequestSpec): Promise<HttpAnswer> {
  const started = performance.now();
  const client = spec.url.startsWith('https:') ? https : http;
  const headers: Record<string, string> = { accept: 'application/json', 'accept-encoding': 'identity', ...spec.headers };
  if (spec.body !== undefined) headers['content-length'] = String(Buffer.byteLength(spec.body));
  const request = client.request(spec.url, { method: spec.method, headers, createConnection: () => spec.socket });

  const answered = new Promise<HttpAnswer>((resolve, reject) => {
    request.once('response', (response: IncomingMessage) => {
      const firstByteMs = performance.now() - started;
      const flat: Record<string, string | undefined> = {};
      for (const [key, value] of Object.entries(response.headers)) flat[key] = Array.isArray(value) ? value.join(', ') : value;
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = (): void => {
        resolve({ status: response.statusCode ?? 0, headers: flat, body: Buffer.concat(chunks).toString('utf8'), firstByteMs });
        spec.socket.destroy();
      };
      response.on('data', (chunk: Buffer) => {
        const room = MAX_BODY_BYTES - size;
        if (room > 0) chunks.push(chunk.subarray(0, room));
        size += chunk.length;
        if (size >= MAX_BODY_BYTES) finish();
      });
      response.once('end', finish);
      // A body cut short still leaves a status and headers to judge.
      response.once('error', finish);
      response.once('aborted', finish);
    });
    request.once('error', (error) => {
      const { verdict, errorCode } = classifyError(error);
      reject(new StepFailure(verdict, `${spec.method} failed (${errorCode ?? verdict})`, { errorCode }));
    });
  });
  request.end(spec.body);

  return bounded(
    answered,
    spec.timeoutMs,
    () => new StepFailure('timeout', `no answer within ${spec.timeoutMs} ms`, { phase: 'the answer', errorCode: 'ETIMEDOUT' }),
    spec.signal,
    () => {
      request.destroy();
      spec.socket.destroy();
    },
  );
}

// The HTTP step: one request with got over the socket the earlier steps opened and judged.
// No agent (so no pooling and no reuse), no retries, no redirects followed, a bounded body.
import type { IncomingMessage } from 'node:http';
import type net from 'node:net';
import got, { type Request } from 'got';
import { classifyError } from './classify-error';
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
  const stream: Request = got.stream(spec.url, {
    method: spec.method,
    headers: { accept: 'application/json', ...spec.headers },
    body: spec.body,
    createConnection: () => spec.socket,
    retry: { limit: 0 },
    followRedirect: false,
    throwHttpErrors: false,
    decompress: true,
    timeout: { response: spec.timeoutMs, request: spec.timeoutMs * 2 },
    signal: spec.signal,
  });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let head: Omit<HttpAnswer, 'body'> | null = null;
    const finish = (): void => {
      if (!head) return;
      resolve({ ...head, body: Buffer.concat(chunks).toString('utf8') });
      stream.destroy();
      spec.socket.destroy();
    };
    stream.once('response', (response: IncomingMessage) => {
      const headers: Record<string, string | undefined> = {};
      for (const [key, value] of Object.entries(response.headers)) headers[key] = Array.isArray(value) ? value.join(', ') : value;
      head = { status: response.statusCode ?? 0, headers, firstByteMs: performance.now() - started };
    });
    stream.on('data', (chunk: Buffer) => {
      const room = MAX_BODY_BYTES - size;
      if (room > 0) chunks.push(chunk.subarray(0, room));
      size += chunk.length;
      if (size >= MAX_BODY_BYTES) finish();
    });
    stream.once('end', finish);
    stream.once('error', (error) => {
      if (head) return finish();
      spec.socket.destroy();
      const { verdict, errorCode, phase } = classifyError(error);
      reject(new StepFailure(verdict, `${spec.method} failed (${errorCode ?? verdict})`, { errorCode, phase }));
    });
  });
}

// The network steps before TLS: name lookup, TCP connection, and an optional proxy tunnel.
import dns from 'node:dns/promises';
import http from 'node:http';
import net from 'node:net';
import { classifyError } from './classify-error';
import { StepFailure } from './steps';

/** Rejects with a StepFailure when `work` takes longer than `ms`, or when the test is cancelled. */
export function bounded<T>(work: Promise<T>, ms: number, onTimeout: () => StepFailure, signal?: AbortSignal, cleanup?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup?.();
      reject(onTimeout());
    }, ms);
    const onAbort = (): void => {
      cleanup?.();
      reject(new StepFailure('test-cancelled', 'cancelled'));
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export async function lookup(host: string, timeoutMs: number, signal?: AbortSignal): Promise<string[]> {
  try {
    const found = await bounded(
      dns.lookup(host, { all: true, verbatim: true }),
      timeoutMs,
      () => new StepFailure('timeout', `no answer from DNS within ${timeoutMs} ms`, { phase: 'the DNS lookup' }),
      signal,
    );
    return found.map((a) => a.address);
  } catch (error) {
    if (error instanceof StepFailure) throw error;
    const { verdict, errorCode } = classifyError(error);
    throw new StepFailure(verdict.startsWith('dns-') ? verdict : 'dns-failure', `lookup of ${host} failed (${errorCode ?? 'error'})`, { errorCode });
  }
}

/** Connects to the first address that accepts; reports refusals of all of them as the first one's. */
export async function connectTcp(addresses: string[], port: number, timeoutMs: number, signal?: AbortSignal): Promise<{ socket: net.Socket; address: string }> {
  let firstError: StepFailure | null = null;
  for (const address of addresses) {
    try {
      return { socket: await connectOne(address, port, timeoutMs, signal), address };
    } catch (error) {
      if (!(error instanceof StepFailure) || error.verdict === 'test-cancelled') throw error;
      firstError ??= error;
    }
  }
  throw firstError ?? new StepFailure('dns-not-found', 'no address to connect to');
}

function connectOne(address: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<net.Socket> {
  // No Nagle delay: the request follows the handshake's last flight at once, as curl does.
  const socket = net.connect({ host: address, port, noDelay: true });
  const shown = net.isIPv6(address) ? `[${address}]:${port}` : `${address}:${port}`;
  const connected = new Promise<net.Socket>((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('error', (error) => {
      const { verdict, errorCode } = classifyError(error);
      reject(new StepFailure(verdict, `${shown}: ${errorCode ?? 'error'}`, { errorCode }));
    });
  });
  return bounded(
    connected,
    timeoutMs,
    () => new StepFailure('connection-timeout', `${shown}: no answer within ${timeoutMs} ms`, { errorCode: 'ETIMEDOUT' }),
    signal,
    () => socket.destroy(),
  );
}

/** Opens an HTTP CONNECT tunnel through a proxy to host:port, on an already connected socket. */
export function openTunnel(
  socket: net.Socket,
  proxy: URL,
  host: string,
  port: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<net.Socket> {
  const authority = net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
  const headers: Record<string, string> = { host: authority };
  if (proxy.username) {
    const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    headers['proxy-authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  const request = http.request({ method: 'CONNECT', path: authority, headers, createConnection: () => socket });
  const tunnel = new Promise<net.Socket>((resolve, reject) => {
    request.once('connect', (response, tunnelSocket) => {
      if (response.statusCode === 200) resolve(tunnelSocket);
      else {
        tunnelSocket.destroy();
        reject(new StepFailure('proxy-failure', `proxy answered HTTP ${response.statusCode} to CONNECT ${authority}`, { status: response.statusCode }));
      }
    });
    request.once('error', (error) => {
      const { errorCode } = classifyError(error);
      reject(new StepFailure('proxy-failure', `proxy closed the tunnel (${errorCode ?? 'error'})`, { errorCode }));
    });
  });
  request.end();
  return bounded(
    tunnel,
    timeoutMs,
    () => new StepFailure('timeout', `the proxy did not open a tunnel within ${timeoutMs} ms`, { phase: 'the proxy' }),
    signal,
    () => socket.destroy(),
  );
}

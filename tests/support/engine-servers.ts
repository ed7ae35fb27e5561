// What the engine tests (tests/unit/engine-*.test.ts) run runConnectionTest against, all on
// 127.0.0.1: the demo key manager, one self-signed certificate for scripted peers, and every server
// a test starts, closed after the file. Call useEngineServers() at the top of a test file; it
// registers the hooks. runEngine() is the engine with the defaults most tests need.
import http from 'node:http';
import type https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { runConnectionTest, type TestEnvironment, type TestTarget } from '../../src/main/core/connection-test/run-test';
import { issueCertificate, type Issued } from '../../tools/certificates';
import { startDemoKeyManager, type DemoKeyManager } from '../../tools/demo-key-manager';
import { httpsPeer, type Peer } from './peers';

/** The bearer token runEngine sends unless a test gives another. */
export const TOKEN = 'EngineTokenEngineToken01';

/** The engine with a bearer TOKEN, Verify certificate No and no proxy, unless the test says otherwise. */
export const runEngine = (more: Partial<TestTarget> & Pick<TestTarget, 'serverAddress'>, env?: TestEnvironment) =>
  runConnectionTest({ auth: { method: 'bearer', token: TOKEN }, trust: { verifyCertificate: false }, proxy: null, ...more }, env);

/** A server of the test's own making, listening on 127.0.0.1. */
export interface Listening {
  /** https://127.0.0.1:<port> (the scheme is the engine's: a plain TCP server is reached as https:// too). */
  url: string;
  port: number;
}

export interface EngineServers {
  /** The demo key manager (self-signed, accepts demo.token). */
  readonly demo: DemoKeyManager;
  /** A self-signed certificate for 127.0.0.1 (CN "engine"), for scripted peers. */
  readonly leaf: Issued;
  /** Closes this after the file's tests. */
  track<T extends { close(): Promise<void> }>(closable: T): T;
  /** An HTTPS peer with `leaf` that answers with `handler` and records what it got; closed after the file. */
  httpsPeer(handler: Parameters<typeof httpsPeer>[1]): Promise<Peer>;
  /** Starts `server` on 127.0.0.1 and closes it (and its open connections) after the file. */
  listen(server: http.Server | https.Server | net.Server): Promise<Listening>;
  /** A loopback HTTP proxy that tunnels CONNECT requests (or refuses them with 403), recording each; closed after the file. */
  connectProxy(refuse?: boolean): Promise<ConnectProxy>;
}

export interface ConnectProxy {
  /** http://127.0.0.1:<port> */
  url: string;
  /** "<host:port> auth=<Proxy-Authorization or ->" for each CONNECT. */
  requests: string[];
}

export function useEngineServers(): EngineServers {
  let demo: DemoKeyManager | undefined;
  let leaf: Issued | undefined;
  const closers: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    demo = await startDemoKeyManager();
    leaf = await issueCertificate({ commonName: 'engine' });
  });
  afterAll(async () => {
    await demo?.close();
    await Promise.all(closers.map((close) => close()));
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`The ${what} starts in beforeAll: use it inside a test or a hook.`);
    return value;
  };
  const track = <T extends { close(): Promise<void> }>(closable: T): T => {
    closers.push(() => closable.close());
    return closable;
  };
  const listen = async (server: http.Server | https.Server | net.Server): Promise<Listening> => {
    const sockets = new Set<net.Socket>();
    server.on('connection', (socket: net.Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    track({
      close: () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => resolve());
        }),
    });
    const port = (server.address() as AddressInfo).port;
    return { url: `https://127.0.0.1:${port}`, port };
  };
  return {
    get demo() {
      return started(demo, 'demo key manager');
    },
    get leaf() {
      return started(leaf, 'test certificate');
    },
    track,
    httpsPeer: async (handler) => track(await httpsPeer(started(leaf, 'test certificate'), handler)),
    listen,
    connectProxy: async (refuse = false) => {
      const requests: string[] = [];
      const server = http.createServer((_req, res) => res.writeHead(405).end());
      const upstreams = new Set<net.Socket>();
      server.on('connect', (req: http.IncomingMessage, client: net.Socket) => {
        requests.push(`${req.url} auth=${req.headers['proxy-authorization'] ?? '-'}`);
        if (refuse) return client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
        const [host, port] = (req.url ?? '').split(/:(?=\d+$)/);
        const upstream = net.connect(Number(port), host === 'localhost' ? '127.0.0.1' : host, () => {
          client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          upstream.pipe(client);
          client.pipe(upstream);
        });
        upstreams.add(upstream);
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
      });
      // The clients' sockets close with the server; the tunnels' other ends are closed here.
      track({ close: async () => upstreams.forEach((socket) => socket.destroy()) });
      const { port } = await listen(server);
      return { url: `http://127.0.0.1:${port}`, requests };
    },
  };
}

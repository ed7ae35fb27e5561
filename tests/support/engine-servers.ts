// What the engine tests (tests/unit/engine-*.test.ts) run runConnectionTest against, all on
// 127.0.0.1: the demo key manager, one self-signed certificate for scripted peers, and every server
// a test starts, closed after the file. Call useEngineServers() at the top of a test file; it
// registers the hooks. runEngine() is the engine with the defaults most tests need.
import type http from 'node:http';
import type https from 'node:https';
import type net from 'node:net';
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
  return {
    get demo() {
      return started(demo, 'demo key manager');
    },
    get leaf() {
      return started(leaf, 'test certificate');
    },
    track,
    httpsPeer: async (handler) => track(await httpsPeer(started(leaf, 'test certificate'), handler)),
    listen: async (server) => {
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
    },
  };
}

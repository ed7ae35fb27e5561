// Real peers on 127.0.0.1 for the connection tests: HTTPS and HTTP servers with scripted answers,
// a listener that never answers, and a port that is certainly closed. Each records what it got,
// so a test can prove where the token did (not) arrive.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import type { Issued } from '../../tools/certificates';

export interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
}

export interface Peer {
  url: string;
  port: number;
  seen: Seen[];
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function listen(server: http.Server | https.Server | net.Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

function closer(server: http.Server | net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
}

function track(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return sockets;
}

function recording(seen: Seen[], handler: Handler): Handler {
  return (req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    handler(req, res);
  };
}

export async function httpsPeer(cert: Issued, handler: Handler): Promise<Peer> {
  const seen: Seen[] = [];
  const server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, recording(seen, handler));
  const sockets = track(server);
  const port = await listen(server);
  return { url: `https://127.0.0.1:${port}`, port, seen, close: closer(server, sockets) };
}

export async function httpPeer(handler: Handler): Promise<Peer> {
  const seen: Seen[] = [];
  const server = http.createServer(recording(seen, handler));
  const sockets = track(server);
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, port, seen, close: closer(server, sockets) };
}

/** Accepts TCP connections and never says a word. */
export async function silentPeer(): Promise<Peer> {
  const server = net.createServer(() => {});
  const sockets = track(server);
  const port = await listen(server);
  return { url: `https://127.0.0.1:${port}`, port, seen: [], close: closer(server, sockets) };
}

/** A port that was free a moment ago: bound, then released, so connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

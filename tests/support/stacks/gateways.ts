// Real gateways in front of a key manager that fails, for the gateway verdicts (502, 503, 504): nginx,
// HAProxy and Apache httpd from Debian's binaries, each a TLS reverse proxy on 127.0.0.1 (the stack
// materials' "good" certificate for localhost) started like the TLS stacks (stacks.ts: own temp
// folder, own process group, killed on close, on exit and by a watchdog). What they forward to is
// a key manager that is not there: a port nothing listens on (nginx 502, HAProxy and Apache 503), a
// Node server on loopback that accepts and never answers (nginx and HAProxy 504: their read timeout
// is 1 s), or one that accepts and closes at once (Apache's "Proxy Error", 502).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { StackMaterials } from './materials';
import { APACHE_MODULES, findSoftware, freePorts, isRoot, listening, nginxLaunch, passwdGid, q, type Backend, ServerProcess, versionOf, waitUntilListening, type Launch } from './stacks';

export type GatewayName = 'nginx' | 'haproxy' | 'apache';
/** dead: nothing listens upstream; silent: the upstream accepts and never answers; closing: it accepts and closes. */
export type Upstream = 'dead' | 'silent' | 'closing';

/** What each gateway is put in front of. */
export const GATEWAY_UPSTREAMS: Record<GatewayName, readonly Upstream[]> = {
  nginx: ['dead', 'silent'],
  haproxy: ['dead', 'silent'],
  apache: ['dead', 'closing'],
};

export interface RunningGateway {
  name: GatewayName;
  version: string;
  /** The gateway's TLS port for each upstream it is in front of. */
  ports: Partial<Record<Upstream, number>>;
  close(): Promise<void>;
}

/** A TCP server on 127.0.0.1 that does `onSocket` with each connection; closing destroys them. */
async function loopback(onSocket: (socket: net.Socket) => void): Promise<Backend> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  return listening(server, sockets);
}

interface GatewayContext {
  dir: string;
  binary: string;
  /** The gateway's own port and the upstream's port, for each upstream. */
  routes: Array<{ upstream: Upstream; port: number; to: number }>;
  cert: string;
  key: string;
  bundle: string;
}

function nginx(ctx: GatewayContext): Launch {
  const { dir } = ctx;
  const servers = ctx.routes.map((r) =>
    [
      '  server {',
      `    listen 127.0.0.1:${r.port} ssl;`,
      '    server_name localhost;',
      `    ssl_certificate ${q(ctx.cert)};`,
      `    ssl_certificate_key ${q(ctx.key)};`,
      '    ssl_protocols TLSv1.2 TLSv1.3;',
      '    proxy_connect_timeout 1s;',
      '    proxy_read_timeout 1s;',
      `    location / { proxy_pass http://127.0.0.1:${r.to}; }`,
      '  }',
    ].join('\n'),
  );
  return nginxLaunch(ctx.binary, dir, servers, 64);
}

function haproxy(ctx: GatewayContext): Launch {
  const sections = ctx.routes.flatMap((r) => [
    `frontend gw-${r.upstream}`,
    `  bind 127.0.0.1:${r.port} ssl crt ${q(ctx.bundle)} ssl-min-ver TLSv1.2`,
    `  default_backend km-${r.upstream}`,
    `backend km-${r.upstream}`,
    // The dead one is checked (and found down) at once; the silent one answers no request in time.
    r.upstream === 'dead' ? `  server km 127.0.0.1:${r.to} check inter 200ms fall 1 rise 1` : `  server km 127.0.0.1:${r.to}`,
  ]);
  const conf = ['global', '  maxconn 64', '  nbthread 1', 'defaults', '  mode http', '  timeout connect 1s', '  timeout client 10s', '  timeout server 1s', ...sections, ''].join('\n');
  const file = path.join(ctx.dir, 'haproxy.cfg');
  writeFileSync(file, conf);
  return { command: ctx.binary, args: ['-f', file, '-db'], cwd: ctx.dir, logs: [] };
}

function apache(ctx: GatewayContext): Launch {
  const { dir } = ctx;
  const mod = (name: string) => `LoadModule ${name}_module ${q(path.join(APACHE_MODULES, `mod_${name}.so`))}`;
  const hosts = ctx.routes.map((r) =>
    [
      `<VirtualHost 127.0.0.1:${r.port}>`,
      '  ServerName localhost',
      '  SSLEngine on',
      `  SSLCertificateFile ${q(ctx.cert)}`,
      `  SSLCertificateKeyFile ${q(ctx.key)}`,
      `  ProxyPass "/" "http://127.0.0.1:${r.to}/" retry=0`,
      '</VirtualHost>',
    ].join('\n'),
  );
  const conf = [
    `ServerRoot ${q(dir)}`,
    'ServerName localhost',
    `PidFile ${q(path.join(dir, 'apache.pid'))}`,
    `DefaultRuntimeDir ${q(dir)}`,
    `ErrorLog ${q(path.join(dir, 'error.log'))}`,
    'LogLevel notice',
    mod('mpm_event'),
    mod('authz_core'),
    mod('proxy'),
    mod('proxy_http'),
    mod('ssl'),
    // As root, Apache hands its children to another user (as in stacks.ts).
    ...(isRoot() ? [...(existsSync(path.join(APACHE_MODULES, 'mod_unixd.so')) ? [mod('unixd')] : []), 'User nobody', `Group "#${passwdGid('nobody')}"`] : []),
    'StartServers 1',
    'ServerLimit 1',
    'ThreadsPerChild 8',
    'MaxRequestWorkers 8',
    'MinSpareThreads 1',
    'MaxSpareThreads 8',
    'SSLSessionCache none',
    'ProxyTimeout 5',
    ...ctx.routes.map((r) => `Listen 127.0.0.1:${r.port}`),
    ...hosts,
    '',
  ].join('\n');
  const file = path.join(dir, 'apache.conf');
  writeFileSync(file, conf);
  return { command: ctx.binary, args: ['-f', file, '-DFOREGROUND'], cwd: dir, logs: [path.join(dir, 'error.log')] };
}

const BUILDERS: Record<GatewayName, (ctx: GatewayContext) => Launch> = { nginx, haproxy, apache };

/** Starts one gateway in front of each of its upstreams, on free ports of 127.0.0.1; `{ skip }` (one line naming the Debian package) when it is not installed. */
export async function startGateway(name: GatewayName, materials: StackMaterials): Promise<RunningGateway | { skip: string }> {
  const software = findSoftware(name);
  if ('skip' in software) return software;
  const dir = mkdtempSync(path.join(os.tmpdir(), `keybridge-gateway-${name}-`));
  const upstreams: Backend[] = [];
  let proc: ServerProcess | undefined;
  const cleanup = async (): Promise<void> => {
    await proc?.stop();
    await Promise.all(upstreams.map((u) => u.close()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const wanted = GATEWAY_UPSTREAMS[name];
    const [dead, ...ports] = await freePorts(wanted.length + 1);
    const target = async (upstream: Upstream): Promise<number> => {
      if (upstream === 'dead') return dead as number;
      // silent: reads and never answers (the gateway's read timeout ends it); closing: hangs up at once.
      const server = await loopback(upstream === 'silent' ? (socket) => socket.resume() : (socket) => socket.destroy());
      upstreams.push(server);
      return server.port;
    };
    const routes = await Promise.all(wanted.map(async (upstream, i) => ({ upstream, port: ports[i] as number, to: await target(upstream) })));
    const cert = path.join(dir, 'gateway.crt');
    const key = path.join(dir, 'gateway.key');
    const bundle = path.join(dir, 'gateway.pem');
    const chain = materials.good.certPem + materials.intermediate.certPem;
    writeFileSync(cert, chain);
    writeFileSync(key, materials.good.keyPem, { mode: 0o600 });
    writeFileSync(bundle, chain + materials.good.keyPem, { mode: 0o600 });
    proc = new ServerProcess(BUILDERS[name]({ dir, binary: software.binary, routes, cert, key, bundle }));
    await waitUntilListening(name, proc, routes.map((r) => r.port), () => true);
    const version = await versionOf(name, software.binary);
    let closing: Promise<void> | undefined;
    return { name, version, ports: Object.fromEntries(routes.map((r) => [r.upstream, r.port])), close: () => (closing ??= cleanup()) };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

// Real server software on 127.0.0.1 for the TLS verdict tests: nginx, Apache, Caddy, HAProxy,
// lighttpd (GnuTLS) and two Java JSSE servers, each started from Debian's binaries with its own
// config in a fresh temp folder, one port per test case (see CaseName). The proxies terminate TLS
// and pass every request to one small Node HTTP backend (started here, on 127.0.0.1) that answers
// the routes and records what reached it in `seen`; that is also how key managers are often
// deployed. The Java servers (JsseServer.java) answer the same routes themselves and report each
// request to a small recorder here before answering it. Nothing is written outside the temp
// folders; the servers run as the current user (as root, only Apache's children drop to nobody:
// Apache refuses to serve as root). Each server gets its own process group, killed on close(), on
// process exit, and by a watchdog shell if this process is killed outright.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StackMaterials } from './materials';

export type StackName = 'nginx' | 'apache' | 'caddy' | 'haproxy' | 'lighttpd' | 'java-httpsserver' | 'java-sslsocket';
export type CaseName =
  | 'good' | 'self-signed' | 'expired' | 'wrong-host' | 'incomplete-chain'
  | 'client-cert-13'   // client certificate REQUIRED (issued by clientCa; CertificateRequest names clientCa), TLS 1.3 allowed (max 1.3)
  | 'client-cert-12'   // same, but the server offers at most TLS 1.2
  | 'legacy-only'      // server speaks only TLS 1.0 and 1.1 (lower security level so it really works), good cert
  | 'ip-cert'          // serves ipOnly
  | 'dns-only-cert'    // serves dnsOnly
  | 'pha'              // Apache only: TLS 1.3 allowed, SSLVerifyClient none at the vhost, `SSLVerifyClient require` inside <Location /api/> — post-handshake auth
  | 'pha-12';          // Apache only: the same at most TLS 1.2, where Apache asks by renegotiation

export interface SeenRequest {
  stack: StackName;
  case: CaseName | 'unknown';
  method: string;
  url: string;
  authorization: string | undefined;
  /** The User-Agent header as it reached the HTTP layer (a test can tag its own requests with it). */
  userAgent: string | undefined;
}

export interface RunningStack {
  name: StackName;
  version: string;                            // e.g. "nginx/1.22.1 (OpenSSL 3.0.x)", whatever the binary prints
  ports: Partial<Record<CaseName, number>>;   // only the cases this stack supports
  seen: SeenRequest[];                        // requests that reached the HTTP layer (backend)
  close(): Promise<void>;
}

export const STACK_NAMES: readonly StackName[] = ['nginx', 'apache', 'caddy', 'haproxy', 'lighttpd', 'java-httpsserver', 'java-sslsocket'];
export const CASE_NAMES: readonly CaseName[] = [
  'good', 'self-signed', 'expired', 'wrong-host', 'incomplete-chain', 'client-cert-13', 'client-cert-12',
  'legacy-only', 'ip-cert', 'dns-only-cert', 'pha', 'pha-12',
];
const COMMON: CaseName[] = [
  'good', 'self-signed', 'expired', 'wrong-host', 'incomplete-chain', 'client-cert-13', 'client-cert-12', 'ip-cert', 'dns-only-cert',
];

/** The cases each stack serves. */
export const STACK_CASES: Record<StackName, readonly CaseName[]> = {
  // nginx (OpenSSL): all but pha (nginx cannot ask for a client certificate per location).
  nginx: [...COMMON, 'legacy-only'],
  // Apache (mod_ssl, OpenSSL): every case; pha is Apache's own per-location client authentication.
  apache: [...COMMON, 'legacy-only', 'pha', 'pha-12'],
  // Caddy (Go crypto/tls): no legacy-only (`protocols` accepts only tls1.2 and tls1.3), no pha (Go
  // does neither post-handshake auth nor renegotiation as a server).
  caddy: [...COMMON],
  // HAProxy (OpenSSL): all but pha (client certificates are a bind setting, not per path).
  haproxy: [...COMMON, 'legacy-only'],
  // lighttpd (mod_gnutls, GnuTLS): all but pha (client verification is per socket/host only).
  lighttpd: [...COMMON, 'legacy-only'],
  // JSSE: all but pha (JSSE has no server-initiated post-handshake auth; renegotiation is off by default).
  'java-httpsserver': [...COMMON, 'legacy-only'],
  'java-sslsocket': [...COMMON, 'legacy-only'],
};

const STACK_HEADER = 'x-stack-case';
const READY_TIMEOUT_MS = 20_000;
const HERE = path.dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------------------------
// What each case serves

type Protocols = 'modern' | 'tls12' | 'legacy';

interface CaseSetup {
  name: CaseName;
  port: number;
  /** What is served: the leaf with its intermediate, or the leaf alone. */
  cert: string;
  key: string;
  /** cert + key in one file. */
  bundle: string;
  protocols: Protocols;
  /** Client CA to require a certificate from (client-cert cases; pha asks per location). */
  clientCa?: string;
}

function caseSetups(cases: readonly CaseName[], ports: number[], m: StackMaterials, dir: string): CaseSetup[] {
  // Every file a server reads is copied into its own folder.
  const clientCa = path.join(dir, 'client-ca.crt');
  writeFileSync(clientCa, m.clientCa.certPem);
  return cases.map((name, i) => {
    const source = {
      good: m.good, 'self-signed': m.selfSigned, expired: m.expired, 'wrong-host': m.wrongHost, 'incomplete-chain': m.good,
      'client-cert-13': m.good, 'client-cert-12': m.good, 'legacy-only': m.good, 'ip-cert': m.ipOnly, 'dns-only-cert': m.dnsOnly, pha: m.good, 'pha-12': m.good,
    }[name];
    const withIntermediate = name !== 'self-signed' && name !== 'incomplete-chain';
    const served = source.certPem + (withIntermediate ? m.intermediate.certPem : '');
    const cert = path.join(dir, `${name}.crt`);
    const key = path.join(dir, `${name}.key`);
    const bundle = path.join(dir, `${name}.pem`);
    writeFileSync(cert, served);
    writeFileSync(key, source.keyPem, { mode: 0o600 });
    writeFileSync(bundle, served + source.keyPem, { mode: 0o600 });
    const setup: CaseSetup = {
      name, port: ports[i] as number, cert, key, bundle,
      protocols: name === 'legacy-only' ? 'legacy' : name === 'client-cert-12' || name === 'pha-12' ? 'tls12' : 'modern',
    };
    if (name === 'client-cert-13' || name === 'client-cert-12' || name === 'pha' || name === 'pha-12') setup.clientCa = clientCa;
    return setup;
  });
}

// ---------------------------------------------------------------------------------------------
// The routes, and the Node backend behind the proxies

export interface RouteAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** GET /api/v3/ with the token: 200; without: 401; /redirect: 302 to another origin; else 404. */
export function route(url: string, authorization: string | undefined, token: string): RouteAnswer {
  const pathname = url.split('?')[0];
  const json = { 'content-type': 'application/json' };
  if (pathname === '/api/v3/' || pathname === '/api/v3') {
    return authorization === `Bearer ${token}`
      ? { status: 200, headers: json, body: '{"ok":true}' }
      : { status: 401, headers: json, body: '{"error":"invalid API token"}' };
  }
  if (pathname === '/redirect') {
    return { status: 302, headers: { ...json, location: 'https://other.invalid:8443/api/v3/' }, body: '{"redirect":"https://other.invalid:8443/api/v3/"}' };
  }
  return { status: 404, headers: json, body: '{"error":"not found"}' };
}

const isCase = (value: unknown): value is CaseName => typeof value === 'string' && (CASE_NAMES as readonly string[]).includes(value);

export interface Backend {
  port: number;
  close(): Promise<void>;
}

async function startBackend(stack: StackName, token: string, seen: SeenRequest[]): Promise<Backend> {
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const header = req.headers[STACK_HEADER];
    seen.push({
      stack, case: isCase(header) ? header : 'unknown', method: req.method ?? '', url: req.url ?? '',
      authorization: req.headers.authorization, userAgent: req.headers['user-agent'],
    });
    req.resume();
    req.on('end', () => {
      const answer = route(req.url ?? '/', req.headers.authorization, token);
      res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
      res.end(req.method === 'HEAD' ? undefined : answer.body);
    });
  });
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return listening(server, sockets);
}

/** Listens on a free port of 127.0.0.1; closing destroys the open connections first. */
export async function listening(server: net.Server, sockets: Set<net.Socket>): Promise<Backend> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Where the Java servers report each request (a JSON line, acknowledged) before they answer it. */
async function startRecorder(stack: StackName, seen: SeenRequest[]): Promise<Backend> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        try {
          const s = JSON.parse(line) as { case: string; method: string; url: string; authorization: string | null; userAgent: string | null };
          seen.push({
            stack, case: isCase(s.case) ? s.case : 'unknown', method: s.method, url: s.url,
            authorization: s.authorization ?? undefined, userAgent: s.userAgent ?? undefined,
          });
        } catch {
          // not a report
        }
        socket.write('k');
      }
    });
  });
  return listening(server, sockets);
}

// ---------------------------------------------------------------------------------------------
// Finding the software

function which(command: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/local/bin', '/usr/bin', '/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

export const APACHE_MODULES = '/usr/lib/apache2/modules';
const LIGHTTPD_MODULES = '/usr/lib/lighttpd';

export interface Software {
  binary: string;
}

/** The stack's binary, or why it cannot start here (one line naming the Debian package). */
export function findSoftware(name: StackName): Software | { skip: string } {
  const need = (command: string, skip: string, extra?: string): Software | { skip: string } => {
    const binary = which(command);
    if (!binary || (extra !== undefined && !existsSync(extra))) return { skip };
    return { binary };
  };
  switch (name) {
    case 'nginx': return need('nginx', 'nginx is not installed (apt-get install nginx-light)');
    case 'apache': return need('apache2', 'apache2 is not installed (apt-get install apache2)', path.join(APACHE_MODULES, 'mod_ssl.so'));
    case 'caddy': return need('caddy', 'caddy is not installed (apt-get install caddy)');
    case 'haproxy': return need('haproxy', 'haproxy is not installed (apt-get install haproxy)');
    case 'lighttpd': return need('lighttpd', 'lighttpd with GnuTLS is not installed (apt-get install lighttpd lighttpd-mod-gnutls)', path.join(LIGHTTPD_MODULES, 'mod_gnutls.so'));
    case 'java-httpsserver':
    case 'java-sslsocket':
      return need('java', 'java is not installed (apt-get install openjdk-17-jre-headless)');
  }
}

/** Why a stack cannot start here (one line naming the Debian package), or undefined. */
export function stackSkipReason(name: StackName): string | undefined {
  const found = findSoftware(name);
  return 'skip' in found ? found.skip : undefined;
}

// ---------------------------------------------------------------------------------------------
// Version lines (once per process)

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 10_000 }, (_error, stdout, stderr) => resolve(`${stdout}${stderr}`));
  });
}

const versions = new Map<string, Promise<string>>();
function once(key: string, get: () => Promise<string>): Promise<string> {
  let v = versions.get(key);
  if (!v) {
    v = get();
    versions.set(key, v);
  }
  return v;
}

export function versionOf(name: StackName, binary: string): Promise<string> {
  switch (name) {
    case 'nginx':
      return once(name, async () => {
        const out = await run(binary, ['-V']);
        const version = /nginx version: (\S+)/.exec(out)?.[1] ?? 'nginx';
        const openssl = /running with (OpenSSL [^)]+)\)/.exec(out)?.[1] ?? /built with (OpenSSL \S+(?: \d+ \w+ \d+)?)/.exec(out)?.[1];
        return openssl ? `${version} (${openssl.trim()})` : version;
      });
    case 'apache':
      return once(name, async () => /Server version: (.+)/.exec(await run(binary, ['-v']))?.[1]?.trim() ?? 'Apache');
    case 'caddy':
      return once(name, async () => {
        const [v, info] = await Promise.all([run(binary, ['version']), run(binary, ['build-info'])]);
        const go = /^go\s+(go\S+)/m.exec(info)?.[1];
        return `Caddy ${v.trim().split(/\s+/)[0] ?? ''}${go ? ` (Go crypto/tls, ${go})` : ''}`;
      });
    case 'haproxy':
      return once(name, async () => {
        const out = await run(binary, ['-vv']);
        const version = /HAProxy version (\S+)/.exec(out)?.[1] ?? '';
        const openssl = /Running on OpenSSL version : (.+)/.exec(out)?.[1]?.trim();
        return `HAProxy ${version}${openssl ? ` (${openssl})` : ''}`;
      });
    case 'lighttpd':
      return once(name, async () => {
        const [v, gnutls] = await Promise.all([run(binary, ['-v']), run('dpkg-query', ['-W', '-f=${Version}', 'libgnutls30'])]);
        const version = v.split(' - ')[0]?.trim() ?? 'lighttpd';
        const gv = /^\d[\w.+~-]*$/.test(gnutls.trim()) ? ` ${gnutls.trim()}` : '';
        return `${version} (mod_gnutls, GnuTLS${gv})`;
      });
    default:
      return Promise.resolve('java');
  }
}

// ---------------------------------------------------------------------------------------------
// Processes: own process group, killed on close, on exit, and by a watchdog if this process dies

const live = new Set<ServerProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const p of live) {
      p.killNow();
      rmSync(p.launch.cwd, { recursive: true, force: true });
    }
  });
}

export interface Launch {
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Log files the server writes (their tails go into a start failure's message). */
  logs: string[];
  onStdoutLine?: (line: string) => void;
}

export class ServerProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  exitDescription: string | undefined;
  private readonly watchdog: ChildProcess | undefined;
  private output = '';

  constructor(readonly launch: Launch) {
    installExitHook();
    this.child = spawn(launch.command, launch.args, {
      cwd: launch.cwd,
      env: launch.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let pending = '';
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      if (!launch.onStdoutLine) {
        this.keep(chunk);
        return;
      }
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        this.keep(`${line}\n`);
        launch.onStdoutLine(line);
      }
    });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.keep(chunk));
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitDescription = signal ? `killed by ${signal}` : `exited with code ${code}`;
        live.delete(this);
        resolve();
      });
      this.child.once('error', (error) => {
        this.exitDescription = `could not start: ${error.message}`;
        live.delete(this);
        resolve();
      });
    });
    live.add(this);
    if (this.child.pid === undefined) {
      this.watchdog = undefined;
      return;
    }
    // If this test process dies without running its exit hook (SIGKILL, a killed worker), the
    // watchdog's stdin reaches EOF and it kills the server's process group and removes its folder.
    this.watchdog = spawn('sh', ['-c', 'read _ignored; kill -9 "-$0" 2>/dev/null; rm -rf "$1"; exit 0', String(this.child.pid), launch.cwd], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
    });
    this.watchdog.unref();
    (this.watchdog.stdin as unknown as net.Socket | null)?.unref?.();
    this.watchdog.on('error', () => undefined);
  }

  private keep(chunk: string): void {
    this.output = (this.output + chunk).slice(-20_000);
  }

  get running(): boolean {
    return this.exitDescription === undefined;
  }

  /** The last lines of the server's output and log files. */
  tail(lines = 30): string {
    const parts = [this.output];
    for (const file of this.launch.logs) {
      try {
        parts.push(readFileSync(file, 'utf8'));
      } catch {
        // not written (yet)
      }
    }
    return parts.join('\n').split('\n').filter((l) => l.trim() !== '').slice(-lines).join('\n');
  }

  private signal(sig: NodeJS.Signals): void {
    if (this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, sig);
    } catch {
      // already gone
    }
  }

  killNow(): void {
    this.signal('SIGKILL');
  }

  async stop(): Promise<void> {
    if (this.running) {
      this.signal('SIGTERM');
      const timer = setTimeout(() => this.signal('SIGKILL'), 3_000);
      await this.exited;
      clearTimeout(timer);
    }
    // Workers or children that outlived their parent go with the group.
    this.signal('SIGKILL');
    this.watchdog?.stdin?.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Ports

const handedOut = new Set<number>();

export async function freePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  const ports: number[] = [];
  try {
    while (ports.length < count) {
      const server = net.createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      servers.push(server);
      const port = (server.address() as AddressInfo).port;
      if (handedOut.has(port)) continue;
      handedOut.add(port);
      ports.push(port);
    }
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
  return ports;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.setTimeout(1_000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export async function waitUntilListening(name: string, proc: ServerProcess, ports: number[], extra: () => boolean): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const waiting = new Set(ports);
  while (Date.now() < deadline) {
    if (!proc.running) throw new Error(`${name} ${proc.exitDescription} before listening on every port\n${proc.tail()}`);
    for (const port of [...waiting]) if (await accepts(port)) waiting.delete(port);
    if (waiting.size === 0 && extra()) {
      // A server that failed to bind one port may take a moment to exit; a port taken by someone
      // else would have "accepted" just now.
      await new Promise((r) => setTimeout(r, 100));
      if (!proc.running) throw new Error(`${name} ${proc.exitDescription} right after starting\n${proc.tail()}`);
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} did not listen on ${[...waiting].join(', ') || 'every port'} within ${READY_TIMEOUT_MS / 1000} s\n${proc.tail()}`);
}

// ---------------------------------------------------------------------------------------------
// Configurations

interface BuildContext {
  dir: string;
  binary: string;
  cases: CaseSetup[];
  backendPort: number;
  /** Spare free ports for a stack that needs one more listener (lighttpd's main socket). */
  spare: number[];
  materials: StackMaterials;
  onReady: (version: string) => void;
}

export const q = (s: string) => JSON.stringify(s);
export const isRoot = () => process.getuid?.() === 0;

function nginx(ctx: BuildContext): Launch {
  const { dir } = ctx;
  const servers = ctx.cases.map((c) => {
    const lines = [
      `listen 127.0.0.1:${c.port} ssl;`,
      'server_name localhost;',
      `ssl_certificate ${q(c.cert)};`,
      `ssl_certificate_key ${q(c.key)};`,
      c.protocols === 'legacy' ? 'ssl_protocols TLSv1 TLSv1.1;' : c.protocols === 'tls12' ? 'ssl_protocols TLSv1.2;' : 'ssl_protocols TLSv1.2 TLSv1.3;',
    ];
    if (c.protocols === 'legacy') lines.push('ssl_ciphers DEFAULT@SECLEVEL=0;');
    if (c.clientCa) lines.push('ssl_verify_client on;', `ssl_client_certificate ${q(c.clientCa)};`, 'ssl_verify_depth 2;');
    lines.push(`location / { proxy_pass http://127.0.0.1:${ctx.backendPort}; proxy_set_header X-Stack-Case ${c.name}; }`);
    return `  server {\n${lines.map((l) => `    ${l}`).join('\n')}\n  }`;
  });
  return nginxLaunch(ctx.binary, dir, servers, 256);
}

/** nginx in the foreground in `dir`, with these server blocks: its temporary files, pid and log there too. */
export function nginxLaunch(binary: string, dir: string, servers: string[], workerConnections: number): Launch {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${q(path.join(dir, `tmp-${t}`))};`);
  const conf = [
    // As root, nginx would run its worker as "nobody", which cannot enter this 0700 folder.
    isRoot() ? `user ${os.userInfo().username};` : '',
    'worker_processes 1;',
    `pid ${q(path.join(dir, 'nginx.pid'))};`,
    `error_log ${q(path.join(dir, 'error.log'))} notice;`,
    `events { worker_connections ${workerConnections}; }`,
    'http {',
    '  access_log off;',
    '  proxy_http_version 1.1;',
    ...temp,
    ...servers,
    '}',
    '',
  ].join('\n');
  const file = path.join(dir, 'nginx.conf');
  writeFileSync(file, conf);
  return { command: binary, args: ['-p', `${dir}/`, '-c', file, '-e', path.join(dir, 'error.log'), '-g', 'daemon off;'], cwd: dir, logs: [path.join(dir, 'error.log')] };
}

export function passwdGid(user: string): number {
  try {
    const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${user}:`));
    const gid = Number(line?.split(':')[3]);
    if (Number.isInteger(gid)) return gid;
  } catch {
    // fall through
  }
  return 65534;
}

function apache(ctx: BuildContext): Launch {
  const { dir } = ctx;
  const mod = (name: string, file: string) => `LoadModule ${name}_module ${q(path.join(APACHE_MODULES, `mod_${file}.so`))}`;
  const hosts = ctx.cases.map((c) => {
    const lines = [
      'ServerName localhost',
      'SSLEngine on',
      `SSLCertificateFile ${q(c.cert)}`,
      `SSLCertificateKeyFile ${q(c.key)}`,
      c.protocols === 'legacy' ? 'SSLProtocol -all +TLSv1 +TLSv1.1' : c.protocols === 'tls12' ? 'SSLProtocol -all +TLSv1.2' : 'SSLProtocol -all +TLSv1.2 +TLSv1.3',
    ];
    if (c.protocols === 'legacy') lines.push('SSLCipherSuite DEFAULT@SECLEVEL=0');
    const perLocation = c.name === 'pha' || c.name === 'pha-12';
    if (c.clientCa && !perLocation) lines.push('SSLVerifyClient require', 'SSLVerifyDepth 2', `SSLCACertificateFile ${q(c.clientCa)}`);
    lines.push(`RequestHeader set X-Stack-Case ${q(c.name)}`, `ProxyPass "/" "http://127.0.0.1:${ctx.backendPort}/"`);
    if (perLocation && c.clientCa) {
      // SSLCACertificateFile is a server/vhost directive (not allowed in <Location>).
      lines.push(
        `SSLCACertificateFile ${q(c.clientCa)}`,
        'SSLVerifyClient none',
        '<Location "/api/">',
        '  SSLVerifyClient require',
        '  SSLVerifyDepth 2',
        '</Location>',
      );
    }
    return `<VirtualHost 127.0.0.1:${c.port}>\n${lines.map((l) => `  ${l}`).join('\n')}\n</VirtualHost>`;
  });
  const conf = [
    `ServerRoot ${q(dir)}`,
    'ServerName localhost',
    `PidFile ${q(path.join(dir, 'apache.pid'))}`,
    `DefaultRuntimeDir ${q(dir)}`,
    `ErrorLog ${q(path.join(dir, 'error.log'))}`,
    'LogLevel notice',
    mod('mpm_event', 'mpm_event'),
    mod('authz_core', 'authz_core'),
    mod('headers', 'headers'),
    mod('proxy', 'proxy'),
    mod('proxy_http', 'proxy_http'),
    mod('ssl', 'ssl'),
    // As root, Apache must hand its children to another user (it refuses to serve as root).
    // (mod_unixd is built into Debian's apache2; load it only where it is a module.)
    ...(isRoot() ? [...(existsSync(path.join(APACHE_MODULES, 'mod_unixd.so')) ? [mod('unixd', 'unixd')] : []), 'User nobody', `Group "#${passwdGid('nobody')}"`] : []),
    'StartServers 1',
    'ServerLimit 1',
    'ThreadsPerChild 32',
    'MaxRequestWorkers 32',
    'MinSpareThreads 1',
    'MaxSpareThreads 32',
    'SSLSessionCache none',
    'ProxyTimeout 30',
    ...ctx.cases.map((c) => `Listen 127.0.0.1:${c.port}`),
    ...hosts,
    '',
  ].join('\n');
  const file = path.join(dir, 'apache.conf');
  writeFileSync(file, conf);
  return { command: ctx.binary, args: ['-f', file, '-DFOREGROUND'], cwd: dir, logs: [path.join(dir, 'error.log')] };
}

// Caddy runs from JSON (its native config; a Caddyfile is only adapted into it) because Caddy 2.6's
// Caddyfile cannot serve one certificate in several site blocks: each `tls cert key` is tagged for
// its site, the certificate cache keeps a chain only once ("certificate already cached") with the
// first site's tag, and the other sites then answer every handshake with an internal_error alert.
// Here each distinct chain is loaded once, tagged with every case that serves it. default_sni, a
// DNS name of the case's own certificate: with several certificates in one process, a client that
// sends no SNI (an IP address) would otherwise get internal_error on wrong-host and dns-only-cert
// (certmagic narrows the choice to certificates naming the IP before it applies the tag), where a
// Caddy serving only that certificate would serve it.
function caddy(ctx: BuildContext): Launch {
  const { dir } = ctx;
  const loads = new Map<string, { certificate: string; key: string; tags: string[] }>();
  for (const c of ctx.cases) {
    const id = readFileSync(c.bundle, 'utf8');
    const entry = loads.get(id) ?? { certificate: c.cert, key: c.key, tags: [] };
    entry.tags.push(c.name);
    loads.set(id, entry);
  }
  const der = (pemFile: string) => readFileSync(pemFile, 'utf8').replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
  const servers = Object.fromEntries(ctx.cases.map((c) => [c.name, {
    listen: [`127.0.0.1:${c.port}`],
    protocols: ['h1', 'h2'],
    automatic_https: { disable: true },
    routes: [{
      handle: [{
        handler: 'reverse_proxy',
        upstreams: [{ dial: `127.0.0.1:${ctx.backendPort}` }],
        headers: { request: { set: { 'X-Stack-Case': [c.name] } } },
      }],
    }],
    tls_connection_policies: [{
      certificate_selection: { any_tag: [c.name] },
      protocol_min: 'tls1.2',
      protocol_max: c.protocols === 'tls12' ? 'tls1.2' : 'tls1.3',
      default_sni: c.name === 'wrong-host' ? 'other.invalid' : 'localhost',
      ...(c.clientCa ? { client_authentication: { trusted_ca_certs: [der(c.clientCa)], mode: 'require_and_verify' } } : {}),
    }],
  }]));
  const config = {
    admin: { disabled: true },
    logging: { logs: { default: { level: 'WARN' } } },
    storage: { module: 'file_system', root: path.join(dir, 'caddy-data') },
    apps: { http: { servers }, tls: { certificates: { load_files: [...loads.values()] } } },
  };
  const file = path.join(dir, 'caddy.json');
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  const env = { ...process.env, HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_DATA_HOME: path.join(dir, 'data') };
  return { command: ctx.binary, args: ['run', '--config', file], cwd: dir, env, logs: [] };
}

function haproxy(ctx: BuildContext): Launch {
  const { dir } = ctx;
  const frontends = ctx.cases.map((c) => {
    const bind = [`bind 127.0.0.1:${c.port} ssl crt ${q(c.bundle)}`];
    if (c.protocols === 'legacy') bind.push('ssl-min-ver TLSv1.0 ssl-max-ver TLSv1.1 ciphers DEFAULT@SECLEVEL=0');
    else if (c.protocols === 'tls12') bind.push('ssl-min-ver TLSv1.2 ssl-max-ver TLSv1.2');
    else bind.push('ssl-min-ver TLSv1.2 ssl-max-ver TLSv1.3');
    if (c.clientCa) bind.push(`verify required ca-file ${q(c.clientCa)}`);
    return [`frontend case-${c.name}`, `  ${bind.join(' ')}`, `  http-request set-header X-Stack-Case ${c.name}`, '  default_backend node'].join('\n');
  });
  const conf = [
    'global',
    '  maxconn 256',
    '  nbthread 1',
    '  log stderr format raw local0 notice',
    'defaults',
    '  mode http',
    '  log global',
    '  timeout connect 5s',
    '  timeout client 30s',
    '  timeout server 30s',
    ...frontends,
    'backend node',
    `  server node 127.0.0.1:${ctx.backendPort}`,
    '',
  ].join('\n');
  const file = path.join(dir, 'haproxy.cfg');
  writeFileSync(file, conf);
  return { command: ctx.binary, args: ['-f', file, '-db'], cwd: dir, logs: [] };
}

function lighttpd(ctx: BuildContext): Launch {
  const { dir } = ctx;
  const www = path.join(dir, 'www');
  mkdirSync(www);
  const sockets = ctx.cases.map((c) => {
    const lines = ['ssl.engine = "enable"', `ssl.pemfile = ${q(c.cert)}`, `ssl.privkey = ${q(c.key)}`];
    // GnuTLS: lighttpd turns Min/MaxProtocol into a priority string; for TLS 1.0/1.1 the whole
    // priority string is given (lighttpd's default cipher list has no CBC-SHA1 suites).
    if (c.protocols === 'legacy') lines.push('ssl.openssl.ssl-conf-cmd = ("gnutls-override" => "NORMAL:-VERS-ALL:+VERS-TLS1.1:+VERS-TLS1.0:+SHA1:+AES-128-CBC:+AES-256-CBC")');
    else if (c.protocols === 'tls12') lines.push('ssl.openssl.ssl-conf-cmd = ("MinProtocol" => "TLSv1.2", "MaxProtocol" => "TLSv1.2")');
    else lines.push('ssl.openssl.ssl-conf-cmd = ("MinProtocol" => "TLSv1.2", "MaxProtocol" => "TLSv1.3")');
    if (c.clientCa) {
      lines.push('ssl.verifyclient.activate = "enable"', 'ssl.verifyclient.enforce = "enable"', 'ssl.verifyclient.depth = 2', `ssl.ca-file = ${q(c.clientCa)}`);
    }
    lines.push(`setenv.set-request-header = ("X-Stack-Case" => ${q(c.name)})`);
    return `$SERVER["socket"] == "127.0.0.1:${c.port}" {\n${lines.map((l) => `  ${l}`).join('\n')}\n}`;
  });
  const conf = [
    'server.modules = ("mod_gnutls", "mod_setenv", "mod_proxy")',
    `server.document-root = ${q(www)}`,
    'server.bind = "127.0.0.1"',
    // The main socket (plain HTTP, unused): lighttpd always opens one.
    `server.port = ${ctx.spare[0]}`,
    `server.errorlog = ${q(path.join(dir, 'error.log'))}`,
    `server.upload-dirs = (${q(dir)})`,
    `proxy.server = ("" => (("host" => "127.0.0.1", "port" => ${ctx.backendPort})))`,
    ...sockets,
    '',
  ].join('\n');
  const file = path.join(dir, 'lighttpd.conf');
  writeFileSync(file, conf);
  return { command: ctx.binary, args: ['-D', '-f', file], cwd: dir, logs: [path.join(dir, 'error.log')] };
}

function java(mode: 'httpsserver' | 'sslsocket') {
  return (ctx: BuildContext): Launch => {
    const { dir } = ctx;
    const protocols = { legacy: 'TLSv1,TLSv1.1', tls12: 'TLSv1.2', modern: 'TLSv1.3,TLSv1.2' };
    const lines = [ctx.materials.token, ...ctx.cases.map((c) => [c.name, c.port, protocols[c.protocols], c.clientCa ? 'true' : 'false', c.cert, c.key, c.clientCa ?? '-'].join('\t'))];
    const file = path.join(dir, 'jsse.conf');
    writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
    return {
      command: ctx.binary,
      args: ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xss512k', '-Xmx96m', path.join(HERE, 'JsseServer.java'), mode, file, String(ctx.backendPort)],
      cwd: dir,
      logs: [],
      onStdoutLine: (line) => {
        if (line.startsWith('READY ')) ctx.onReady(line.slice('READY '.length).trim());
      },
    };
  };
}

const BUILDERS: Record<StackName, (ctx: BuildContext) => Launch> = {
  nginx,
  apache,
  caddy,
  haproxy,
  lighttpd,
  'java-httpsserver': java('httpsserver'),
  'java-sslsocket': java('sslsocket'),
};

// ---------------------------------------------------------------------------------------------

async function attempt(name: StackName, software: Software, materials: StackMaterials): Promise<RunningStack> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `keybridge-stack-${name}-`));
  const seen: SeenRequest[] = [];
  const isJava = name.startsWith('java-');
  let backend: Backend | undefined;
  let proc: ServerProcess | undefined;
  const cleanup = async () => {
    await proc?.stop();
    await backend?.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const versionLine = versionOf(name, software.binary);
    // The proxies' backend, or the recorder the Java servers report to.
    backend = isJava ? await startRecorder(name, seen) : await startBackend(name, materials.token, seen);
    const cases = STACK_CASES[name];
    const allPorts = await freePorts(cases.length + 1);
    const setups = caseSetups(cases, allPorts, materials, dir);
    let javaVersion: string | undefined;
    const launch = BUILDERS[name]({
      dir, binary: software.binary, cases: setups, backendPort: backend.port, spare: allPorts.slice(cases.length), materials,
      onReady: (v) => { javaVersion = v; },
    });
    proc = new ServerProcess(launch);
    await waitUntilListening(name, proc, setups.map((c) => c.port), () => !isJava || javaVersion !== undefined);
    let version = javaVersion ?? (await versionLine);
    if (name === 'apache') version = await apacheRunningVersion(path.join(dir, 'error.log'), version);
    const ports: Partial<Record<CaseName, number>> = {};
    for (const c of setups) ports[c.name] = c.port;
    let closing: Promise<void> | undefined;
    return { name, version, ports, seen, close: () => (closing ??= cleanup()) };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** Apache names its TLS library in the error log once it is up ("Apache/2.4.x (Debian) OpenSSL/3.0.x configured"). */
async function apacheRunningVersion(errorLog: string, fallback: string): Promise<string> {
  for (let i = 0; i < 20; i++) {
    try {
      const line = /AH00489: (.+?) configured/.exec(readFileSync(errorLog, 'utf8'))?.[1];
      if (line) return line.trim();
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return fallback;
}

/**
 * Starts one stack with every case it supports, each on its own free port on 127.0.0.1; retried
 * once with new ports if the first start fails. `{ skip }` (one line) if the software is missing.
 */
export async function startStack(name: StackName, materials: StackMaterials): Promise<RunningStack | { skip: string }> {
  const software = findSoftware(name);
  if ('skip' in software) return software;
  try {
    return await attempt(name, software, materials);
  } catch (first) {
    try {
      return await attempt(name, software, materials);
    } catch (second) {
      const message = second instanceof Error ? second.message : String(second);
      const firstLine = (first instanceof Error ? first.message : String(first)).split('\n')[0];
      throw new Error(`${message}\n(first attempt: ${firstLine})`, { cause: second });
    }
  }
}

// A local stand-in for a key manager (seed 000): HTTPS on 127.0.0.1 with a freshly generated
// self-signed certificate, one API token written to a token file (like "Download Token"), and
// GET /api/v3/ answering 200 JSON for that token and 401 JSON otherwise.
//   npm run demo:key-manager [-- --port 8443]
import { X509Certificate, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { issueCertificate } from './certificates';

export interface DemoKeyManager {
  url: string;
  port: number;
  /** For tests only: the CLI prints the file's path, never the token. */
  token: string;
  tokenFile: string;
  certificatePem: string;
  /** SHA-256 fingerprint of the certificate, as Keybridge shows it. */
  fingerprint: string;
  close(): Promise<void>;
}

export interface DemoOptions {
  port?: number;
  /** Directory for the token file; default a new temporary one (removed on close). */
  dir?: string;
  log?: (line: string) => void;
}

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A token like the key manager's: 30 random letters and digits. */
export function makeToken(length = 30): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => TOKEN_ALPHABET[b % TOKEN_ALPHABET.length]).join('');
}

export async function startDemoKeyManager(options: DemoOptions = {}): Promise<DemoKeyManager> {
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'keybridge-demo-'));
  const token = makeToken();
  const tokenFile = path.join(dir, 'api-token.txt');
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  const log = options.log ?? (() => {});

  const certificate = await issueCertificate({ commonName: 'Demo Key Manager' });
  const expected = Buffer.from(`Bearer ${token}`);
  const server = https.createServer({ cert: certificate.certPem, key: certificate.keyPem }, (req, res) => {
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json', server: 'demo-key-manager' });
      res.end(JSON.stringify(body));
      log(`${req.method} ${req.url} -> ${status}`);
    };
    const url = new URL(req.url ?? '/', 'https://demo');
    if (req.method !== 'GET' || (url.pathname !== '/api/v3/' && url.pathname !== '/api/v3')) {
      return send(404, { error: 'not_found', message: 'No such API resource' });
    }
    const given = Buffer.from(req.headers.authorization ?? '');
    const valid = given.length === expected.length && timingSafeEqual(given, expected);
    if (!valid) return send(401, { error: 'unauthorized', message: 'API token missing or not valid' });
    return send(200, { product: 'Demo Key Manager', apiVersion: 'v3', status: 'ok' });
  });
  server.keepAliveTimeout = 1000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `https://127.0.0.1:${port}`,
    port,
    token,
    tokenFile,
    certificatePem: certificate.certPem,
    fingerprint: new X509Certificate(certificate.certPem).fingerprint256,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          if (ownDir) rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}

async function main(): Promise<void> {
  const portArg = process.argv.indexOf('--port');
  const port = portArg === -1 ? 8443 : Number(process.argv[portArg + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('--port takes a number from 0 to 65535');
    process.exit(2);
  }
  let demo: DemoKeyManager;
  try {
    demo = await startDemoKeyManager({ port, log: (line) => console.log(`  ${line}`) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    console.error(code === 'EADDRINUSE' ? `Port ${port} is in use; try --port 0 for any free port.` : `Could not start: ${code ?? error}`);
    process.exit(1);
  }
  console.log(`Demo key manager listening on ${demo.url}`);
  console.log(`  API:        ${demo.url}/api/v3/`);
  console.log(`  Token file: ${demo.tokenFile}`);
  console.log(`  Certificate: self-signed, SHA-256 ${demo.fingerprint}`);
  console.log('In Keybridge: Server address = the address above, API token = the token file\'s text, Verify certificate = No.');
  console.log('Press Ctrl-C to stop.');
  const stop = (): void => {
    void demo.close().then(() => {
      console.log('Demo key manager stopped; token file removed.');
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();

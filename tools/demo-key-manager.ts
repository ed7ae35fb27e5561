// A local stand-in for a key manager: HTTPS on 127.0.0.1 with a freshly generated self-signed
// certificate, one API key written to the file the product hands out, and the product's API as its
// documentation describes it (tools/emulators.ts). By default PrivX Key Manager (seed 000):
// GET /api/v3/ answering 200 JSON for that token and 401 JSON otherwise.
//   npm run demo:key-manager [-- --port 8443] [--preset passportal|thales-sta|cipherinsights|manageengine-pmp|generic]
import { X509Certificate, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { spkiPin } from '../src/main/core/connection-test/certificate';
import { PRESET_IDS, PRESETS, type PresetId } from '../src/shared/presets';
import { issueCertificate } from './certificates';
import { emulatorFor } from './emulators';

export interface DemoKeyManager {
  /** The server's origin. */
  url: string;
  /** What the admin enters as the server address (Thales STA: with the tenant's path). */
  address: string;
  preset: PresetId;
  port: number;
  /** Passportal: the Access key ID (not secret). */
  accessKeyId: string;
  /** For tests only: the CLI prints the file's path, never the token. */
  token: string;
  tokenFile: string;
  certificatePem: string;
  /** SHA-256 fingerprint of the certificate, as Keybridge shows it. */
  fingerprint: string;
  /** The certificate's public-key pin, as Trust this certificate (and the CLI's --pin) takes it. */
  pin: string;
  close(): Promise<void>;
}

export interface DemoOptions {
  port?: number;
  /** The product to answer as; default PrivX Key Manager. */
  preset?: PresetId;
  /** Password Manager Pro: the API user is bound to this other host (so this one is refused). */
  boundHost?: string;
  /** CipherInsights: the key is locked. */
  locked?: boolean;
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
  const preset = options.preset ?? 'privx';
  const token = makeToken();
  const accessKeyId = `AKID${makeToken(16).toUpperCase()}`;
  // The file the product hands out (the importer reads each of these).
  const [fileName, fileText] =
    preset === 'passportal'
      ? ['passportal-access-key.txt', `Access key ID: ${accessKeyId}\nSecret access key: ${token}\n`]
      : preset === 'thales-sta'
        ? ['APIKey-portal-sync-2026-11-01.key', `${token}\n`]
        : [preset === 'manageengine-pmp' ? 'pmp-api-key.txt' : preset === 'cipherinsights' ? 'cipherinsights-api-key.txt' : 'api-token.txt', `${token}\n`];
  const tokenFile = path.join(dir, fileName);
  writeFileSync(tokenFile, fileText, { mode: 0o600 });
  const log = options.log ?? (() => {});

  const certificate = await issueCertificate({ commonName: 'Demo Key Manager' });
  const emulator = emulatorFor(preset);
  const secrets = { token, accessKeyId, tenant: 'ACME1234', boundHost: options.boundHost ?? '', locked: options.locked ?? false };
  const server = https.createServer({ cert: certificate.certPem, key: certificate.keyPem }, (req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      if (body.length < 64 * 1024) body += chunk.toString('utf8');
    });
    req.on('end', () => {
      res.once('finish', () => log(`${req.method} ${req.url?.split('?')[0]} -> ${res.statusCode}`));
      emulator.handle(req, body, res, secrets);
    });
  });
  server.keepAliveTimeout = 1000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const url = `https://127.0.0.1:${port}`;
  return {
    url,
    address: emulator.address(url),
    preset,
    port,
    accessKeyId,
    token,
    tokenFile,
    certificatePem: certificate.certPem,
    fingerprint: new X509Certificate(certificate.certPem).fingerprint256,
    pin: spkiPin(new X509Certificate(certificate.certPem).raw),
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

/**
 * The CLI command that tests this demo, as it is printed (tests/e2e/demo-commands.spec.ts runs it
 * for every product): the key file as the product hands it out, the certificate trusted by its pin
 * (what Trust this certificate does in the window), CipherInsights' header from the specification
 * the demo serves.
 */
export function demoCommand(demo: DemoKeyManager): string[] {
  return [
    'npx', 'keybridge', 'test', demo.address, '--preset', demo.preset, '--token-file', demo.tokenFile, '--pin', demo.pin,
    ...(demo.preset === 'cipherinsights' ? ['--openapi', `${demo.url}/openapi.json`] : []),
  ];
}

/** One argument as a shell takes it (POSIX shells, cmd and PowerShell alike for these values). */
const shellWord = (word: string): string => (/^[\w@%+=:,./-]+$/.test(word) ? word : `"${word.replace(/(["\\$`])/g, '\\$1')}"`);

async function main(): Promise<void> {
  const arg = (name: string): string | undefined => {
    const at = process.argv.indexOf(name);
    return at === -1 ? undefined : process.argv[at + 1];
  };
  const port = Number(arg('--port') ?? 8443);
  const preset = (arg('--preset') ?? 'privx') as PresetId;
  if (!PRESET_IDS.includes(preset)) {
    console.error(`--preset takes one of: ${PRESET_IDS.join(', ')}`);
    process.exit(2);
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('--port takes a number from 0 to 65535');
    process.exit(2);
  }
  let demo: DemoKeyManager;
  try {
    demo = await startDemoKeyManager({ port, preset, boundHost: arg('--bound-host'), locked: process.argv.includes('--locked'), log: (line) => console.log(`  ${line}`) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    console.error(code === 'EADDRINUSE' ? `Port ${port} is in use; try --port 0 for any free port.` : `Could not start: ${code ?? error}`);
    process.exit(1);
  }
  const product = PRESETS[preset];
  console.log(`Demo key manager (${product.product}) listening on ${demo.url}`);
  console.log(`  Server address: ${demo.address}`);
  console.log(`  Key file:       ${demo.tokenFile}`);
  console.log(`  Certificate:    self-signed, SHA-256 ${demo.fingerprint}`);
  console.log(`  Key pin:        ${demo.pin}`);
  console.log(
    `In Keybridge: Key manager product = ${product.product}, Server address = the address above, import the key file, then Save and test connection: ` +
      'the test shows the self-signed certificate; compare its SHA-256 with the one above and choose Trust this certificate.',
  );
  console.log(`Or: ${demoCommand(demo).map(shellWord).join(' ')}`);
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

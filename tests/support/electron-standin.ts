// A stand-in Electron release served from a loopback mirror, for proving offline what a user's
// machine does online: `npm start` downloading Electron (ELECTRON_MIRROR, checksums) and
// electron-builder packaging with fuses. Test support only; never shipped.
//
// The stand-in "executable" is a POSIX shell script that records how it was started (working
// folder, then one argument per line) in $KEYBRIDGE_STANDIN_RECORD and exits. After its `exit`
// line it carries Electron's fuse sentinel and a V1 fuse wire with Electron's default states, so
// @electron/fuses finds, flips and reads back the fuses exactly as in a real binary.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import yazl from 'yazl';

const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron's shipped states, in FuseV1Options order: RunAsNode on, cookie encryption off, NODE_OPTIONS on,
// inspect arguments on, asar integrity off, only-from-asar off, browser V8 snapshot off,
// file protocol extra privileges on, wasm trap handlers on ('1' = 0x31 enabled, '0' = 0x30 disabled).
const DEFAULT_FUSE_WIRE = '101100011';

export type StandinPlatform = 'linux' | 'darwin';

/** Where the executable sits inside the release zip (as Electron's own zips lay it out). */
export function executableInZip(platform: StandinPlatform): string {
  return platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron';
}

export function standinExecutable(marker = 'genuine'): Buffer {
  const script = [
    '#!/bin/sh',
    `# Keybridge test stand-in for the Electron executable (${marker}): records its start, then exits.`,
    '{ pwd; for arg in "$@"; do printf \'%s\\n\' "$arg"; done; } > "${KEYBRIDGE_STANDIN_RECORD:-/dev/null}"',
    'exit 0',
    '',
  ].join('\n');
  const wire = Buffer.concat([Buffer.from([1, DEFAULT_FUSE_WIRE.length]), Buffer.from(DEFAULT_FUSE_WIRE, 'latin1')]);
  return Buffer.concat([Buffer.from(script), Buffer.from(FUSE_SENTINEL), wire, Buffer.from('\n')]);
}

/** A release zip: the executable (mode 0755), `version`, and Electron's LICENSE beside it. */
export async function standinZip(version: string, platform: StandinPlatform, marker = 'genuine'): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const mtime = new Date('2026-01-01T00:00:00Z');
  zip.addBuffer(standinExecutable(marker), executableInZip(platform), { mode: 0o100755, mtime });
  zip.addBuffer(Buffer.from(version), 'version', { mtime });
  zip.addBuffer(Buffer.from('Stand-in for the Electron LICENSE (test fixture).\n'), 'LICENSE', { mtime });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

export function zipName(version: string, platform: string, arch: string): string {
  return `electron-v${version}-${platform}-${arch}.zip`;
}

export interface ElectronMirror {
  /** What ELECTRON_MIRROR is set to (ends with a slash, as @electron/get expects). */
  url: string;
  /** Every path requested, in order. */
  requests: string[];
  /** Serve these bytes for the zip from now on (SHASUMS256.txt keeps the published hash). */
  serve(zip: Buffer): void;
  close(): Promise<void>;
}

/**
 * Serves `/v<version>/<zip>` and `/v<version>/SHASUMS256.txt` on 127.0.0.1, the layout of
 * Electron's release mirrors. `published` is the genuine zip: its hash is what SHASUMS256.txt lists.
 */
export async function startElectronMirror(version: string, fileName: string, published: Buffer): Promise<ElectronMirror> {
  let served = published;
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    requests.push(url);
    if (url === `/v${version}/${fileName}`) {
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': served.length });
      res.end(served);
    } else if (url === `/v${version}/SHASUMS256.txt`) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`${sha256(published)} *${fileName}\n`);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    serve(zip) {
      served = zip;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

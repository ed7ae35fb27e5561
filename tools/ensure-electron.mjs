#!/usr/bin/env node
// `npm start` runs this first (prestart). Electron's package (45+) downloads its binary on first
// `require('electron')`, but electron-vite reads node_modules/electron/path.txt directly and never
// triggers that download, so a fresh clone stopped with "Electron uninstall". Here the electron
// package's own installer (its `install-electron` bin) fetches the binary once, with everything it
// does: the checksums shipped in the package, ELECTRON_MIRROR, electron_config_cache. Where the
// download cannot happen, one line says why and what to do instead of a stack trace.
// Not a postinstall on purpose: `npm ci` and the tests must keep working offline.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = path.dirname(require.resolve('electron/package.json'));
const { version } = require('electron/package.json');

/** The same test as the installer's own isInstalled(): right version, path.txt, executable present. */
function installed() {
  try {
    const distVersion = readFileSync(path.join(electronDir, 'dist', 'version'), 'utf8').replace(/^v/, '').trim();
    const executable = readFileSync(path.join(electronDir, 'path.txt'), 'utf8');
    const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH || path.join(electronDir, 'dist');
    return distVersion === version && existsSync(path.join(dist, executable));
  } catch {
    return false;
  }
}

/** Where the download comes from, as @electron/get decides it (npm config, then the environment). */
function source() {
  const mirror =
    process.env.npm_config_electron_mirror || process.env.NPM_CONFIG_ELECTRON_MIRROR || process.env.ELECTRON_MIRROR;
  if (!mirror) return { label: 'github.com (Electron releases)', mirror: false };
  try {
    return { label: `the mirror ${new URL(mirror).host}`, mirror: true };
  } catch {
    return { label: `the mirror "${mirror}"`, mirror: true };
  }
}

/** The installer prints an error stack; keep its first meaningful line, in words an admin can act on. */
function reason(stderr) {
  const first = stderr.split('\n').map((line) => line.trim()).find((line) => line && !line.startsWith('at ')) ?? '';
  if (/checksum/i.test(first)) return 'the file did not match the checksum Electron publishes for it, so it was refused';
  if (/fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH/i.test(first)) return 'no connection';
  const status = /\b(4\d\d|5\d\d)\b/.exec(first);
  if (status) return `the server answered HTTP ${status[1]}`;
  return first.replace(/^\w*Error:\s*/, '') || 'the installer failed';
}

if (installed()) process.exit(0);

const from = source();
console.log(`Downloading Electron ${version} from ${from.label}: once per install, about 100 MB…`);
const result = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], {
  stdio: ['ignore', 'inherit', 'pipe'],
  encoding: 'utf8',
});
if (result.status === 0 && installed()) process.exit(0);

const advice = from.mirror
  ? 'check ELECTRON_MIRROR (it must end with "/" and hold v' + version + '/ with the release zips and SHASUMS256.txt)'
  : 'connect to the internet, or set ELECTRON_MIRROR to a mirror of Electron releases';
console.error(
  `keybridge: cannot start: Electron ${version} could not be downloaded from ${from.label} (${reason(result.stderr ?? '')}). ` +
    `npm start needs it once: ${advice}, then run npm start again. The tests, the CLI and the demo key manager work without it.`,
);
process.exit(1);

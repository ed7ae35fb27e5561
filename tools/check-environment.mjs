#!/usr/bin/env node
// `npm test` (pretest) and `npm start` (prestart) run this first, so that a machine that cannot run
// them hears why in one line instead of after a minute of lint and build: a Node older than the
// project's engines (dependency-cruiser, Vite and Electron's tooling need 22.12+), and, for the
// tests, no Chromium to drive the window tests with. Plain JavaScript that runs on old Node too.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** The lowest Node version package.json's engines allow, e.g. "22.12.0". */
export function requiredNode() {
  const engines = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).engines?.node ?? '';
  return /(\d+\.\d+\.\d+)/.exec(engines)?.[1] ?? '0.0.0';
}

const parts = (version) => version.replace(/^v/, '').split('.').map((n) => Number.parseInt(n, 10) || 0);

/** One line saying what to do when this Node is too old, or null. */
export function nodeProblem(version = process.versions.node, required = requiredNode()) {
  const [a, b, c] = parts(version);
  const [x, y, z] = parts(required);
  if (a > x || (a === x && (b > y || (b === y && c >= z)))) return null;
  return `Keybridge needs Node ${required} or newer; this is Node ${version}. Run \`source .ci/node-env.sh\` (puts Node 24 from the npm registry first on PATH), or \`nvm use\` (.nvmrc), then try again.`;
}

/**
 * The Chromium the window tests drive, in order: CHROMIUM_PATH, Debian's Chromium, Playwright's own
 * installed Chromium, an installed Google Chrome. `{ path }`, or `{ problem }` in one line.
 */
export function findBrowser({ env = process.env, platform = process.platform, exists = existsSync, playwrightChromium = playwrightsChromium() } = {}) {
  if (env.CHROMIUM_PATH) {
    return exists(env.CHROMIUM_PATH) ? { path: env.CHROMIUM_PATH } : { problem: `CHROMIUM_PATH is ${env.CHROMIUM_PATH}, which does not exist: point it at a Chromium or Chrome executable.` };
  }
  const candidates = [
    ...(platform === 'linux' ? ['/usr/bin/chromium', '/usr/bin/chromium-browser'] : []),
    ...(playwrightChromium ? [playwrightChromium] : []),
    ...(platform === 'linux' ? ['/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'] : []),
    ...(platform === 'darwin' ? ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium'] : []),
    ...(platform === 'win32'
      ? [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter(Boolean).map((base) => path.win32.join(base, 'Google', 'Chrome', 'Application', 'chrome.exe'))
      : []),
  ];
  const found = candidates.find((candidate) => exists(candidate));
  if (found) return { path: found };
  const how = platform === 'linux' ? '`apt-get install chromium` (Debian)' : platform === 'darwin' ? 'Google Chrome' : 'Google Chrome';
  return { problem: `No Chromium for the window tests: install ${how}, or \`npx playwright install chromium\`, or set CHROMIUM_PATH to a Chromium or Chrome executable.` };
}

/** Where Playwright keeps its own Chromium (whether or not it was installed), or null. */
function playwrightsChromium() {
  try {
    const require = createRequire(import.meta.url);
    return require('playwright-core').chromium.executablePath() || null;
  } catch {
    return null;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const problems = [nodeProblem()];
  if (process.argv.includes('--browser')) problems.push(findBrowser().problem ?? null);
  const first = problems.find(Boolean);
  if (first) {
    process.stderr.write(`${first}\n`);
    process.exit(1);
  }
}

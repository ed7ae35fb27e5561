// Checks of what `npm run build` produced, as it will be shipped.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';

const read = (file: string): string => readFileSync(path.resolve(file), 'utf8');

test('the preload is one CommonJS file that requires only electron', () => {
  const preload = read('out/preload/index.cjs');
  expect(preload).not.toMatch(/^\s*(import|export)\s/m);
  const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
  expect(required).toEqual(['electron']);
  expect(preload).toContain('exposeInMainWorld("keybridge"');
  // The one subscription listens on the progress channel only, and the preload sends nothing.
  const listened = [...preload.matchAll(/ipcRenderer\.(on|once|addListener|removeListener)\(([^,]+),/g)].map((m) => m[2]);
  expect(listened).toEqual(['PROGRESS_CHANNEL', 'PROGRESS_CHANNEL']);
  expect(preload).toMatch(/PROGRESS_CHANNEL = `\$\{CHANNEL_PREFIX\}event:testProgress`/);
  expect(preload).not.toMatch(/ipcRenderer\.(send|sendSync|sendTo|postMessage)\b/);
});

test('the window is created with isolation, sandbox and no Node, as literals', () => {
  const main = read('out/main/index.js');
  expect(main).toMatch(/contextIsolation: true/);
  expect(main).toMatch(/sandbox: true/);
  expect(main).toMatch(/nodeIntegration: false/);
  expect(main).toMatch(/setWindowOpenHandler\(\(\) => \(\{ action: "deny" \}\)\)/);
  // Permissions: every request and every check is denied but writing text to the clipboard.
  expect(main).toMatch(/setPermissionRequestHandler\(\(_contents, permission, callback\) => callback\(permission === "clipboard-sanitized-write"\)\)/);
  expect(main).toMatch(/setPermissionCheckHandler\(\(_contents, permission\) => permission === "clipboard-sanitized-write"\)/);
  // The page comes from app://keybridge/, not file://.
  expect(main).toMatch(/registerSchemesAsPrivileged\(\[\{\s*scheme: "app",\s*privileges: \{\s*standard: true,\s*secure: true\s*\}\s*\}\]\)/);
  expect(main).toMatch(/loadURL\(RENDERER_URL\)/);
  expect(main).not.toMatch(/loadFile\(/);
});

test('KEYBRIDGE_USER_DATA is honoured only in unpackaged runs', () => {
  const main = read('out/main/index.js');
  const uses = [...main.matchAll(/.*KEYBRIDGE_USER_DATA.*/g)].map((m) => m[0]);
  expect(uses).toHaveLength(1);
  expect(uses[0]).toMatch(/^if \(!app\.isPackaged && process\.env\.KEYBRIDGE_USER_DATA\)/);
});

test('the page carries a strict Content-Security-Policy', () => {
  const html = read('out/renderer/index.html');
  const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
});

test('no test harness or dev tool is shipped', () => {
  // Recursive: main has chunks of its own (yaml is loaded only for a YAML specification).
  const shipped = ['out/main', 'out/preload', 'out/renderer/assets'].flatMap((dir) =>
    readdirSync(path.resolve(dir), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => read(path.join(entry.parentPath, entry.name))),
  );
  expect(shipped.length).toBeGreaterThan(3);
  for (const text of shipped) {
    expect(text).not.toContain('__keybridgeInvoke');
    expect(text).not.toContain('TestCipher');
    expect(text).not.toContain('demo-key-manager');
  }
});

// What the window loads before it can draw (index.html's script, its preloaded chunk and the
// stylesheet) stays under 150 KB; what loads on demand (the form's schema with zod, once the window
// is drawn; the audit log, export and import; the curl paste reader) is counted in the total.
test('the renderer loads under 150 KB gzip to start, 200 KB with every chunk', () => {
  const dir = path.resolve('out/renderer');
  const gz = (file: string) => gzipSync(readFileSync(path.join(dir, file))).length;
  const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
  const loaded = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+)"/g)].map((m) => m[1]!);
  expect(loaded.length).toBeGreaterThanOrEqual(2);
  const start = loaded.reduce((sum, file) => sum + gz(file), 0);
  const all = readdirSync(path.join(dir, 'assets')).reduce((sum, file) => sum + gz(`assets/${file}`), 0);
  console.log(`renderer: ${(start / 1024).toFixed(1)} KB gzip to start, ${(all / 1024).toFixed(1)} KB with every chunk`);
  expect(start).toBeLessThan(150 * 1024);
  expect(all).toBeLessThanOrEqual(200 * 1024);
});

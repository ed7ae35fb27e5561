// A throwaway copy of this checkout in a clean state, as after `git clone` and `npm ci`, for tests
// that run the real `npm start` and `electron-builder` paths: the sources are copied, node_modules
// is hard-linked (instant, no disk), and the electron package is a real copy without its downloaded
// binary (no dist/, no path.txt), so whatever a test installs there never touches this checkout.
// It lives under test-results/ so the links stay on the same file system as node_modules.
import { copyFileSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
// What a fresh clone does not have, or what these tests do not need.
const NOT_COPIED = new Set(['.git', '.ci', 'node_modules', 'out', 'dist', 'test-results', 'playwright-report', 'docs', '.keybridge-demo']);
const NOT_IN_FRESH_ELECTRON = new Set(['dist', 'path.txt']);

type Place = (from: string, to: string) => void;

function copyTree(from: string, to: string, place: Place, skip: (name: string, depth: number) => boolean, depth = 0): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (skip(entry.name, depth)) continue;
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else if (entry.isDirectory()) copyTree(source, target, place, skip, depth + 1);
    else place(source, target);
  }
}

const hardLink: Place = (from, to) => {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to); // another file system, or links not allowed: a plain copy still works
  }
};

export interface FreshCheckout {
  dir: string;
  electronDir: string;
  remove(): void;
}

export function freshCheckout(label: string): FreshCheckout {
  const parent = path.join(ROOT, 'test-results', 'fresh-checkouts');
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(path.join(parent, `${label}-`));
  copyTree(ROOT, dir, copyFileSync, (name, depth) => depth === 0 && NOT_COPIED.has(name));
  // node_modules as `npm ci` leaves it, except the electron package (copied, so writes stay here).
  const modules = path.join(ROOT, 'node_modules');
  copyTree(modules, path.join(dir, 'node_modules'), hardLink, (name, depth) => depth === 0 && name === 'electron');
  const electronDir = path.join(dir, 'node_modules', 'electron');
  copyTree(path.join(modules, 'electron'), electronDir, copyFileSync, (name, depth) => depth === 0 && NOT_IN_FRESH_ELECTRON.has(name));
  if (!lstatSync(electronDir).isDirectory()) throw new Error('electron package missing from node_modules');
  return { dir, electronDir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

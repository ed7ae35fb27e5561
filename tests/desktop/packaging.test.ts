// `npm run dist -- --dir` on a fresh clone: electron-builder fetches Electron through ELECTRON_MIRROR
// (the loopback stand-in release, checked against the mirror's SHASUMS256.txt), packs app.asar and
// flips the fuses. Read back here: the fuse wire with @electron/fuses, the asar's files with
// @electron/asar. AppImage, deb, NSIS and dmg need tools from the internet: the CI workflow builds them.
import { readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listPackage } from '@electron/asar';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { standinZip, startElectronMirror, zipName, type ElectronMirror } from '../support/electron-standin';
import { freshCheckout, type FreshCheckout } from '../support/fresh-checkout';
import { runNpm, type NpmRun } from '../support/run-npm';

const SKIP =
  process.platform === 'linux' && process.arch === 'x64'
    ? ''
    : 'the stand-in Electron release is laid out for Linux x64; the CI workflow packages macOS and Windows for real';
if (SKIP) console.log(`packaging.test skipped: ${SKIP}`);

const ASAR_GOAL_BYTES = 3 * 1024 * 1024;

/** Names of the production dependencies and all they pull in (at any depth), from package-lock.json. */
function productionPackages(root: string): Set<string> {
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; devOptional?: boolean }>;
  };
  return new Set(
    Object.entries(lock.packages)
      .filter(([key, meta]) => key.startsWith('node_modules/') && !meta.dev && !meta.devOptional)
      .map(([key]) => key.split('node_modules/').at(-1)!),
  );
}

describe.skipIf(SKIP)('npm run dist (unpacked) with fuses and a lean app.asar', { timeout: 240_000 }, () => {
  let checkout: FreshCheckout;
  let mirror: ElectronMirror;
  let scratch: string;
  let run: NpmRun;
  let unpacked: string;
  let asar: string;
  let files: string[];

  beforeAll(async () => {
    checkout = freshCheckout('package');
    const { version } = JSON.parse(readFileSync(path.join(checkout.electronDir, 'package.json'), 'utf8')) as { version: string };
    const fileName = zipName(version, 'linux', 'x64');
    mirror = await startElectronMirror(version, fileName, await standinZip(version, 'linux'));
    scratch = path.join(os.tmpdir(), `keybridge-package-${process.pid}`);
    run = await runNpm(checkout.dir, ['run', 'dist', '--', '--dir', '--linux', '--x64'], {
      ELECTRON_MIRROR: mirror.url,
      ELECTRON_BUILDER_CACHE: path.join(scratch, 'builder-cache'),
      electron_config_cache: path.join(scratch, 'electron-cache'),
    });
    unpacked = path.join(checkout.dir, 'dist', 'linux-unpacked');
    asar = path.join(unpacked, 'resources', 'app.asar');
    files = run.code === 0 ? listPackage(asar, { isPack: false }).map((f) => f.replaceAll('\\', '/')) : [];
  });

  afterAll(async () => {
    await mirror?.close();
    checkout?.remove();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  test('electron-builder packs the app from the mirrored release, checksum verified', () => {
    expect(run.code, run.out).toBe(0);
    expect(mirror.requests.some((r) => r.endsWith('.zip'))).toBe(true);
    expect(mirror.requests.some((r) => r.endsWith('/SHASUMS256.txt'))).toBe(true);
    expect(statSync(path.join(unpacked, 'keybridge')).mode & 0o111).not.toBe(0);
  });

  test('the fuses are flipped in the packaged executable', async () => {
    const wire = await getCurrentFuseWire(path.join(unpacked, 'keybridge'));
    const state = (fuse: FuseV1Options): number | undefined => wire[fuse] as number | undefined;
    expect(state(FuseV1Options.RunAsNode)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.EnableNodeCliInspectArguments)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.EnableCookieEncryption)).toBe(FuseState.ENABLE);
    expect(state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(FuseState.ENABLE);
    expect(state(FuseV1Options.OnlyLoadAppFromAsar)).toBe(FuseState.ENABLE);
    expect(state(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe(FuseState.DISABLE);
  });

  test('app.asar holds the built app and main runtime dependencies, nothing else', () => {
    const top = new Set(files.map((f) => f.split('/')[1]));
    expect([...top].sort()).toEqual(['node_modules', 'out', 'package.json']);
    const outDirs = new Set(files.filter((f) => f.startsWith('/out/')).map((f) => f.split('/')[2]));
    expect([...outDirs].sort()).toEqual(['main', 'preload', 'renderer']);
    for (const entry of ['/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html']) expect(files).toContain(entry);
    expect(files.filter((f) => /\.map$|\.tsx?$|\/(src|tests?|tools)\//.test(f))).toEqual([]);

    const shipped = new Set(
      files.filter((f) => /\/node_modules\/(@[^/]+\/)?[^/@]+$/.test(f)).map((f) => f.split('/node_modules/').at(-1)!),
    );
    const allowed = productionPackages(checkout.dir);
    expect([...shipped].filter((name) => !allowed.has(name))).toEqual([]);
    for (const needed of ['got', 'conf', 'electron-store', 'proxy-from-env']) expect(shipped).toContain(needed);
    for (const bundled of ['react', 'react-dom', 'zustand', 'zod', 'electron', 'vite']) expect(shipped).not.toContain(bundled);
  });

  test('app.asar stays under 3 MB', () => {
    const size = statSync(asar).size;
    console.log(`app.asar: ${(size / 1024 / 1024).toFixed(2)} MB, ${files.length} entries`);
    expect(size).toBeLessThan(ASAR_GOAL_BYTES);
  });
});

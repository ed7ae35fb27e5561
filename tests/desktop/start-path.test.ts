// `npm start` on a fresh clone: the Electron binary is downloaded once (through ELECTRON_MIRROR,
// checked against the checksums the electron package ships), the app is built, and the built app is
// launched; a second start downloads nothing; a tampered or unreachable download stops with one
// clear line. Proven offline against a stand-in release on a loopback mirror (tests/support).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { executableInZip, sha256, standinZip, startElectronMirror, zipName, type ElectronMirror, type StandinPlatform } from '../support/electron-standin';
import { freshCheckout, type FreshCheckout } from '../support/fresh-checkout';
import { runNpm as npm } from '../support/run-npm';

const platform = process.platform as StandinPlatform;
const SKIP = process.platform === 'win32' ? 'the stand-in Electron executable is a POSIX shell script; Windows runs the real download in the CI workflow' : '';
if (SKIP) console.log(`start-path.test skipped: ${SKIP}`);

describe.skipIf(SKIP)('npm start on a fresh clone', { timeout: 120_000 }, () => {
  let checkout: FreshCheckout;
  let mirror: ElectronMirror;
  let genuine: Buffer;
  let fileName: string;
  let scratch: string;
  let env: Record<string, string>;
  const record = (): string[] => readFileSync(env.KEYBRIDGE_STANDIN_RECORD!, 'utf8').trimEnd().split('\n');

  beforeAll(async () => {
    checkout = freshCheckout('start');
    const { version } = JSON.parse(readFileSync(path.join(checkout.electronDir, 'package.json'), 'utf8')) as { version: string };
    fileName = zipName(version, platform, process.arch);
    genuine = await standinZip(version, platform);
    // The published checksum of this stand-in release, where the electron package keeps Electron's.
    writeFileSync(path.join(checkout.electronDir, 'checksums.json'), JSON.stringify({ [fileName]: sha256(genuine) }));
    mirror = await startElectronMirror(version, fileName, genuine);
    scratch = mkdtempSync(path.join(os.tmpdir(), 'keybridge-start-'));
    env = {
      ELECTRON_MIRROR: mirror.url,
      electron_config_cache: path.join(scratch, 'electron-cache'),
      KEYBRIDGE_STANDIN_RECORD: path.join(scratch, 'launched.txt'),
    };
  });

  afterAll(async () => {
    await mirror?.close();
    checkout?.remove();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  test('a tampered download is refused with one clear line, and nothing is launched', async () => {
    mirror.serve(await standinZip('0.0.0', platform, 'tampered'));
    const run = await npm(checkout.dir, ['start'], env);
    expect(run.code).not.toBe(0);
    expect(mirror.requests.some((r) => r.endsWith(`/${fileName}`))).toBe(true);
    const line = run.out.split('\n').find((l) => l.startsWith('keybridge: cannot start'));
    expect(line).toMatch(/could not be downloaded from the mirror 127\.0\.0\.1:\d+ \(the file did not match the checksum/);
    expect(run.out).not.toMatch(/^\s+at /m); // no stack trace
    expect(existsSync(path.join(checkout.electronDir, 'path.txt'))).toBe(false);
    expect(existsSync(env.KEYBRIDGE_STANDIN_RECORD!)).toBe(false);
    mirror.serve(genuine);
  });

  test('the first start downloads Electron, builds the app and launches it', async () => {
    const before = mirror.requests.length;
    const run = await npm(checkout.dir, ['start'], env);
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain('Downloading Electron');
    expect(mirror.requests.slice(before).some((r) => r.endsWith(`/${fileName}`))).toBe(true);
    // The installer unpacked the release and wrote path.txt, which electron-vite reads.
    expect(readFileSync(path.join(checkout.electronDir, 'path.txt'), 'utf8')).toBe(executableInZip(platform));
    // The built app exists and the stand-in was started on it: from the project folder, entry '.'.
    expect(existsSync(path.join(checkout.dir, 'out/main/index.js'))).toBe(true);
    expect(existsSync(path.join(checkout.dir, 'out/preload/index.cjs'))).toBe(true);
    expect(existsSync(path.join(checkout.dir, 'out/renderer/index.html'))).toBe(true);
    const [cwd, entry] = record();
    expect(path.resolve(cwd!)).toBe(path.resolve(checkout.dir));
    expect(entry).toBe('.');
  });

  test('a second start downloads nothing and launches again', async () => {
    rmSync(env.KEYBRIDGE_STANDIN_RECORD!);
    const before = mirror.requests.length;
    const run = await npm(checkout.dir, ['start'], env);
    expect(run.code, run.out).toBe(0);
    expect(mirror.requests.length).toBe(before);
    expect(run.out).not.toContain('Downloading Electron');
    expect(record()[1]).toBe('.');
  });

  test('an unreachable download source stops with one line that says what to do', async () => {
    rmSync(path.join(checkout.electronDir, 'path.txt'));
    rmSync(env.electron_config_cache!, { recursive: true, force: true });
    const closed = await startElectronMirror('0.0.0', 'none.zip', genuine);
    await closed.close(); // a port that was just released: nothing listens there now
    const run = await npm(checkout.dir, ['start'], { ...env, ELECTRON_MIRROR: closed.url });
    expect(run.code).not.toBe(0);
    const lines = run.out.split('\n').filter((l) => l.startsWith('keybridge:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/\(no connection\)\. npm start needs it once: check ELECTRON_MIRROR/);
    expect(run.out).not.toMatch(/^\s+at /m);
  });
});

// npm run bench:window, run once with 50 connections so that it cannot rot unnoticed: it must seed,
// open the built window in Chromium and print each figure. No timing is asserted. It runs with the
// end-to-end tests, after `npm run build`, so it always measures the window just built.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';

const run = promisify(execFile);

test('npm run bench:window runs to the end and prints every figure', async () => {
  test.setTimeout(120_000);
  const { stdout } = await run(process.execPath, ['--import', 'tsx', path.resolve('tools/bench-window.ts'), '--count', '50'], { timeout: 90_000 });
  expect(stdout).toMatch(/Window with 50 connections \(Chromium [\d.]+, headless, 1180×800; \d+ CPUs, load [\d.]+\):/);
  expect(stdout).toMatch(/first list paint after load +\d+ ms from navigation start/);
  expect(stdout).toMatch(/search keystroke → painted list +median \d+\.\d ms, p95 \d+\.\d ms \(20 keystrokes\)/);
  expect(stdout).toMatch(/scroll the whole list \([\d.]+k px\) +\d+ frames: \d+ over 16\.7 ms, \d+ over 33\.4 ms/);
  expect(stdout).toMatch(/the same, at rest \(machine noise\) +120 frames: \d+ over 16\.7 ms/);
  expect(stdout).toMatch(/options in the DOM +\d+ at load, at most \d+ while scrolling \(of 50\)/);
});

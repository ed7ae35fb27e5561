// The benchmark behind the README's performance figures, run once with small counts so that it
// cannot rot unnoticed: it must start its server, test, and print each figure. No timing is asserted.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('npm run bench', () => {
  it('runs to the end and prints every figure', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', path.resolve('tools/bench.ts')], {
      env: { ...process.env, BENCH_ROUNDS: '3', BENCH_CONCURRENT: '5', BENCH_SPEC_KIB: '256', CLI_ROUNDS: '2' },
      timeout: 60_000,
    });
    expect(stdout).toMatch(/Full connection test, loopback TLS 1\.3, 3 rounds:/);
    expect(stdout).toMatch(/Keybridge {2}median \d+\.\d+ ms/);
    expect(stdout).toMatch(/curl {7}(median \d+\.\d+ ms|not installed)/);
    expect(stdout).toMatch(/5 connections tested concurrently: \d+ ms wall time, 5\/5 successful/);
    expect(stdout).toMatch(/OpenAPI YAML, 20,000 keys \(\d+ KiB\): \d+ ms, read/);
    expect(stdout).toMatch(/OpenAPI YAML, 0\.\d+ MiB of paths \(\d+ KiB\): \d+ ms, read/);
    expect(stdout).toMatch(/Process memory after the run: \d+ MiB RSS/);
    // Before `npm run build` (as in npm test, which builds after the unit tests) there is no CLI to time.
    const cli = /CLI whole process(: not built \(npm run build\), no figure| against the demo, 2 alternating runs, median wall)/.exec(stdout);
    expect(cli).not.toBeNull();
    if (!cli![0].includes('not built')) {
      expect(stdout).toMatch(/ {2}keybridge test +\d+ ms \(\d+\.\d\dx\) +\d+ MiB/);
      expect(stdout).toMatch(/ {2}node -e 0 +\d+ ms \(1\.00x\)/);
      expect(stdout).toMatch(/ {2}node https\.get +\d+ ms \(\d+\.\d\dx\)/);
    }
  }, 90_000);
});

// npm run bench: figures for the README's performance section, from one run on this machine.
//  1. the median time of a full connection test against a loopback TLS server (the demo key
//     manager), beside curl's time_total for the same request (goal: within 1.2x of curl);
//  2. the wall time of 200 connections tested concurrently (goal: under 2 s on loopback);
//  3. the CLI as a whole process (`node bin/keybridge.js test ...`, the built CLI) beside a bare
//     `node -e 0`, Node's own https.get of the request, and curl: median wall time of CLI_ROUNDS
//     alternating runs and peak memory (goal of #15: within 1.5x of bare Node, under 60 MiB);
//  4. the time to read a YAML OpenAPI specification of 20,000 keys and one of 5 MiB (linear, not
//     quadratic: before, 20,000 keys took about 6 s and 5 MiB about an hour).
// Bounded: fixed counts, loopback only, and it exits when done. BENCH_ROUNDS / BENCH_CONCURRENT set
// smaller counts: `npm test` runs it once that way (tests/unit/bench-smoke.test.ts) so it cannot rot.
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runConnectionTest } from '../src/main/core/connection-test/run-test';
import { readOpenApi } from '../src/main/core/openapi/read-spec';

/** The demo key manager in its own process, so server work does not compete with the client's. */
async function startServer(): Promise<{ url: string; token: string; tokenFile: string; pin: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'demo-key-manager.ts'), '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the demo key manager did not start within 20 s')), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (\S+)/.exec(output)?.[1];
      const tokenFile = /(?:Token|Key) file:\s+(\S+)/.exec(output)?.[1];
      const pin = /Key pin:\s+(\S+)/.exec(output)?.[1];
      if (url && tokenFile && pin) {
        clearTimeout(timer);
        resolve({ url, token: readFileSync(tokenFile, 'utf8').trim(), tokenFile, pin, stop: () => child.kill('SIGINT') });
      }
    });
    child.once('exit', () => reject(new Error('the demo key manager exited')));
  });
}

// Asynchronous: the demo server runs in this same process and must keep answering.
const run = promisify(execFile);
const count = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  return Number.isInteger(value) && value > 0 && value <= 10_000 ? value : fallback;
};
const ROUNDS = count('BENCH_ROUNDS', 100);
const CONCURRENT = count('BENCH_CONCURRENT', 200);
const SPEC_KIB = count('BENCH_SPEC_KIB', 5 * 1024);
const CLI_ROUNDS = count('CLI_ROUNDS', 20);

/**
 * The built CLI as a whole process against the demo, beside what bounds it from below: a bare Node
 * start, Node's own https.get of the same request (no checks, no report: the floor of any Node CLI
 * that makes this request) and curl. Alternating runs, medians; peak memory from one more run each.
 */
async function cliFigures(demo: { url: string; tokenFile: string; pin: string }): Promise<void> {
  const root = path.join(import.meta.dirname, '..');
  if (!existsSync(path.join(root, 'out', 'cli', 'index.cjs'))) {
    console.log('CLI whole process: not built (npm run build), no figure');
    return;
  }
  // The token is read from its file inside the child: never on a command line.
  const nodeGet = `const f=require('node:fs');require('node:https').get(process.env.KB_URL,{rejectUnauthorized:false,headers:{authorization:'Bearer '+f.readFileSync(process.env.KB_TOKEN_FILE,'utf8').trim()}},(r)=>r.resume())`;
  const commands: { name: string; file: string; args: string[] }[] = [
    { name: 'keybridge test', file: process.execPath, args: [path.join(root, 'bin', 'keybridge.js'), 'test', demo.url, '--token-file', demo.tokenFile, '--pin', demo.pin, '--no-proxy'] },
    { name: 'node -e 0', file: process.execPath, args: ['-e', '0'] },
    { name: 'node https.get', file: process.execPath, args: ['-e', nodeGet] },
  ];
  const env = { ...process.env, KB_URL: new URL('/api/v3/', demo.url).href, KB_TOKEN_FILE: demo.tokenFile };
  const wall = async (file: string, args: string[]): Promise<number> => {
    const t0 = performance.now();
    await run(file, args, { timeout: 20_000, env });
    return performance.now() - t0;
  };
  if (await wall('curl', ['--version']).then(() => true, () => false)) {
    commands.push({ name: 'curl', file: 'curl', args: ['-sk', '-o', '/dev/null', '-H', `@${demo.tokenFile}.header`, new URL('/api/v3/', demo.url).href] });
    writeFileSync(`${demo.tokenFile}.header`, `Authorization: Bearer ${readFileSync(demo.tokenFile, 'utf8').trim()}\n`, { mode: 0o600 });
  }
  const times = commands.map(() => [] as number[]);
  for (const c of commands) await wall(c.file, c.args); // warm-up (and the compile cache's first fill)
  for (let i = 0; i < CLI_ROUNDS; i++) for (const [k, c] of commands.entries()) times[k]!.push(await wall(c.file, c.args));
  const peak = await Promise.all(commands.map((c) => (c.file === process.execPath ? peakMiB(c.args) : Promise.resolve(null))));
  const bare = median(times[1]!);
  console.log(`CLI whole process against the demo, ${CLI_ROUNDS} alternating runs, median wall (ratio to bare node), peak memory:`);
  for (const [k, c] of commands.entries()) {
    const m = median(times[k]!);
    console.log(`  ${c.name.padEnd(15)} ${m.toFixed(0).padStart(4)} ms (${(m / bare).toFixed(2)}x)${peak[k] ? `  ${peak[k]!.toFixed(0)} MiB` : ''}`);
  }
  console.log('  (goal of #15: keybridge test within 1.5x of node -e 0 and under 60 MiB; node https.get is the floor any Node CLI making this request starts from)');

  /** A Node command's peak resident memory, reported by the process itself as it exits. */
  async function peakMiB(args: string[]): Promise<number | null> {
    const probe = path.join(mkdtempSync(path.join(os.tmpdir(), 'kb-rss-')), 'rss.cjs');
    writeFileSync(probe, `process.on('exit',()=>require('node:fs').writeFileSync(${JSON.stringify(`${probe}.out`)},String(process.resourceUsage().maxRSS)))`);
    try {
      await run(process.execPath, ['--require', probe, ...args], { timeout: 20_000, env });
      return Number(readFileSync(`${probe}.out`, 'utf8')) / 1024;
    } catch {
      return null;
    } finally {
      rmSync(path.dirname(probe), { recursive: true, force: true });
    }
  }
}

/** A YAML specification of `keys` paths, and one of about `kib` KiB of realistic paths. */
async function specFigures(): Promise<void> {
  const head = 'openapi: 3.0.3\ninfo:\n  title: Bench\n  version: "1"\npaths:\n';
  const keys = `${head}${Array.from({ length: 20_000 }, (_, i) => `  /k${i}:\n    get: {}\n`).join('')}`;
  const paths: string[] = [head];
  for (let i = 0, size = head.length; size < SPEC_KIB * 1024 - 200; i++) {
    const entry = `  /resources/r${i}:\n    get:\n      description: Returns the resource and the links to the resources related to it.\n`;
    paths.push(entry);
    size += entry.length;
  }
  for (const [label, text] of [['20,000 keys', keys], [`${(paths.join('').length / 1024 / 1024).toFixed(2)} MiB of paths`, paths.join('')]] as const) {
    const t0 = performance.now();
    const read = await readOpenApi(text);
    console.log(`OpenAPI YAML, ${label} (${(text.length / 1024).toFixed(0)} KiB): ${(performance.now() - t0).toFixed(0)} ms, ${read.ok ? 'read' : `refused (${read.message.slice(0, 60)}…)`}`);
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

async function main(): Promise<void> {
  const demo = await startServer();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keybridge-bench-'));
  const headerFile = path.join(dir, 'header.txt');
  writeFileSync(headerFile, `Authorization: Bearer ${demo.token}\n`, { mode: 0o600 });
  const url = `${demo.url}/api/v3/`;
  const test = () =>
    runConnectionTest({ serverAddress: demo.url, auth: { method: 'bearer', token: demo.token }, trust: { verifyCertificate: false }, proxy: null });

  try {
    // Warm up both sides (JIT, first certificate parse), then measure alternately.
    await test();
    const ours: number[] = [];
    const curls: number[] = [];
    let curlAvailable = true;
    for (let i = 0; i < ROUNDS; i++) {
      const t0 = performance.now();
      const report = await test();
      ours.push(performance.now() - t0);
      if (!report.ok) throw new Error(`test failed: ${report.verdict}`);
      if (curlAvailable) {
        try {
          const { stdout } = await run('curl', ['-sk', '--no-keepalive', '-o', '/dev/null', '-w', '%{time_total}', '-H', `@${headerFile}`, url]);
          curls.push(Number(stdout) * 1000);
        } catch {
          curlAvailable = false;
        }
      }
    }
    const oursMedian = median(ours);
    console.log(`Full connection test, loopback TLS 1.3, ${ROUNDS} rounds:`);
    console.log(`  Keybridge  median ${oursMedian.toFixed(2)} ms (min ${Math.min(...ours).toFixed(2)}, max ${Math.max(...ours).toFixed(2)})`);
    if (curls.length > 0) {
      const curlMedian = median(curls);
      console.log(`  curl       median ${curlMedian.toFixed(2)} ms time_total (min ${Math.min(...curls).toFixed(2)}, max ${Math.max(...curls).toFixed(2)})`);
      console.log(`  ratio      ${(oursMedian / curlMedian).toFixed(2)}x curl (goal: within 1.2x)`);
    } else {
      console.log('  curl       not installed: no comparison (apt-get install curl)');
    }

    const t0 = performance.now();
    const reports = await Promise.all(Array.from({ length: CONCURRENT }, () => test()));
    const wall = performance.now() - t0;
    const ok = reports.filter((r) => r.ok).length;
    console.log(`${CONCURRENT} connections tested concurrently: ${wall.toFixed(0)} ms wall time, ${ok}/${CONCURRENT} successful (goal: under 2000 ms)`);
    const rss = process.memoryUsage().rss / 1024 / 1024;
    console.log(`Process memory after the run: ${rss.toFixed(0)} MiB RSS`);
    await cliFigures(demo);
    await specFigures();
  } finally {
    demo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

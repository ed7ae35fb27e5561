// A hostile OpenAPI specification (from a file, the download button or --openapi) must not freeze
// main: YAML is read in time that grows in step with its size, and what passes the limits (too many
// tokens, too deep, aliases that would expand too far) is refused with a message that says so.
//
// The 5 MiB cases run readOpenApi in a child process: a parse that blocks the thread would also
// block vitest's timer, so the test would hang instead of failing. The per-test timeout (15 s,
// generous: the reads take a few seconds) is the failure signal, and the child is killed after it.
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readOpenApi, type ReadSpec } from '../../src/main/core/openapi/read-spec';
import { CIPHERINSIGHTS_OPENAPI } from '../../tools/emulators';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const READ_SPEC = pathToFileURL(path.join(ROOT, 'src/main/core/openapi/read-spec.ts')).href;
const MiB = 1024 * 1024;
const TIMEOUT = 15_000;

let dir: string;
let runner: string;
const children = new Set<ChildProcess>();
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'keybridge-openapi-hostile-'));
  runner = path.join(dir, 'read.mjs');
  writeFileSync(
    runner,
    `import { readFileSync } from 'node:fs';\nimport { readOpenApi } from ${JSON.stringify(READ_SPEC)};\nvoid readOpenApi(readFileSync(process.argv[2], 'utf8')).then((read) => process.stdout.write(JSON.stringify(read)));\n`,
  );
});
afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** readOpenApi on this text, in a child process (TypeScript through tsx). */
function readInChild(name: string, text: string): Promise<ReadSpec> {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['--import', 'tsx', runner, file], { cwd: ROOT, maxBuffer: MiB }, (error, stdout, stderr) => {
      children.delete(child);
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as ReadSpec);
    });
    children.add(child);
  });
}

/** Units repeated after `head` up to `size` characters, then `tail`. */
function filled(size: number, head: string, unit: (i: number) => string, tail = ''): string {
  const parts = [head];
  let length = head.length + tail.length;
  for (let i = 0; ; i++) {
    const next = unit(i);
    if (length + next.length > size) break;
    parts.push(next);
    length += next.length;
  }
  parts.push(tail);
  return parts.join('');
}

describe('a large or hostile YAML specification is read in bounded time', () => {
  it(
    'reading the largest specification leaves main free: other work gets turns all along',
    async () => {
      const text = filled(5 * MiB, 'openapi: 3.0.3\npaths: {', (i) => `k${i}: 1,`, 'z: 1}\n');
      let turns = 0;
      let reading = true;
      const tick = (): void => {
        if (!reading) return;
        turns++;
        setImmediate(tick);
      };
      setImmediate(tick);
      const read = await readOpenApi(text);
      reading = false;
      expect(read.ok).toBe(false);
      // A reader that holds the thread lets nothing else run until it is done: 0 or 1 turns.
      expect(turns).toBeGreaterThan(20);
    },
    TIMEOUT,
  );

  it(
    'a 5 MiB specification with 55,000 paths is read (a duplicate-key scan made this take minutes)',
    async () => {
      const head = 'openapi: 3.0.3\ninfo:\n  title: Many paths\n  version: "1"\ncomponents:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: X-API-Key}\npaths:\n';
      const text = filled(5 * MiB, head, (i) => `  /resources/r${String(i).padStart(6, '0')}:\n    get:\n      description: Returns the resource and the links to the resources related to it.\n`);
      expect(text.length).toBeGreaterThan(4.9 * MiB);
      const read = await readInChild('many-paths.yaml', text);
      expect(read).toMatchObject({ ok: true, summary: { title: 'Many paths', auth: { method: 'header', headerName: 'X-API-Key' } } });
      expect(read.ok && read.summary.endpoints).toHaveLength(50);
      expect(read.ok && read.summary.endpoints[0]).toBe('/resources/r000000');
    },
    TIMEOUT,
  );

  it(
    'a 5 MiB specification of tiny entries (450,000 keys in one mapping) is refused with a clear message',
    async () => {
      const text = filled(5 * MiB, 'openapi: 3.0.3\npaths: {', (i) => `k${i}: 1,`, 'z: 1}\n');
      const read = await readInChild('tiny-entries.yaml', text);
      expect(read).toEqual({ ok: false, message: expect.stringMatching(/too large to read safely: it has more than 1,500,000 YAML tokens.*as JSON/) });
    },
    TIMEOUT,
  );

  it(
    'anchors and aliases by the thousand are resolved in linear time (each alias used to rescan the anchors)',
    async () => {
      const pairs = Array.from({ length: 20_000 }, (_, i) => `  a${i}: &a${i} {get: {summary: s}}\n  b${i}: *a${i}\n`).join('');
      const read = await readInChild('aliases.yaml', `openapi: 3.0.3\nx-common:\n${pairs}paths:\n  /one: *a19999\n`);
      expect(read).toMatchObject({ ok: true, summary: { endpoints: ['/one'] } });
    },
    TIMEOUT,
  );

  it('nesting too deep and aliases that would expand too far (billion laughs) are refused by name', async () => {
    const deep = `openapi: 3.0.3\nx: ${'['.repeat(200_000)}${']'.repeat(200_000)}\n`;
    expect(await readOpenApi(deep)).toEqual({ ok: false, message: expect.stringMatching(/nested more than 200 levels deep/) });
    expect(await readOpenApi(`openapi: 3.0.3\nx:\n${'- '.repeat(200_000)}1\n`)).toEqual({ ok: false, message: expect.stringMatching(/nested more than 200 levels deep/) });
    const letters = 'abcdefghij';
    const laughs = [...letters].map((c, i) => (i === 0 ? `${c}: &${c} [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]` : `${c}: &${c} [${Array(10).fill(`*${letters[i - 1]}`).join(', ')}]`));
    expect(await readOpenApi(`openapi: 3.0.3\n${laughs.join('\n')}\n`)).toEqual({ ok: false, message: expect.stringMatching(/aliases \(\*name\) would expand to more than 1,500,000 values/) });
  });

  it('JSON is read by JSON.parse, also 5 MiB of keys or of nesting', async () => {
    const keys = JSON.stringify({ openapi: '3.0.3', paths: Object.fromEntries(Array.from({ length: 300_000 }, (_, i) => [`/k${i}`, { get: {} }])) });
    expect(keys.length).toBeGreaterThan(4 * MiB);
    expect(await readOpenApi(keys)).toMatchObject({ ok: true, summary: { endpoints: expect.arrayContaining(['/k0']) } });
    const nested = `{"openapi":"3.0.3","x":${'['.repeat(2 * MiB)}${']'.repeat(2 * MiB)}}`;
    expect(await readOpenApi(nested)).toMatchObject({ ok: true });
  });
});

describe('YAML reads as before', () => {
  it('anchors, aliases and YAML 1.1 merge keys; a later key overrides a merged one', async () => {
    const text = [
      '%YAML 1.1',
      '---',
      'openapi: 3.0.3',
      'x-get: &get {summary: List, parameters: [{name: q, in: query}]}',
      'paths:',
      '  /a: {get: *get}',
      '  /b: {get: {<<: *get, parameters: [{name: id, in: query, required: true}]}}',
      '  /c: {<<: {get: *get}}',
    ].join('\n');
    expect(await readOpenApi(text)).toMatchObject({ ok: true, summary: { endpoints: ['/a', '/c'] } });
  });

  it('refuses what yaml refused: duplicate keys, an alias before its anchor, several documents, a syntax error', async () => {
    const notASpec = { ok: false, message: expect.stringMatching(/not an OpenAPI specification/) };
    expect(await readOpenApi('openapi: 3.0.3\npaths: {}\npaths: {}\n')).toEqual(notASpec);
    expect(await readOpenApi('openapi: 3.0.3\npaths: *later\nx: &later {}\n')).toEqual(notASpec);
    expect(await readOpenApi('openapi: 3.0.3\n---\nopenapi: 3.0.3\n')).toEqual(notASpec);
    expect(await readOpenApi('openapi: "3.0.3\npaths: {}\n')).toEqual(notASpec);
    // Scalars that are not the same value are not duplicates (as in yaml): the later one wins.
    expect(await readOpenApi('openapi: 3.0.3\ninfo: {1: a, "1": b, title: T}\n')).toMatchObject({ ok: true, summary: { title: 'T' } });
  });

  it('a __proto__ key is an ordinary key: no prototype is set', async () => {
    const read = await readOpenApi('openapi: 3.0.3\n__proto__: {info: {title: Polluted}}\npaths: {__proto__: {get: {}}}\n');
    expect(read).toMatchObject({ ok: true, summary: { title: 'OpenAPI specification', endpoints: [] } });
    expect(({} as Record<string, unknown>).info).toBeUndefined();
  });

  it('the CipherInsights specification reads the same in YAML as in JSON', async () => {
    expect(await readOpenApi(stringify(CIPHERINSIGHTS_OPENAPI))).toEqual(await readOpenApi(JSON.stringify(CIPHERINSIGHTS_OPENAPI)));
  });
});

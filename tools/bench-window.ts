// npm run bench:window: how the window copes with many connections (issue #16), in Debian's
// Chromium, on the built renderer (`npm run build` first: this builds nothing) served by the loopback
// bridge over the real core with N saved connections (--count, default 500). Figures:
//  1. first list paint: from navigation start to the first painted frame with options in it;
//  2. search: from a keystroke in the search field to the next painted frame (median and p95);
//  3. scroll: the whole list scrolled by script, a step per frame; requestAnimationFrame deltas in
//     the page, counted over 16.7 ms (a dropped frame at 60 Hz) and over 33.4 ms (two), each with
//     1 ms for the deltas' own jitter (at rest they read 16.6 to 16.8 ms); beside the same count of
//     frames at rest, which shows what the machine's own load costs;
//  4. options in the DOM (virtualised: a screenful, not N).
// A benchmark, not a test: it prints and asserts nothing. Bounded (a deadline, loopback only) and it
// exits by itself. `npm test` runs it once with --count 50 (tests/unit/bench-window-smoke.test.ts).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startRendererBridge, type RendererBridge } from '../tests/support/renderer-bridge';
import { seedConnections } from '../tests/support/seed-connections';
import { findBrowser } from './check-environment.mjs';

const DEADLINE_MS = 180_000;
const KEYSTROKES = 'key manager dr'.length + 6; // 14 letters typed, then 6 Backspaces
const VIEWPORT = { width: 1180, height: 800 };
const SCROLL_STEP_PX = 120;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at < 0 ? fallback : Number(process.argv[at + 1]);
  return Number.isInteger(value) && value > 0 && value <= 10_000 ? value : fallback;
}

/** What PAGE_PROBE keeps on the page's window (typed loosely: this file is compiled for Node). */
interface Probe {
  firstListPaint: number | null;
  keystroke: { start: number; end: number | null } | null;
}

const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
};

// Runs in the page before its scripts (a string: this file is compiled for Node, without the DOM).
// "Painted" = a requestAnimationFrame callback, then a message: the message is handled after that
// frame's style, layout and paint.
const PAGE_PROBE = `
(() => {
  const channel = new MessageChannel();
  const waiting = [];
  channel.port1.onmessage = () => { const t = performance.now(); for (const f of waiting.splice(0)) f(t); };
  const afterPaint = (f) => requestAnimationFrame(() => { waiting.push(f); channel.port2.postMessage(0); });
  const bench = { firstListPaint: null, keystroke: null, afterPaint };
  window.__bench = bench;
  const seen = new MutationObserver(() => {
    if (!document.querySelector('[role=option]')) return;
    seen.disconnect();
    afterPaint((t) => { bench.firstListPaint = t; });
  });
  seen.observe(document, { childList: true, subtree: true });
  // A keystroke in the search field: from its keydown to the frame painted after its input event.
  document.addEventListener('keydown', (event) => {
    if (event.target instanceof HTMLInputElement && event.target.type === 'search') bench.keystroke = { start: performance.now(), end: null };
  }, true);
  document.addEventListener('input', (event) => {
    const k = bench.keystroke;
    if (k && event.target instanceof HTMLInputElement && event.target.type === 'search') afterPaint((t) => { k.end = t; });
  }, true);
})();
`;

// The frames at rest, for comparison: what this machine's load alone costs.
const IDLE = `
new Promise((resolve) => {
  const deltas = [];
  let last = 0;
  const step = (now) => {
    if (last) deltas.push(now - last);
    last = now;
    if (deltas.length >= 120) return resolve(deltas);
    requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
})
`;

// The scripted scroll, in the page: one step per frame to the end, every frame's delta kept.
const SCROLL = `
new Promise((resolve) => {
  const list = document.querySelector('[role=listbox]');
  const deltas = [];
  let most = 0, last = performance.now();
  list.scrollTop = 0;
  const step = (now) => {
    deltas.push(now - last);
    last = now;
    most = Math.max(most, list.querySelectorAll('[role=option]').length);
    if (list.scrollTop + list.clientHeight >= list.scrollHeight - 1) return resolve({ deltas, most, height: list.scrollHeight });
    list.scrollTop += ${SCROLL_STEP_PX};
    requestAnimationFrame(step);
  };
  requestAnimationFrame((now) => { last = now; requestAnimationFrame(step); });
})
`;

async function main(): Promise<void> {
  const count = option('--count', 500);
  const root = path.join(import.meta.dirname, '..');
  if (!existsSync(path.join(root, 'out', 'renderer', 'index.html'))) {
    console.log('Window with many connections: not built (npm run build), no figure');
    return;
  }
  const browserPath = findBrowser();
  if (!browserPath.path) {
    console.log(`Window with many connections: no browser, no figure (${browserPath.problem})`);
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keybridge-bench-window-'));
  let bridge: RendererBridge | undefined;
  let browser: Browser | undefined;
  const deadline = setTimeout(() => {
    console.error(`bench:window did not finish within ${DEADLINE_MS / 1000} s`);
    process.exit(1);
  }, DEADLINE_MS);
  try {
    bridge = await startRendererBridge(dir);
    const seeding = performance.now();
    await seedConnections(bridge.service, count);
    const seeded = performance.now() - seeding;
    const listing = performance.now();
    await bridge.service.listConnections();
    const listed = performance.now() - listing;
    browser = await chromium.launch({ executablePath: browserPath.path, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'] });
    const page = await browser.newPage({ viewport: VIEWPORT });
    await bridge.attach(page);
    await page.addInitScript({ content: PAGE_PROBE });

    // 1. Load: navigation start to the first painted frame with options.
    await page.goto(bridge.url);
    // Functions, not strings: the window's CSP refuses eval, which a string predicate needs.
    const firstPaint = (await (await page.waitForFunction(() => (globalThis as unknown as { __bench: Probe }).__bench.firstListPaint, undefined, { timeout: 30_000 })).jsonValue())!;
    const optionsAtLoad = await page.locator('[role=option]').count();
    // For comparison: the page's first paint of anything (the brand, before any connection is there).
    const contentful = (await page.evaluate(() =>
      (globalThis as unknown as { performance: { getEntriesByName(n: string): Array<{ startTime: number }> } }).performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
    )) as number | null;

    // What the page waits for in that: listConnections through the test bridge (CDP, JSON both
    // ways), which the app does not use (Electron's IPC instead).
    const viaBridge = (await page.evaluate(async () => {
      const page = globalThis as unknown as { keybridge: { listConnections(): Promise<unknown> }; performance: { now(): number } };
      const t0 = page.performance.now();
      await page.keybridge.listConnections();
      return page.performance.now() - t0;
    })) as number;

    // 2. Search: each keystroke to its painted frame.
    const search = page.getByRole('searchbox', { name: 'Search connections' });
    await search.focus();
    const keys = [...'key manager dr'].map((c) => (c === ' ' ? 'Space' : c));
    keys.push(...Array.from({ length: KEYSTROKES - keys.length }, () => 'Backspace'));
    const keystrokes: number[] = [];
    for (const key of keys) {
      await page.keyboard.press(key);
      const handle = await page.waitForFunction(
        () => {
          const k = (globalThis as unknown as { __bench: Probe }).__bench.keystroke;
          return k && k.end !== null ? k.end - k.start : null;
        },
        undefined,
        { timeout: 10_000 },
      );
      keystrokes.push((await handle.jsonValue())!);
    }
    await search.fill('');
    await page.getByRole('status').filter({ hasText: `${count} connections` }).waitFor({ timeout: 10_000 });

    // 3. Scroll the whole list, a step per frame; before it, as many frames at rest.
    const idle = (await page.evaluate(IDLE)) as number[];
    const scroll = (await page.evaluate(SCROLL)) as { deltas: number[]; most: number; height: number };
    const frames = scroll.deltas;
    const JITTER_MS = 1;
    const over = (ms: number, deltas = frames) => deltas.filter((d) => d > ms + JITTER_MS).length;

    const browserVersion = browser.version();
    const rows: Array<[string, string]> = [
      ['first list paint after load', `${firstPaint.toFixed(0)} ms from navigation start${contentful === null ? '' : ` (first paint of anything: ${contentful.toFixed(0)} ms)`}`],
      [`search keystroke → painted list`, `median ${quantile(keystrokes, 0.5).toFixed(1)} ms, p95 ${quantile(keystrokes, 0.95).toFixed(1)} ms (${keystrokes.length} keystrokes)`],
      [
        `scroll the whole list (${(scroll.height / 1000).toFixed(1)}k px)`,
        `${frames.length} frames: ${over(16.7)} over 16.7 ms, ${over(33.4)} over 33.4 ms; median ${quantile(frames, 0.5).toFixed(1)} ms, longest ${Math.max(...frames).toFixed(1)} ms`,
      ],
      ['the same, at rest (machine noise)', `${idle.length} frames: ${over(16.7, idle)} over 16.7 ms, ${over(33.4, idle)} over 33.4 ms; longest ${Math.max(...idle).toFixed(1)} ms`],
      ['options in the DOM', `${optionsAtLoad} at load, at most ${scroll.most} while scrolling (of ${count})`],
    ];
    const load = os.loadavg()[0]!.toFixed(1);
    console.log(`Window with ${count} connections (Chromium ${browserVersion}, headless, ${VIEWPORT.width}×${VIEWPORT.height}; ${os.cpus().length} CPUs, load ${load}):`);
    const width = Math.max(...rows.map(([name]) => name.length));
    for (const [name, value] of rows) console.log(`  ${name.padEnd(width)}  ${value}`);
    console.log(`  (first list paint includes listConnections over the test bridge: ${viaBridge.toFixed(0)} ms, of which the core ${listed.toFixed(0)} ms; not counted: seeding ${(seeded / 1000).toFixed(1)} s)`);
  } finally {
    clearTimeout(deadline);
    await browser?.close();
    await bridge?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench:window failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

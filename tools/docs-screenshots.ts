// The README's screenshots (issue #16): every screen at 900×620, 1280×800 and 1920×1080, in the
// light and the dark theme, written to docs/screenshots/<screen>-<width>x<height>-<theme>.png, and
// docs/screenshots/trust-first.png (the README's picture of a self-signed failure, 1280×800 light).
//   node --import tsx tools/docs-screenshots.ts        (`npm run build` first: this builds nothing)
// Like tools/bench-window.ts: the built renderer in Debian's Chromium, served by the loopback bridge
// over the real core in a temporary folder. The connections are saved and tested through the core
// against the demo key manager (real test results); about twenty others are seeded around them
// for a list that looks like an estate's. No secret reaches the window: the demo's token goes to
// the core only, and the window shows its masked hint. Bounded (a deadline, loopback only); it
// exits by itself.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startRendererBridge, type RendererBridge } from '../tests/support/renderer-bridge';
import { seedConnections } from '../tests/support/seed-connections';
import { findBrowser } from './check-environment.mjs';
import { makeToken, startDemoKeyManager, type DemoKeyManager } from './demo-key-manager';

const DEADLINE_MS = 240_000;
const SIZES = [
  [900, 620],
  [1280, 800],
  [1920, 1080],
] as const;
const THEMES = ['light', 'dark'] as const;
const SEEDED = 20;

const NAMES = {
  ok: 'PrivX – production',
  selfSigned: 'Key manager (evaluation)',
  wrongToken: 'PrivX – staging',
} as const;

type Screen = {
  /** The file name's first part. */
  name: string;
  /** Brings the window to the screen and waits until it is drawn. */
  open(page: Page): Promise<void>;
};

const listbox = (page: Page) => page.getByRole('listbox', { name: 'Saved connections' });
const result = (page: Page) => page.getByRole('region', { name: 'Test result' });

/** A saved connection opened from the list, its last test's verdict shown. */
const connectionScreen = (name: string, file: string, verdict: string): Screen => ({
  name: file,
  async open(page) {
    // The list is virtualised: scrolled from the top until the item is drawn.
    const item = listbox(page).getByRole('option', { name: new RegExp(`^${name.replace(/[()]/g, '\\$&')}`) });
    await listbox(page).evaluate((list) => void ((list as unknown as { scrollTop: number }).scrollTop = 0));
    await settle(page); // the options of the old scroll position are gone
    for (let step = 0; step < 50 && (await item.count()) === 0; step++) {
      await listbox(page).evaluate((list) => {
        const l = list as unknown as { scrollTop: number; clientHeight: number };
        l.scrollTop += Math.max(40, l.clientHeight / 2);
      });
      await settle(page);
    }
    // Clicked in the page: the virtualiser redraws options as the list scrolls, which Playwright's
    // click takes for an element that never settles.
    await item.evaluate((option) => {
      const o = option as unknown as { scrollIntoView(o: object): void; click(): void };
      o.scrollIntoView({ block: 'nearest' });
      o.click();
    });
    await page.getByRole('heading', { name, level: 1 }).waitFor({ timeout: 10_000 });
    await result(page).getByRole('heading', { name: verdict }).waitFor({ timeout: 10_000 });
  },
});

const SCREENS: Screen[] = [
  connectionScreen(NAMES.selfSigned, 'connection-self-signed', 'Self-signed certificate'),
  connectionScreen(NAMES.wrongToken, 'connection-token-rejected', 'API token rejected'),
  connectionScreen(NAMES.ok, 'connection-ok', 'Connection successful'),
  {
    name: 'new-connection',
    async open(page) {
      await page.getByRole('button', { name: '+ New connection' }).click();
      await page.getByRole('heading', { name: 'New connection', level: 1 }).waitFor({ timeout: 10_000 });
    },
  },
  {
    name: 'audit-log',
    async open(page) {
      await page.getByRole('button', { name: 'Audit log', exact: true }).click();
      await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor({ timeout: 10_000 });
      await page.locator('main table tbody tr').first().waitFor({ timeout: 10_000 });
    },
  },
  {
    name: 'export-import',
    async open(page) {
      await page.getByRole('button', { name: 'Export and import', exact: true }).click();
      await page.getByRole('heading', { name: 'Export and import', level: 1 }).waitFor({ timeout: 10_000 });
    },
  },
];

/** Two frames after now: what was just rendered is painted (a function: the CSP refuses eval). */
const settle = async (page: Page): Promise<void> => {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const frame = (globalThis as unknown as { requestAnimationFrame(f: () => void): void }).requestAnimationFrame;
        frame(() => frame(() => resolve()));
      }),
  );
  await page.evaluate(() => (globalThis as unknown as { document: { fonts: { ready: Promise<unknown> } } }).document.fonts.ready.then(() => undefined));
};

/** Nothing hovered or focused by the script's clicks: the picture is the window at rest. */
const atRest = async (page: Page): Promise<void> => {
  await page.mouse.move(0, 0);
  await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { blur?(): void } | null } }).document.activeElement?.blur?.());
  await settle(page);
};

/** The connections the pictures show: saved and tested through the core, against the demo. */
async function seed(bridge: RendererBridge, demo: DemoKeyManager): Promise<void> {
  const { service } = bridge;
  await seedConnections(service, SEEDED);
  const ok = await service.saveConnection({
    name: NAMES.ok,
    description: 'Portal sync of SSH keys; the key manager sits behind the load balancer.',
    serverAddress: demo.url,
    preset: 'privx',
    verifyCertificate: false,
    apiToken: demo.token,
    owner: 'Platform team',
    keyName: 'portal-sync',
  });
  const selfSigned = await service.saveConnection({
    name: NAMES.selfSigned,
    serverAddress: demo.url,
    preset: 'privx',
    verifyCertificate: true,
    apiToken: demo.token,
    owner: 'Security engineering',
  });
  const wrongToken = await service.saveConnection({
    name: NAMES.wrongToken,
    serverAddress: demo.url,
    preset: 'privx',
    verifyCertificate: false,
    apiToken: makeToken(), // not the demo's: the key manager rejects it
    owner: 'Platform team',
  });
  for (const { id } of [ok, selfSigned, wrongToken]) await service.testConnection({ id });
}

async function main(): Promise<void> {
  const root = path.join(import.meta.dirname, '..');
  const outDir = path.join(root, 'docs', 'screenshots');
  if (!existsSync(path.join(root, 'out', 'renderer', 'index.html'))) {
    console.error('docs-screenshots: the renderer is not built (npm run build)');
    process.exitCode = 1;
    return;
  }
  const browserPath = findBrowser();
  if (!browserPath.path) {
    console.error(`docs-screenshots: no browser (${browserPath.problem})`);
    process.exitCode = 1;
    return;
  }
  mkdirSync(outDir, { recursive: true });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keybridge-docs-screenshots-'));
  let bridge: RendererBridge | undefined;
  let demo: DemoKeyManager | undefined;
  let browser: Browser | undefined;
  const deadline = setTimeout(() => {
    console.error(`docs-screenshots did not finish within ${DEADLINE_MS / 1000} s`);
    process.exit(1);
  }, DEADLINE_MS);
  const written: string[] = [];
  const problems: string[] = [];
  try {
    // The same folder as the renderer bridge's data (the bridge serves out/renderer from the cwd).
    process.chdir(root);
    demo = await startDemoKeyManager({ dir });
    mkdirSync(path.join(dir, 'data'));
    bridge = await startRendererBridge(path.join(dir, 'data'));
    await seed(bridge, demo);
    browser = await chromium.launch({ executablePath: browserPath.path, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--font-render-hinting=none'] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
    await bridge.attach(page);
    await page.goto(bridge.url);
    await listbox(page).getByRole('option').first().waitFor({ timeout: 30_000 });

    const save = async (file: string): Promise<void> => {
      await atRest(page);
      const where = path.join(outDir, file);
      await page.screenshot({ path: where, animations: 'disabled', caret: 'hide' });
      written.push(path.relative(root, where));
    };

    for (const theme of THEMES) {
      await page.getByRole('combobox', { name: 'Theme' }).selectOption(theme);
      for (const [width, height] of SIZES) {
        await page.setViewportSize({ width, height });
        for (const screen of SCREENS) {
          await screen.open(page);
          await save(`${screen.name}-${width}x${height}-${theme}.png`);
        }
      }
    }

    // The README's hero: a self-signed failure, "What to do" with Trust this certificate in view.
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('light');
    await page.setViewportSize({ width: 1280, height: 800 });
    await SCREENS[0]!.open(page);
    const whatToDo = result(page).locator('.hint');
    await whatToDo.getByRole('button', { name: 'Trust this certificate' }).waitFor({ timeout: 10_000 });
    await whatToDo.scrollIntoViewIfNeeded();
    await save('trust-first.png');

    // The secret never reached the window.
    if (bridge.answers.some((answer) => answer.includes(demo!.token))) problems.push('the demo token reached the window');
    if ((await page.content()).includes(demo.token)) problems.push('the demo token is in the page');
  } finally {
    clearTimeout(deadline);
    await browser?.close();
    await bridge?.close();
    await demo?.close();
    rmSync(dir, { recursive: true, force: true });
  }
  for (const file of written) console.log(file);
  console.log(`${written.length} screenshots written`);
  if (problems.length > 0) {
    for (const problem of problems) console.error(`problem: ${problem}`);
    process.exitCode = 1;
  }
}

void main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(`docs-screenshots failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

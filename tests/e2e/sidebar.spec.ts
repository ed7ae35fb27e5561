// The sidebar with 500 connections (issue #16): a virtualised listbox that is one Tab stop with
// arrow keys, Page keys, Home, End and typeahead inside; search, filters and the footer always in
// view; a resizable sidebar that keeps its width; items that tell near-equal names apart and say
// when a connection does not check its server. Seeded once per worker into the real core behind
// the loopback bridge (nothing below changes what is saved, so the tests share it).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test as base, type Page } from '@playwright/test';
import { startDemoKeyManager } from '../../tools/demo-key-manager';
import { SCREENSHOTS } from '../support/app-fixture';
import { startRendererBridge, type RendererBridge } from '../support/renderer-bridge';
import { disabled, seedConnections, seededName, seedTestedConnections, tokenless, unverified } from '../support/seed-connections';

const SEEDED = 500;
const TOTAL = SEEDED + 2; // and the two tested against the demo key manager
const NAMES = { unchecked: 'Demo key manager (not verified)', pinned: 'Demo key manager (pinned)' };

const test = base.extend<{ app: Page }, { seeded: RendererBridge }>({
  seeded: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'keybridge-sidebar-'));
      const bridge = await startRendererBridge(dir);
      const demo = await startDemoKeyManager();
      try {
        await seedTestedConnections(bridge.service, demo);
      } finally {
        await demo.close();
      }
      await seedConnections(bridge.service, SEEDED);
      await use(bridge);
      await bridge.close();
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  app: async ({ page, seeded }, use) => {
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await seeded.attach(page);
    await page.goto(seeded.url);
    await expect(list(page).getByRole('option').first()).toBeVisible();
    await use(page);
    expect(problems).toEqual([]);
  },
});

const list = (page: Page) => page.getByRole('listbox', { name: 'Saved connections' });
const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Connections' });
/** The option aria-activedescendant points at. */
const activeOption = async (page: Page) => {
  const id = await list(page).getAttribute('aria-activedescendant');
  expect(id).toBeTruthy();
  return page.locator(`[id="${id}"]`);
};
const paneTitle = (page: Page) => page.getByRole('heading', { level: 1 });
/** The names in the list's order (by name, numbers in order): what the sidebar sorts them into. */
const sortedNames = (): string[] =>
  [...NAMES_ALL()].sort((a, b) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' }));
const NAMES_ALL = (): string[] => [NAMES.unchecked, NAMES.pinned, ...Array.from({ length: SEEDED }, (_, i) => seededName(i + 1))];

test('500 connections: only the options in view are in the DOM, and the count says how many', async ({ app }) => {
  await expect(sidebar(app).getByRole('status').filter({ hasText: `${TOTAL} connections` })).toBeVisible();
  const options = await list(app).getByRole('option').count();
  expect(options).toBeGreaterThan(3);
  expect(options).toBeLessThan(40);
  await expect(list(app).getByRole('option').first()).toHaveAttribute('aria-setsize', String(TOTAL));
  // Scrolled to the end, still a bounded number.
  await list(app).evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  await expect(list(app).getByRole('option', { name: new RegExp(escape(sortedNames().at(-1)!)) })).toBeVisible();
  expect(await list(app).getByRole('option').count()).toBeLessThan(40);
});

test('the selected connection is in view on load, and is the selected option', async ({ app }) => {
  const selected = list(app).locator('[role=option][aria-selected=true]');
  await expect(selected).toHaveCount(1);
  await expect(selected).toBeInViewport({ ratio: 1 });
  await expect(selected).toContainText((await paneTitle(app).textContent())!);
});

test('the list is one Tab stop: from the filters Tab lands on the list, the next Tab leaves it', async ({ app }) => {
  await app.getByRole('combobox', { name: 'Sort by' }).focus();
  await app.keyboard.press('Tab');
  await expect(list(app)).toBeFocused();
  await app.keyboard.press('Tab');
  await expect(app.getByRole('button', { name: 'Audit log' })).toBeFocused();
  await app.keyboard.press('Shift+Tab');
  await expect(list(app)).toBeFocused();
  await app.keyboard.press('Shift+Tab');
  await expect(app.getByRole('combobox', { name: 'Sort by' })).toBeFocused();
  // Only the list itself is focusable: no option is a Tab stop.
  expect(await list(app).locator('[tabindex], button, a, input').count()).toBe(0);
});

test('arrow keys, Page keys, Home and End move the active option; Enter and a click open it', async ({ app }) => {
  const names = sortedNames();
  await list(app).focus();
  await app.keyboard.press('Home');
  await expect(await activeOption(app)).toContainText(names[0]!);
  await app.keyboard.press('ArrowDown');
  await app.keyboard.press('ArrowDown');
  const third = await activeOption(app);
  await expect(third).toContainText(names[2]!);
  await expect(third).toHaveClass(/is-active/);
  await app.keyboard.press('ArrowUp');
  await expect(await activeOption(app)).toContainText(names[1]!);
  await app.keyboard.press('Enter');
  await expect(paneTitle(app)).toHaveText(names[1]!);
  await expect(list(app).getByRole('option', { name: new RegExp(escape(names[1]!)) })).toHaveAttribute('aria-selected', 'true');
  await expect(list(app)).toBeFocused(); // the work continues in the list
  await app.keyboard.press('PageDown');
  const paged = (await (await activeOption(app)).getAttribute('aria-posinset'))!;
  expect(Number(paged)).toBeGreaterThan(3);
  await expect(await activeOption(app)).toBeInViewport({ ratio: 1 });
  await app.keyboard.press('End');
  const last = await activeOption(app);
  await expect(last).toContainText(names.at(-1)!);
  await expect(last).toBeInViewport({ ratio: 1 });
  await app.keyboard.press('Space');
  await expect(paneTitle(app)).toHaveText(names.at(-1)!);
  await app.keyboard.press('Home');
  await expect(await activeOption(app)).toBeInViewport({ ratio: 1 });
  // A click selects and opens.
  await list(app).getByRole('option').nth(2).click();
  await expect(paneTitle(app)).toHaveText(names[2]!);
});

test('typeahead: a letter jumps to the next name starting with it; letters typed together refine it', async ({ app }) => {
  const names = sortedNames();
  await list(app).focus();
  await app.keyboard.press('Home');
  await app.keyboard.press('p');
  const first = names.findIndex((n) => n.startsWith('Password'));
  await expect(await activeOption(app)).toContainText(names[first]!);
  await expect(await activeOption(app)).toBeInViewport();
  await app.keyboard.press('p'); // the same letter again: the next one
  await expect(await activeOption(app)).toContainText(names[first + 1]!);
  await app.waitForTimeout(700);
  await app.keyboard.type('key manager p', { delay: 30 });
  await expect(await activeOption(app)).toContainText(names.find((n) => n.startsWith('Key Manager Production'))!);
  await app.waitForTimeout(700);
  await app.keyboard.press('t');
  await expect(await activeOption(app)).toContainText(names.find((n) => n.startsWith('Trusted Access'))!);
});

test('search filters the list and the count follows; no match says so and offers to clear', async ({ app }) => {
  const search = app.getByRole('searchbox', { name: 'Search connections' });
  await search.fill('helsinki');
  const expected = NAMES_ALL().filter((n) => n.includes('Helsinki')).length;
  await expect(sidebar(app).getByRole('status')).toHaveText(`${expected} of ${TOTAL}`);
  for (const option of await list(app).getByRole('option').all()) await expect(option).toContainText('Helsinki');
  await search.fill('20017'); // an address
  await expect(sidebar(app).getByRole('status')).toHaveText(`1 of ${TOTAL}`);
  await expect(list(app).getByRole('option')).toHaveText(new RegExp(escape(seededName(17))));
  await search.fill('no such key manager');
  await expect(list(app)).toHaveCount(0);
  await expect(sidebar(app)).toContainText('No connection matches “no such key manager”.');
  await expect(sidebar(app).getByRole('status')).toHaveText(`0 of ${TOTAL}`);
  await app.screenshot({ path: path.join(SCREENSHOTS, 'sidebar-500-no-match.png') });
  await app.getByRole('button', { name: 'Clear the search' }).click();
  await expect(search).toHaveValue('');
  await expect(sidebar(app).getByRole('status')).toHaveText(`${TOTAL} connections`);
  await app.getByRole('combobox', { name: 'Show' }).selectOption('disabled');
  await expect(sidebar(app).getByRole('status')).toHaveText(`${Array.from({ length: SEEDED }, (_, i) => i + 1).filter(disabled).length} of ${TOTAL}`);
});

test('each item: the full name on hover, the address below it, and what state it is in', async ({ app }) => {
  const search = app.getByRole('searchbox', { name: 'Search connections' });
  // Near-equal long names stay apart: two lines of name, then the address.
  await search.fill('Key Manager DR – Amsterdam');
  const first = list(app).getByRole('option').first();
  await expect(first).toHaveAttribute('title', /^Key Manager DR – Amsterdam \d{3}$/);
  const name = first.locator('.connection-name');
  expect(await name.evaluate((e) => e.scrollWidth <= e.clientWidth + 1 && e.scrollHeight <= e.clientHeight + 1)).toBe(true); // not cut
  await expect(first.locator('.connection-address')).toContainText('127.0.0.1:');
  // Verify certificate No, nothing pinned: marked, in a warning tone; with the key pinned, plainly connected.
  await search.fill('Demo key manager');
  const unchecked = list(app).getByRole('option', { name: /not verified\)/ });
  await expect(unchecked).toContainText('Connected · certificate not verified');
  await expect(unchecked.locator('.dot')).toHaveClass(/dot-warn/);
  const pinned = list(app).getByRole('option', { name: /pinned/ });
  await expect(pinned).toContainText('Connected');
  await expect(pinned).not.toContainText('not verified');
  await expect(pinned.locator('.dot')).toHaveClass(/dot-ok/);
  const i = [...Array(SEEDED).keys()].map((k) => k + 1).find((k) => unverified(k) && !tokenless(k) && !disabled(k))!;
  await search.fill(seededName(i));
  await expect(list(app).getByRole('option')).toContainText('Not tested yet · certificate not verified');
  // Without its token (an import without secrets): said in the list.
  await search.fill(seededName(25));
  expect(tokenless(25)).toBe(true);
  await expect(list(app).getByRole('option')).toContainText('No API token');
});

for (const [width, height] of [
  [900, 620],
  [1920, 1080],
] as const) {
  test(`with 500 connections the sidebar's actions stay in view at ${width}×${height}, only the list scrolls`, async ({ app }) => {
    await app.setViewportSize({ width, height });
    const inView = async () => {
      for (const control of [
        app.getByRole('button', { name: '+ New connection' }),
        app.getByRole('searchbox', { name: 'Search connections' }),
        app.getByRole('combobox', { name: 'Show' }),
        app.getByRole('combobox', { name: 'Sort by' }),
        app.getByRole('button', { name: 'Audit log' }),
        app.getByRole('button', { name: 'Export and import' }),
        app.getByRole('combobox', { name: 'Theme' }),
        sidebar(app).getByText(/^API tokens/),
      ])
        await expect(control).toBeInViewport({ ratio: 1 });
    };
    await inView();
    expect(await sidebar(app).evaluate((nav) => nav.scrollHeight <= nav.clientHeight)).toBe(true);
    // As loaded: the selected connection in view (with the list focused, its focus ring on it).
    for (const theme of ['light', 'dark'] as const) {
      await app.getByRole('combobox', { name: 'Theme' }).selectOption(theme);
      await list(app).focus();
      await app.keyboard.press('ArrowDown');
      await app.screenshot({ path: path.join(SCREENSHOTS, `sidebar-500-${width}x${height}-${theme}.png`) });
    }
    await app.getByRole('combobox', { name: 'Theme' }).selectOption('system');
    await list(app).focus();
    await app.keyboard.press('End');
    await inView();
  });
}

test('the sidebar resizes with the keyboard on its separator, within bounds, and keeps its width', async ({ app }) => {
  const width = () => sidebar(app).evaluate((nav) => nav.getBoundingClientRect().width);
  const before = await width();
  expect(before).toBeGreaterThan(270);
  expect(before).toBeLessThan(290);
  const separator = app.getByRole('separator', { name: 'Resize the connection list' });
  await separator.focus();
  await app.keyboard.press('ArrowRight');
  await expect.poll(width).toBeGreaterThan(before + 20);
  const wider = await width();
  await app.keyboard.press('End');
  await expect.poll(width).toBeLessThanOrEqual(481);
  await app.keyboard.press('Home');
  await expect.poll(width).toBeGreaterThanOrEqual(219);
  await expect.poll(width).toBeLessThan(225);
  await app.screenshot({ path: path.join(SCREENSHOTS, 'sidebar-500-narrowest.png') });
  for (let i = 0; i < 10 && (await width()) < wider - 1; i++) await app.keyboard.press('ArrowRight');
  const chosen = await width();
  await app.reload();
  await expect(list(app).getByRole('option').first()).toBeVisible();
  expect(Math.abs((await width()) - chosen)).toBeLessThanOrEqual(1);
  // A wider sidebar shows more of each name.
  await app.screenshot({ path: path.join(SCREENSHOTS, 'sidebar-500-resized.png') });
});

test('axe (WCAG 2.2 A/AA) is clean on the sidebar with 500 connections, in both themes', async ({ app }) => {
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
  await list(app).focus();
  await app.keyboard.press('ArrowDown');
  for (const scheme of ['light', 'dark'] as const) {
    await app.emulateMedia({ colorScheme: scheme });
    const axe = await new AxeBuilder({ page: app }).include('nav').withTags(tags).analyze();
    expect(axe.violations.map((v) => `${scheme}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
    const whole = await new AxeBuilder({ page: app }).withTags(tags).analyze();
    expect(whole.violations.map((v) => `${scheme} window: ${v.id}: ${v.help}`)).toEqual([]);
  }
  await app.getByRole('searchbox', { name: 'Search connections' }).fill('no such key manager');
  const empty = await new AxeBuilder({ page: app }).include('nav').withTags(tags).analyze();
  expect(empty.violations.map((v) => `empty: ${v.id}: ${v.help}`)).toEqual([]);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// The Playwright fixture shared by the window's end-to-end tests: a temporary folder, the demo key
// manager, the loopback bridge over the real core, and the page with the built window loaded. The
// page must end a test without uncaught errors or console errors (CSP violations show up there).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test as base, type Page } from '@playwright/test';
import { startDemoKeyManager, type DemoKeyManager } from '../../tools/demo-key-manager';
import { startRendererBridge, type RendererBridge } from './renderer-bridge';

export const SCREENSHOTS = path.resolve('test-results/screenshots');
mkdirSync(SCREENSHOTS, { recursive: true });

export const test = base.extend<{ dir: string; dataDir: string; demo: DemoKeyManager; bridge: RendererBridge; app: Page }>({
  // eslint-disable-next-line no-empty-pattern
  dir: async ({}, use) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'keybridge-e2e-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },
  dataDir: async ({ dir }, use) => {
    const dataDir = path.join(dir, 'data');
    mkdirSync(dataDir);
    await use(dataDir);
  },
  // eslint-disable-next-line no-empty-pattern
  demo: async ({}, use) => {
    const demo = await startDemoKeyManager();
    await use(demo);
    await demo.close();
  },
  bridge: async ({ dataDir }, use) => {
    const bridge = await startRendererBridge(dataDir);
    await use(bridge);
    await bridge.close();
  },
  app: async ({ page, bridge }, use) => {
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await bridge.attach(page);
    await page.goto(bridge.url);
    await expect(page.getByRole('heading', { name: 'New connection' })).toBeVisible();
    await use(page);
    expect(problems).toEqual([]);
  },
});

export { expect };

export const result = (page: Page) => page.getByRole('region', { name: 'Test result' });
export const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

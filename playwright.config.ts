import { defineConfig } from '@playwright/test';
// CHROMIUM_PATH, Debian's Chromium (apt-get install chromium), Playwright's own installed Chromium
// or an installed Chrome, in that order (tools/check-environment.mjs; `npm test` stops before the
// run with one line when there is none). Playwright's browser download is not needed.
import { findBrowser } from './tools/check-environment.mjs';

const chromium = findBrowser().path;

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/artifacts',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  reporter: [['list']],
  use: {
    viewport: { width: 1180, height: 800 },
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});

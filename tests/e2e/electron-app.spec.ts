// The real app in Electron: hardened window, exactly the contract on window.keybridge, and one
// successful Save and test connection against the demo key manager. Needs the Electron binary,
// which `npm install` fetches on first use where the internet is reachable.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { CALL_NAMES } from '../../src/shared/rpc';
import { startDemoKeyManager } from '../../tools/demo-key-manager';
import { electronBinary } from '../support/electron-binary';

const binary = electronBinary();
const SKIP_REASON =
  'Electron binary not present (it cannot be downloaded on this machine); the real-app suite runs where `npx electron --version` works.';

test('the real app: isolated window, the contract only, and a successful test', async () => {
  if (binary === null) console.log(`electron-app.spec skipped: ${SKIP_REASON}`);
  test.skip(binary === null, SKIP_REASON);
  const userData = mkdtempSync(path.join(os.tmpdir(), 'keybridge-electron-'));
  const demo = await startDemoKeyManager();
  const app = await electron.launch({
    executablePath: binary ?? undefined,
    args: ['.', ...(process.platform === 'linux' ? ['--no-sandbox', '--password-store=basic'] : [])],
    env: { ...process.env, KEYBRIDGE_USER_DATA: userData },
  });
  try {
    const window = await app.firstWindow();
    // Node is out of reach of the page, and the API object is the isolated, frozen copy contextBridge makes.
    expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
    expect(await window.evaluate(() => Object.isFrozen((window as unknown as { keybridge: object }).keybridge))).toBe(true);
    expect(await window.evaluate(() => Object.keys((window as unknown as { keybridge: object }).keybridge).sort())).toEqual([...CALL_NAMES].sort());
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');

    await window.getByLabel('Connection name').fill('Demo key manager');
    await window.getByLabel('Server address').fill(demo.url);
    await window.getByLabel('API token').fill(demo.token);
    await window.getByRole('radio', { name: 'No' }).click();
    await window.getByRole('button', { name: 'Save and test connection' }).click();
    await expect(window.getByRole('heading', { name: 'Connection successful' })).toBeVisible();
    expect(await window.content()).not.toContain(demo.token);
    await window.screenshot({ path: path.resolve('test-results/screenshots/electron-success.png') });
  } finally {
    await app.close();
    await demo.close();
    rmSync(userData, { recursive: true, force: true });
  }
});

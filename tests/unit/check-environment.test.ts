// The one line a machine that cannot run `npm test` or `npm start` gets before anything else runs.
import { describe, expect, it } from 'vitest';
import { findBrowser, nodeProblem } from '../../tools/check-environment.mjs';

describe('Node version', () => {
  it('says what to do on a Node older than the engines, and nothing on a new enough one', () => {
    expect(nodeProblem('20.20.2', '22.12.0')).toMatch(/^Keybridge needs Node 22\.12\.0 or newer; this is Node 20\.20\.2\. Run `source \.ci\/node-env\.sh`/);
    expect(nodeProblem('22.11.9', '22.12.0')).not.toBeNull();
    expect(nodeProblem('22.12.0', '22.12.0')).toBeNull();
    expect(nodeProblem('24.0.0', '22.12.0')).toBeNull();
    expect(nodeProblem(process.versions.node)).toBeNull(); // the tests run on a Node the project allows
  });
});

describe('the browser for the window tests', () => {
  const only = (...present: string[]) => (file: string) => present.includes(file);

  it('takes CHROMIUM_PATH first, and says so when it points nowhere', () => {
    expect(findBrowser({ env: { CHROMIUM_PATH: '/opt/c' }, platform: 'linux', exists: only('/opt/c', '/usr/bin/chromium'), playwrightChromium: null })).toEqual({ path: '/opt/c' });
    expect(findBrowser({ env: { CHROMIUM_PATH: '/opt/c' }, platform: 'linux', exists: only('/usr/bin/chromium'), playwrightChromium: null }).problem).toMatch(/CHROMIUM_PATH is \/opt\/c, which does not exist/);
  });

  it('then Debian\'s Chromium, then Playwright\'s own, then an installed Chrome', () => {
    const pw = '/home/u/.cache/ms-playwright/chromium-1/chrome-linux/chrome';
    expect(findBrowser({ env: {}, platform: 'linux', exists: only('/usr/bin/chromium', pw), playwrightChromium: pw })).toEqual({ path: '/usr/bin/chromium' });
    expect(findBrowser({ env: {}, platform: 'linux', exists: only(pw, '/usr/bin/google-chrome'), playwrightChromium: pw })).toEqual({ path: pw });
    expect(findBrowser({ env: {}, platform: 'linux', exists: only('/usr/bin/google-chrome'), playwrightChromium: pw })).toEqual({ path: '/usr/bin/google-chrome' });
    const mac = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    expect(findBrowser({ env: {}, platform: 'darwin', exists: only(mac), playwrightChromium: null })).toEqual({ path: mac });
    const win = 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe';
    expect(findBrowser({ env: { PROGRAMFILES: 'C:\\Program Files' }, platform: 'win32', exists: only(win), playwrightChromium: null })).toEqual({ path: win });
  });

  it('without any, one line saying how to get one', () => {
    expect(findBrowser({ env: {}, platform: 'linux', exists: only(), playwrightChromium: null }).problem).toMatch(/^No Chromium for the window tests: install `apt-get install chromium`/);
    expect(findBrowser({ env: {}, platform: 'darwin', exists: only(), playwrightChromium: null }).problem).toMatch(/npx playwright install chromium/);
  });
});

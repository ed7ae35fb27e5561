// The admin's workflow around a test: the action bar in reach at every window size, the verdict
// brought into view and focused when a test ends, trusting a self-signed certificate offered first,
// a copyable report for a support ticket (never a secret), a cancelled test shown as neutral, and an
// expiry date in the past questioned before it is saved.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, result, test } from '../support/app-fixture';
import { issueCertificate } from '../../tools/certificates';
import { fillConnection, openSection } from '../support/connection-form';
import { httpsPeer, json, silentPeer } from '../support/peers';

/** The clipboard's text, read in the page (typed loosely: this file is compiled for Node). */
const readClipboard = (app: Page): Promise<string> =>
  app.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());

/** The page's background colour (typed loosely: this file is compiled for Node). */
const pageBackground = (app: Page): Promise<string> =>
  app.locator('html').evaluate((html) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(html).backgroundColor);

const fill = fillConnection;

test('after a self-signed failure: the verdict is focused, and trusting the certificate comes first', async ({ app, demo }) => {
  await app.setViewportSize({ width: 1120, height: 780 });
  await app.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await fill(app, { name: 'Demo (verified)', address: demo.url, token: demo.token, verify: 'Yes' });
  await app.getByRole('button', { name: 'Save and test connection' }).click();
  const verdict = result(app).getByRole('heading', { name: 'Self-signed certificate' });
  await expect(verdict).toBeFocused();
  await expect(verdict).toBeInViewport();
  const whatToDo = result(app).locator('.hint');
  await expect(whatToDo).toContainText(demo.fingerprint);
  // Trust is offered before turning verification off, and both are in "What to do".
  const text = (await whatToDo.textContent()) ?? '';
  expect(text.indexOf('trust this certificate')).toBeLessThan(text.indexOf('Verify certificate to No'));
  await whatToDo.getByRole('button', { name: 'Copy fingerprint' }).click();
  await expect(whatToDo.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await readClipboard(app)).toBe(demo.fingerprint);
  await app.screenshot({ path: 'test-results/screenshots/trust-first.png' });
  await whatToDo.getByRole('button', { name: 'Trust this certificate' }).click();
  await expect(result(app).getByRole('heading', { name: 'Connection successful' })).toBeFocused();
});

test('the report copies as Markdown and as text, with the steps and the certificate, never the token', async ({ app, demo }) => {
  await app.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await fill(app, { name: 'Demo key manager', address: demo.url, token: demo.token, verify: 'No' });
  await app.getByRole('button', { name: 'Save and test connection' }).click();
  await expect(result(app).getByRole('heading', { name: 'Connection successful' })).toBeVisible();
  await result(app).getByRole('button', { name: 'Copy report (Markdown)' }).click();
  const markdown = await readClipboard(app);
  expect(markdown).toContain('## Keybridge connection test: Demo key manager');
  expect(markdown).toContain('✓ Connection successful (`ok`)');
  expect(markdown).toMatch(/- ✓ Certificate and TLS: TLSv1\.3/);
  expect(markdown).toContain(`- **SHA-256**: \`${demo.fingerprint}\``);
  expect(markdown).toContain('- **Keybridge**: 0.1.0-test');
  await result(app).getByRole('button', { name: 'Copy as text' }).click();
  const text = await readClipboard(app);
  expect(text).toContain('STEPS');
  // The same test with curl, as copied: the secret only as $KEYBRIDGE_TOKEN, and it succeeds.
  await result(app).getByRole('button', { name: 'Copy as curl' }).click();
  const curl = await readClipboard(app);
  expect(curl).toContain('"Authorization: Bearer $KEYBRIDGE_TOKEN"');
  // Asynchronously: the demo key manager answers from this same process.
  const ran = await promisify(execFile)('bash', ['-c', curl], { env: { PATH: process.env.PATH, KEYBRIDGE_TOKEN: demo.token }, timeout: 20_000 });
  expect(ran.stdout).toMatch(/^HTTP\/1\.1 200/m);
  await result(app).getByRole('button', { name: 'Copy as openssl' }).click();
  expect(await readClipboard(app)).toMatch(/^openssl s_client -connect 127\.0\.0\.1:\d+ -showcerts <\/dev\/null$/);
  for (const copied of [markdown, text, curl]) expect(copied).not.toContain(demo.token);
});

test('a cancelled test is neutral, not a failure', async ({ app }) => {
  const peer = await silentPeer();
  try {
    await app.setViewportSize({ width: 900, height: 620 });
    await fill(app, { name: 'Slow', address: peer.url, token: 'Wg7ASgddKzXwEStPoUvMDzwYO3NDFj', verify: 'No' });
    await app.getByRole('button', { name: 'Save and test connection' }).click();
    // Cancel test is in the action bar too, in view at the smallest window.
    const cancel = app.getByRole('group', { name: 'Test' }).getByRole('button', { name: 'Cancel test' });
    await expect(cancel).toBeInViewport();
    await cancel.click();
    await expect(result(app).getByRole('heading', { name: 'Test cancelled' })).toBeVisible();
    await expect(result(app).locator('.report-head')).toHaveClass(/is-neutral/);
    await expect(app.getByRole('navigation', { name: 'Connections' })).toContainText('Test cancelled');
  } finally {
    await peer.close();
  }
});

test('an expiry date in the past is questioned once, then kept if the admin insists', async ({ app, demo }) => {
  await fill(app, { name: 'Expired key', address: demo.url, token: demo.token, verify: 'No' });
  await openSection(app, 'Key details');
  await app.getByLabel('Never expires').uncheck();
  await app.getByLabel('Expires on').fill('2020-01-31');
  await openSection(app, 'General'); // elsewhere: the message opens its tab
  await app.getByRole('button', { name: 'Save and test connection' }).click();
  await expect(app.getByText('Jan 31, 2020 is in the past: this API token has already expired.')).toBeVisible();
  await expect(app.getByLabel('Expires on')).toBeFocused();
  await expect(app.getByRole('navigation', { name: 'Connections' })).toContainText('No connections yet');
  await app.getByRole('button', { name: 'Save and test connection' }).click();
  await expect(result(app).getByRole('heading', { name: 'Connection successful' })).toBeVisible();
  // Dates in the OS locale's format (this browser's: en-US), one format in the whole window.
  await expect(app.getByText('The API token expired on Jan 31, 2020')).toBeVisible();
});

test('first run: the steps of the key manager\'s workflow, and the work starts in the first field', async ({ app }) => {
  await expect(result(app).getByRole('heading', { name: 'Set up your first connection' })).toBeVisible();
  await expect(result(app)).toContainText('In PrivX Key Manager, create the API token for the API user and download it');
  await expect(app.getByLabel('Key manager product')).toBeFocused();
  await expect(app.getByText('In the PrivX GUI, as your admin user, go to Accounts → API tokens')).toBeVisible();
  // A developer command is for a source checkout only: the bridge runs the core as a packaged app does.
  await expect(result(app)).not.toContainText('npm run demo:key-manager');
  // The words follow the chosen product.
  await app.getByLabel('Key manager product').selectOption({ label: 'N-able Passportal' });
  await expect(result(app)).toContainText('In N-able Passportal, create the');
  await expect(result(app)).not.toContainText('API token (Authentication)');
});

test('keyboard: a skip link first, Escape cancels a running test and closes a panel, focus returns to its button', async ({ app, bridge }) => {
  await bridge.service.saveConnection({ name: 'Existing', serverAddress: 'km.example.com', verifyCertificate: true, apiToken: 'Wg7ASgddKzXwEStPoUvMDzwYO3NDFj' });
  await app.reload();
  await expect(app.getByRole('heading', { name: 'Existing', level: 1 })).toBeVisible();
  await app.keyboard.press('Tab');
  const skip = app.getByRole('link', { name: 'Skip to the connection settings' });
  await expect(skip).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(app.getByLabel('Key manager product')).toBeFocused();

  const peer = await silentPeer();
  try {
    await fill(app, { name: 'Slow', address: peer.url, token: 'Wg7ASgddKzXwEStPoUvMDzwYO3NDFj', verify: 'No' });
    await app.getByRole('button', { name: 'Save and test connection' }).click();
    await expect(result(app).getByRole('heading', { name: 'Testing connection…' })).toBeVisible();
    await app.keyboard.press('Escape');
    await expect(result(app).getByRole('heading', { name: 'Test cancelled' })).toBeFocused();
  } finally {
    await peer.close();
  }
  await app.getByRole('button', { name: 'Delete…' }).click();
  await expect(app.getByRole('group', { name: 'Confirm deletion' }).getByRole('button', { name: 'Cancel' })).toBeFocused();
  await app.keyboard.press('Escape');
  await expect(app.getByRole('group', { name: 'Confirm deletion' })).toHaveCount(0);
  await expect(app.getByRole('button', { name: 'Delete…' })).toBeFocused();
});

test('dark theme: following the OS, or chosen; readable (axe, WCAG 2 A/AA) in both', async ({ app, demo }) => {
  await app.emulateMedia({ colorScheme: 'dark' });
  await fill(app, { name: 'Demo (verified)', address: demo.url, token: demo.token, verify: 'Yes' });
  await app.getByRole('button', { name: 'Save and test connection' }).click();
  await expect(result(app).getByRole('heading', { name: 'Self-signed certificate' })).toBeVisible();
  expect(await pageBackground(app)).toBe('rgb(22, 24, 29)');
  const dark = await new AxeBuilder({ page: app }).withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(dark.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(", ")})`)).toEqual([]);
  await app.screenshot({ path: 'test-results/screenshots/dark-self-signed.png' });
  // Chosen against the OS, and kept.
  await app.emulateMedia({ colorScheme: 'light' });
  await app.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
  await app.reload();
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await pageBackground(app)).toBe('rgb(22, 24, 29)');
  await app.getByRole('combobox', { name: 'Theme' }).selectOption('light');
  expect(await pageBackground(app)).toBe('rgb(245, 246, 248)');
  const light = await new AxeBuilder({ page: app }).withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(light.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(", ")})`)).toEqual([]);
});

test('live progress: each step appears as it completes, with the time running; then a timing waterfall', async ({ app, bridge }) => {
  const cert = await issueCertificate({ commonName: 'slow' });
  const slow = await httpsPeer(cert, (_req, res) => {
    setTimeout(() => json(res, 200, { ok: true }), 1500);
  });
  try {
    await fill(app, { name: 'Slow answer', address: slow.url, token: 'Wg7ASgddKzXwEStPoUvMDzwYO3NDFj', verify: 'No' });
    await app.getByRole('button', { name: 'Save and test connection' }).click();
    const live = result(app).getByRole('list', { name: 'Steps so far' });
    await expect(live.getByRole('listitem').filter({ hasText: 'Certificate and TLS' })).toContainText('passed');
    await expect(result(app).getByRole('heading', { name: 'Testing connection…' })).toBeVisible(); // still running
    // The time running and the last step done, in the action bar: in view at every size.
    await expect(app.getByRole('group', { name: 'Test' })).toContainText(/\d\.\d s · Certificate and TLS done/);
    await app.screenshot({ path: 'test-results/screenshots/live-progress.png' });
    await expect(result(app).getByRole('heading', { name: 'Connection successful' })).toBeVisible();
    const waterfall = result(app).getByRole('img', { name: /Timings:/ });
    await expect(waterfall).toBeVisible();
    await expect(waterfall).toHaveAttribute('aria-label', /TLS \d+(\.\d)? ms.*first byte 1[5-9]\d\d(\.\d)? ms/);
    for (const answer of bridge.answers) expect(answer).not.toContain('Wg7ASgddKzXwEStPoUvMDzwYO3NDFj');
  } finally {
    await slow.close();
  }
});

test('the form knows when it differs from what is saved, and leaving a changed form asks', async ({ app, demo }) => {
  await fill(app, { name: 'Demo key manager', address: demo.url, token: demo.token, verify: 'No' });
  await app.getByRole('button', { name: 'Save and test connection' }).click();
  await expect(result(app).getByRole('heading', { name: 'Connection successful' })).toBeVisible();
  // Saved and unchanged: the button tests what is saved.
  await expect(app.getByRole('button', { name: 'Test saved settings' })).toBeVisible();
  await expect(app.getByText('Unsaved changes')).toHaveCount(0);
  await fill(app, { name: 'Demo key manager (renamed)' });
  await expect(app.getByText('Unsaved changes')).toBeVisible();
  await expect(app.getByRole('button', { name: 'Save and test connection' })).toBeVisible();
  // Leaving asks; "Cancel" keeps the changes, "OK" drops them.
  let asked = '';
  app.once('dialog', (dialog) => {
    asked = dialog.message();
    void dialog.dismiss();
  });
  await app.getByRole('button', { name: '+ New connection' }).click();
  expect(asked).toContain('changes that are not saved');
  await expect(app.getByLabel('Connection name')).toHaveValue('Demo key manager (renamed)');
  app.once('dialog', (dialog) => void dialog.accept());
  await app.getByRole('button', { name: '+ New connection' }).click();
  await expect(app.getByRole('heading', { name: 'New connection', level: 1 })).toBeVisible();
  await app.getByRole('listbox', { name: 'Saved connections' }).getByRole('option', { name: /Demo key manager/ }).click();
  await expect(app.getByLabel('Connection name')).toHaveValue('Demo key manager');
  await app.getByRole('button', { name: 'Test saved settings' }).click();
  await expect(result(app).getByRole('heading', { name: 'Connection successful' })).toBeFocused();
});

test('a long server message is shown short, and in full (redacted) on request, with a copy button', async ({ app }) => {
  const cert = await issueCertificate({ commonName: 'wordy' });
  const token = 'Wg7ASgddKzXwEStPoUvMDzwYO3NDFjLong';
  const wordy = await httpsPeer(cert, (_req, res) => json(res, 401, { message: `${'Access denied by policy. '.repeat(20)}Token ${token} refused.` }));
  try {
    await fill(app, { name: 'Wordy', address: wordy.url, token, verify: 'No' });
    await app.getByRole('button', { name: 'Save and test connection' }).click();
    await expect(result(app).getByRole('heading', { name: 'API token rejected' })).toBeVisible();
    await result(app).getByText('Full server message').click();
    const full = result(app).locator('.server-message pre').first();
    await expect(full).toContainText('Token [redacted] refused.');
    // The answer as received, beside the verdict: status, headers, body, redacted the same way.
    await result(app).getByText('Response as received (HTTP 401)').click();
    const raw = result(app).locator('.server-message pre').nth(1);
    await expect(raw).toContainText('HTTP 401');
    await expect(raw).toContainText('content-type: application/json');
    await expect(raw).toContainText('Token [redacted] refused.');
    expect(await app.content()).not.toContain(token);
  } finally {
    await wordy.close();
  }
});

test('a pinned certificate: the form says the pin decides, as the report does', async ({ app, demo }) => {
  await fill(app, { name: 'Pinned', address: demo.url, token: demo.token, verify: 'Yes' });
  await app.getByRole('button', { name: 'Save and test connection' }).click();
  await result(app).locator('.hint').getByRole('button', { name: 'Trust this certificate' }).click();
  await expect(result(app)).toContainText('trusted by: pinned certificate');
  await openSection(app, 'TLS');
  await app.getByRole('radio', { name: 'No' }).click();
  await expect(app.getByText('While a key is pinned, only that key is accepted, whatever this setting says')).toBeVisible();
});

test('keyboard only: the whole first run, from the first field to the verdict', async ({ app, demo }) => {
  const focused = (locator: ReturnType<Page['getByLabel']>) => expect(locator).toBeFocused();
  await focused(app.getByLabel('Key manager product'));
  await app.keyboard.press('Tab'); // the main choices first: name and address, then the product's steps
  await focused(app.getByLabel('Connection name'));
  await app.keyboard.type('Demo by keyboard');
  await app.keyboard.press('Tab');
  await focused(app.getByLabel('Server address'));
  await app.keyboard.type(demo.url);
  // Back to the tabs (one Tab stop, arrow keys between them), as in every desktop tab strip.
  await app.keyboard.press('Shift+Tab');
  await app.keyboard.press('Shift+Tab');
  await app.keyboard.press('Shift+Tab');
  await expect(app.getByRole('tab', { name: 'General' })).toBeFocused();
  await app.keyboard.press('ArrowRight');
  await expect(app.getByRole('tab', { name: 'Authentication' })).toHaveAttribute('aria-selected', 'true');
  await app.keyboard.press('Tab'); // into the panel: the method
  await app.keyboard.press('Tab');
  await focused(app.getByLabel('API token'));
  await app.keyboard.type(demo.token);
  await app.keyboard.press('Shift+Tab');
  await app.keyboard.press('Shift+Tab');
  await app.keyboard.press('ArrowRight');
  await expect(app.getByRole('tab', { name: 'TLS' })).toHaveAttribute('aria-selected', 'true');
  await app.keyboard.press('Tab');
  await expect(app.getByRole('radio', { name: 'Yes' })).toBeFocused();
  // As a person presses it: Radix's radio group moves focus on the next tick and checks the radio
  // it lands on while the arrow key is down. Playwright's press() lets go at once, so on a busy
  // machine the key was up before focus moved and nothing was checked (a flaky test, not a bug).
  await app.keyboard.down('ArrowRight');
  await expect(app.getByRole('radio', { name: 'No' })).toBeFocused();
  await app.keyboard.up('ArrowRight');
  await expect(app.getByRole('radio', { name: 'No' })).toBeChecked();
  // Enter in a field submits; focus stays where it was while the test runs, then goes to the verdict.
  await app.keyboard.press('Shift+Tab');
  // Radix moves focus between tabs on the next tick: wait for each move, as a person's eye does.
  await app.keyboard.press('ArrowLeft');
  await expect(app.getByRole('tab', { name: 'Authentication' })).toBeFocused();
  await app.keyboard.press('ArrowLeft');
  await expect(app.getByRole('tab', { name: 'General' })).toBeFocused();
  for (let i = 0; i < 3; i++) await app.keyboard.press('Tab'); // product, name, address
  await focused(app.getByLabel('Server address'));
  await app.keyboard.press('Enter');
  await expect(result(app).getByRole('heading', { name: 'Connection successful' })).toBeFocused();
  await expect(app.getByRole('navigation', { name: 'Connections' })).toContainText('Demo by keyboard');
});

test('axe (WCAG 2.2 A/AA) is clean on every screen, in both themes', async ({ app, demo }) => {
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
  await fill(app, { name: 'Demo', address: demo.url, token: demo.token, verify: 'No' });
  await app.getByRole('button', { name: 'Save and test connection' }).click();
  await expect(result(app).getByRole('heading', { name: 'Connection successful' })).toBeVisible();
  for (const scheme of ['light', 'dark'] as const) {
    await app.emulateMedia({ colorScheme: scheme });
    for (const screen of ['connection', 'Audit log', 'Export and import'] as const) {
      if (screen !== 'connection') await app.getByRole('button', { name: screen }).click();
      else await app.getByRole('listbox', { name: 'Saved connections' }).getByRole('option', { name: /Demo/ }).click();
      await expect(app.getByRole('heading', { level: 1 })).toBeVisible();
      const axe = await new AxeBuilder({ page: app }).withTags(tags).analyze();
      expect(axe.violations.map((v) => `${scheme} ${screen}: ${v.id}: ${v.help}`)).toEqual([]);
    }
  }
});

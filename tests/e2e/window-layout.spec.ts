// The window at the sizes admins use, and the paths that point at what to change: the primary
// action in view before and after a test at every size, the header on one row, a curl command
// pasted into the address filling the form (its token imported, never shown), a connection
// without its token saying so where it is fixed, and a rotation from the key manager's file.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, result, test } from '../support/app-fixture';
import { fillConnection, openSection, testButton } from '../support/connection-form';

const SIZES = [
  [900, 620],
  [1120, 780],
  [1280, 800],
  [1920, 1080],
  [2560, 1440],
] as const;

/** The vertical centre of each element: buttons on one row share it. */
const rowsOf = async (app: Page, names: string[]): Promise<number[]> =>
  Promise.all(names.map(async (name) => {
    const box = await app.getByRole('button', { name, exact: true }).boundingBox();
    return Math.round((box?.y ?? 0) + (box?.height ?? 0) / 2);
  }));

for (const [width, height] of SIZES) {
  test(`at ${width}×${height}: the test action and the verdict are in view before and after a test (and the tabs, side by side)`, async ({ app, demo }) => {
    await app.setViewportSize({ width, height });
    await expect(testButton(app)).toBeInViewport();
    await expect(app.getByRole('tab', { name: 'General' })).toBeInViewport();
    await fillConnection(app, { name: 'Key manager – Amsterdam data centre (production, primary site)', address: demo.url, token: demo.token, verify: 'No' });
    await testButton(app).click();
    const verdict = result(app).getByRole('heading', { name: 'Connection successful' });
    await expect(verdict).toBeFocused();
    await expect(verdict).toBeInViewport();
    await expect(testButton(app)).toHaveText('Test saved settings');
    await expect(testButton(app)).toBeInViewport();
    // The header keeps one row with a long name: the name is cut (its full text on hover).
    const [rotate, disable, remove] = await rowsOf(app, ['Rotate token…', 'Disable', 'Delete…']);
    expect(Math.abs(rotate! - disable!)).toBeLessThanOrEqual(2);
    expect(Math.abs(rotate! - remove!)).toBeLessThanOrEqual(2);
    await expect(app.getByRole('heading', { level: 1 })).toHaveAttribute('title', /Amsterdam data centre/);
    // The page itself never scrolls: its columns do.
    const overflow = await app.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollHeight: number; clientHeight: number; scrollWidth: number; clientWidth: number } } }).document.documentElement;
      return { y: root.scrollHeight - root.clientHeight, x: root.scrollWidth - root.clientWidth };
    });
    expect(overflow).toEqual({ x: 0, y: 0 });
    // A second test from the form's tab: the action stays in view in the other column too.
    await openSection(app, 'Key details');
    await testButton(app).click();
    await expect(verdict).toBeFocused();
    await expect(testButton(app)).toBeInViewport();
    // Side by side (from the default size up), the form keeps its place while the report scrolls;
    // in one column (900 px) the column scrolls to the verdict, and the action bar stays.
    if (width >= 1120) await expect(app.getByRole('tab', { name: 'Key details' })).toBeInViewport();
    await app.screenshot({ path: `test-results/screenshots/window-${width}x${height}.png` });
  });
}

test('a curl command pasted into the address fills the form; its token is imported, never shown', async ({ app, demo, bridge }) => {
  await app.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const command = `curl -s -H 'Accept: application/json' \\\n  -H 'Authorization: Bearer ${demo.token}' \\\n  '${demo.url}/api/v3/'`;
  await app.evaluate((text) => (globalThis as unknown as { navigator: { clipboard: { writeText(t: string): Promise<void> } } }).navigator.clipboard.writeText(text), command);
  await app.getByLabel('Connection name').fill('From curl');
  await app.getByLabel('Server address').focus();
  await app.keyboard.press('ControlOrMeta+V');
  await expect(app.getByLabel('Server address')).toHaveValue(demo.url);
  await expect(app.getByText(/Filled in from the pasted command: address .*bearer token/)).toBeVisible();
  await openSection(app, 'Authentication');
  await expect(app.getByLabel('API authentication method')).toHaveValue('bearer');
  await expect(app.getByRole('group', { name: 'Imported API token' })).toContainText(`••••${demo.token.slice(-4)}`);
  await openSection(app, 'Key details');
  await expect(app.getByLabel('Test endpoint')).toHaveValue('/api/v3/');
  expect(await app.content()).not.toContain(demo.token);
  await fillConnection(app, { verify: 'No' });
  await testButton(app).click();
  await expect(result(app).getByRole('heading', { name: 'Connection successful' })).toBeVisible();
  // The token crossed the bridge only into main (as the import), never back to the window.
  for (const answer of bridge.answers) expect(answer).not.toContain(demo.token);
  await app.screenshot({ path: 'test-results/screenshots/paste-curl.png' });
});

test('pasted text that is not a command Keybridge reads never lands in the address, nor does its key', async ({ app }) => {
  await app.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const secret = 'Zq9PastedSecretValue77';
  const address = app.getByLabel('Server address');
  await address.fill('km.example.com');
  for (const text of [
    `C:\\Users\\me>curl -H "Authorization: Bearer ${secret}" https://km.example.com/api`,
    `wget --header="Authorization: Bearer ${secret}" https://km.example.com/api`,
    `Bearer ${secret}`,
    `https://km.example.com/api#access_token=${secret}`,
    `https://km.example.com/api?access_key=${secret}`,
    `-H "Authorization: Bearer ${secret}" https://km.example.com/api`,
  ]) {
    await app.evaluate((t) => (globalThis as unknown as { navigator: { clipboard: { writeText(x: string): Promise<void> } } }).navigator.clipboard.writeText(t), text);
    await address.focus();
    await app.keyboard.press('ControlOrMeta+V');
    await expect(app.getByText(/Nothing was filled in|Filled in from the pasted command|keys in a URL|not a method Keybridge supports|Keybridge/).first()).toBeVisible();
    await expect(address).not.toHaveValue(new RegExp(secret));
    expect(await app.content(), text).not.toContain(secret);
    await address.fill('km.example.com');
  }
});

test('a connection without its token says so in the list and the form, with Paste and Import', async ({ app, demo, bridge, dir }) => {
  await bridge.service.saveConnection({ name: 'Imported without secrets', serverAddress: demo.url, verifyCertificate: false });
  await app.reload();
  const list = app.getByRole('listbox', { name: 'Saved connections' });
  await expect(list.getByRole('option', { name: /Imported without secrets/ })).toContainText('No API token');
  // The form opens where the fix is.
  await expect(app.getByRole('tab', { name: /Authentication/ })).toHaveAttribute('aria-selected', 'true');
  await expect(app.getByText('No API token is saved for this connection')).toBeVisible();
  await app.getByRole('button', { name: 'Paste', exact: true }).click();
  await expect(app.getByLabel('API token')).toBeFocused();
  const keyFile = path.join(dir, 'api-token.txt');
  writeFileSync(keyFile, `${demo.token}\n`);
  bridge.dialogs.open = keyFile;
  await app.getByRole('button', { name: 'Import from file…' }).click();
  await expect(app.getByRole('group', { name: 'Imported API token' })).toBeVisible();
  await testButton(app).click();
  await expect(result(app).getByRole('heading', { name: 'Connection successful' })).toBeVisible();
  await expect(list.getByRole('option', { name: /Imported without secrets/ })).not.toContainText('No API token');
});

test('Rotate token… accepts the key manager\'s file, and tests it before it replaces the saved one', async ({ app, demo, bridge, dir }) => {
  await fillConnection(app, { name: 'Rotate from file', address: demo.url, token: demo.token, verify: 'No' });
  await testButton(app).click();
  await expect(result(app).getByRole('heading', { name: 'Connection successful' })).toBeVisible();
  await app.getByRole('button', { name: 'Rotate token…' }).click();
  const keyFile = path.join(dir, 'APIKey-rotated.key');
  writeFileSync(keyFile, `${demo.token}\n`);
  bridge.dialogs.open = keyFile;
  await app.getByRole('form', { name: 'Rotate token' }).getByRole('button', { name: 'Import from file…' }).click();
  await expect(app.getByText('Token rotated: the new token passed the test and replaced the old one.')).toBeVisible();
  await expect(app.getByRole('button', { name: 'Rotate token…' })).toBeFocused();
  for (const answer of bridge.answers) expect(answer).not.toContain(demo.token);
});

test('while a test runs, the rest of the window stays usable', async ({ app, bridge }) => {
  await bridge.service.saveConnection({ name: 'Another one', serverAddress: 'km.example.com', verifyCertificate: true });
  await app.reload();
  const { silentPeer } = await import('../support/peers');
  const peer = await silentPeer();
  try {
    await app.getByRole('button', { name: '+ New connection' }).click();
    await fillConnection(app, { name: 'Slow', address: peer.url, token: 'Wg7ASgddKzXwEStPoUvMDzwYO3NDFj', verify: 'No' });
    await testButton(app).click();
    await expect(testButton(app)).toHaveText('Testing connection…');
    // Another connection can be opened and read meanwhile; one test at a time.
    await app.getByRole('listbox', { name: 'Saved connections' }).getByRole('option', { name: /Another one/ }).click();
    await expect(app.getByRole('heading', { level: 1 })).toHaveText('Another one');
    await expect(testButton(app)).toBeDisabled();
    await expect(app.getByRole('group', { name: 'Test' })).toContainText('Testing Slow… one test at a time.');
    await expect(app.getByRole('button', { name: 'Audit log' })).toBeEnabled();
    await app.getByRole('listbox', { name: 'Saved connections' }).getByRole('option', { name: /Slow/ }).click();
    await app.getByRole('group', { name: 'Test' }).getByRole('button', { name: 'Cancel test' }).click();
    await expect(result(app).getByRole('heading', { name: 'Test cancelled' })).toBeVisible();
  } finally {
    await peer.close();
  }
});

test('a hostname mismatch marks the address and offers the names the certificate holds', async ({ app, bridge, dir }) => {
  const { issueCertificate } = await import('../../tools/certificates');
  const { httpsPeer, json } = await import('../support/peers');
  const ca = await issueCertificate({ commonName: 'Corp Private CA', isCa: true });
  const leaf = await issueCertificate({ commonName: 'km.corp.example', issuer: ca, altNames: ['localhost', '*.corp.example'] });
  const token = 'Wg7ASgddKzXwEStPoUvMDzwYO3NDFj';
  const peer = await httpsPeer(leaf, (req, res) => json(res, req.headers.authorization === `Bearer ${token}` ? 200 : 401, {}));
  try {
    await fillConnection(app, { name: 'By IP address', address: peer.url, token, verify: 'Yes' });
    await testButton(app).click();
    await expect(result(app).getByRole('heading', { name: 'Certificate from an untrusted authority' })).toBeVisible();
    bridge.dialogs.open = path.join(dir, 'corp-ca.pem');
    writeFileSync(bridge.dialogs.open, ca.certPem);
    await app.getByRole('button', { name: 'Add CA certificate…' }).click();
    await testButton(app).click();
    // Trusted now, but the certificate does not name 127.0.0.1: General opens at the address.
    await expect(result(app).getByRole('heading', { name: /name|host/i })).toBeVisible();
    await expect(app.getByRole('tab', { name: /General/ })).toHaveAttribute('aria-selected', 'true');
    await expect(app.getByText('The certificate does not name this host. It names:')).toBeVisible();
    await expect(app.getByText('*.corp.example', { exact: true })).toBeVisible(); // a wildcard is shown, not offered
    await app.getByRole('button', { name: 'Use localhost' }).click();
    await expect(app.getByLabel('Server address')).toHaveValue(`https://localhost:${peer.port}`);
    await expect(app.getByLabel('Server address')).toBeFocused();
    // Another origin for the saved token: main asks first (answered yes here).
    bridge.dialogs.confirmAnswer = true;
    await testButton(app).click();
    await expect(result(app).getByRole('heading', { name: 'Connection successful' })).toBeVisible();
    await app.screenshot({ path: 'test-results/screenshots/hostname-mismatch-fixed.png' });
  } finally {
    await peer.close();
  }
});

// The window, built as shipped, in Debian's Chromium: an admin types, pastes, clicks and reads.
// The contract is served by the real core over the loopback bridge; the peer is the demo key
// manager on 127.0.0.1.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, result, shot, test } from '../support/app-fixture';
import { fillConnection, openSection, testButton } from '../support/connection-form';
import { closedPort, silentPeer } from '../support/peers';

const saveAndTest = (page: Page) => page.getByRole('button', { name: 'Save and test connection' }).click();

test('success with Verify certificate = No against the demo key manager', async ({ app, demo, bridge, dataDir }) => {
  await expect(app).toHaveTitle('New connection — Keybridge');
  await fillConnection(app, { name: 'Demo key manager', address: demo.url, token: demo.token, verify: 'No' });
  await saveAndTest(app);

  await expect(result(app).getByRole('heading', { name: 'Connection successful' })).toBeVisible();
  await expect(result(app)).toContainText('accepted the API token (HTTP 200)');
  await expect(result(app)).toContainText('Verify certificate is No');
  await expect(result(app)).toContainText(demo.fingerprint);
  await expect(result(app).getByText('Self-signed', { exact: true })).toBeVisible();
  const steps = result(app).getByRole('list', { name: 'Test steps' });
  await expect(steps.getByRole('listitem')).toHaveCount(6);
  await expect(steps.getByRole('listitem').filter({ hasText: 'Certificate and TLS' })).toContainText('trusted by: not verified');
  await expect(app.getByRole('navigation', { name: 'Connections' })).toContainText('Connected');
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Demo key manager');
  await expect(app).toHaveTitle('Demo key manager — Keybridge'); // the window's title names the connection
  // What to enter in the portal, in the seeds' words, and what it must trust (never the token).
  const portal = result(app).getByRole('region', { name: 'Settings for the portal' });
  await expect(portal).toContainText('PKM connection');
  await expect(portal).toContainText('API Authentication Method');
  await expect(portal).toContainText('Token');
  await expect(portal).toContainText(demo.fingerprint);
  await expect(portal).not.toContainText(demo.token.slice(-4));
  await shot(app, 'success-verify-no');

  // After saving, the token is nowhere in the window: not in the field, the page, or any answer.
  await openSection(app, 'Authentication');
  await expect(app.getByLabel('API token')).toHaveValue('');
  await expect(app.getByText(`API token saved (••••${demo.token.slice(-4)})`)).toBeVisible();
  expect(await app.content()).not.toContain(demo.token);
  expect(bridge.answers.length).toBeGreaterThan(0);
  for (const answer of bridge.answers) expect(answer).not.toContain(demo.token);
  // Nor in the store files.
  for (const file of readdirSync(dataDir)) expect(readFileSync(path.join(dataDir, file), 'utf8')).not.toContain(demo.token);

  // The window is usable by keyboard and screen reader (axe, WCAG 2 A/AA rules).
  const axe = await new AxeBuilder({ page: app }).withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  // A reload starts from what main kept: the connection and its masked hint, never the token.
  await app.reload();
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Demo key manager');
  // One test action, saying what it tests: the saved settings, as nothing was changed.
  await expect(testButton(app)).toHaveText('Test saved settings');
  await testButton(app).click();
  await expect(result(app).getByRole('heading', { name: 'Connection successful' })).toBeVisible();
  for (const answer of bridge.answers) expect(answer).not.toContain(demo.token);
});

test('Verify certificate = Yes against the self-signed demo server says why and what to do', async ({ app, demo }) => {
  await fillConnection(app, { name: 'Demo (verified)', address: demo.url, token: demo.token, verify: 'Yes' });
  await saveAndTest(app);
  await expect(result(app).getByRole('heading', { name: 'Self-signed certificate' })).toBeVisible();
  await expect(result(app)).toContainText('set Verify certificate to No');
  await expect(result(app)).toContainText('tls-self-signed');
  await expect(result(app)).toContainText(demo.fingerprint);
  await shot(app, 'failure-self-signed');
});

test('trust this certificate: pin the self-signed certificate after seeing it, then forget it', async ({ app, demo }) => {
  await fillConnection(app, { name: 'Demo (pinned)', address: demo.url, token: demo.token, verify: 'Yes' });
  await saveAndTest(app);
  await expect(result(app).getByRole('heading', { name: 'Self-signed certificate' })).toBeVisible();
  await result(app).getByRole('button', { name: 'Trust this certificate' }).click();
  await expect(result(app).getByRole('heading', { name: 'Connection successful' })).toBeVisible();
  await expect(result(app)).toContainText('trusted by: pinned certificate');
  await expect(result(app).getByRole('button', { name: 'Trust this certificate' })).toHaveCount(0);
  // The pin is managed where trust is set: the TLS section shows the key, since when, and Forget.
  await openSection(app, 'TLS');
  const pin = app.getByRole('region', { name: 'Pinned key' });
  await expect(pin).toContainText('sha256/');
  await expect(pin).toContainText('Pinned on');
  await expect(app.getByText('While a key is pinned, only that key is accepted')).toBeVisible();
  await shot(app, 'trusted-certificate');
  await pin.getByRole('button', { name: 'Forget trusted certificate' }).click();
  await expect(app.getByRole('region', { name: 'Pinned key' })).toHaveCount(0);
  await testButton(app).click();
  await expect(result(app).getByRole('heading', { name: 'Self-signed certificate' })).toBeVisible();
});

test('a wrong token is reported as rejected, with the server\'s words', async ({ app, demo }) => {
  await fillConnection(app, { name: 'Demo (wrong token)', address: demo.url, token: 'Wg7ASgddKzXwEStPoUvMDzwYO3NDFj', verify: 'No' });
  await saveAndTest(app);
  await expect(result(app).getByRole('heading', { name: 'API token rejected' })).toBeVisible();
  await expect(result(app)).toContainText('HTTP 401');
  await expect(result(app)).toContainText('API token missing or not valid');
  // The verdict is about the token: its field is marked, with the fix there; no unrelated trust offer.
  await expect(result(app).getByRole('button', { name: 'Trust this certificate' })).toHaveCount(0);
  await expect(app.getByRole('tab', { name: /Authentication/ })).toHaveAttribute('aria-selected', 'true');
  await expect(app.getByText('The key manager rejected this API token in the last test.')).toBeVisible();
  await expect(app.getByRole('button', { name: 'Replace' })).toBeVisible();
  await app.getByRole('button', { name: 'Replace' }).click();
  await expect(app.getByLabel('API token')).toBeFocused();
  await shot(app, 'failure-wrong-token');
});

test('a closed port is reported as connection refused', async ({ app }) => {
  const port = await closedPort();
  await fillConnection(app, { name: 'Nothing listening', address: `https://127.0.0.1:${port}`, token: 'Wg7ASgddKzXwEStPoUvMDzwYO3NDFj', verify: 'Yes' });
  await saveAndTest(app);
  await expect(result(app).getByRole('heading', { name: 'Connection refused' })).toBeVisible();
  await expect(result(app)).toContainText(`127.0.0.1:${port}`);
  await expect(result(app)).toContainText('Check the port');
  await shot(app, 'failure-connection-refused');
});

test('bad input gets a message at its field and loses nothing that was typed', async ({ app }) => {
  await fillConnection(app, { name: 'Typo', address: 'https://admin:pw@keymanager.example.com', token: 'Wg7ASgddKzXwEStPoUvMDzwYO3NDFj', verify: 'Yes' });
  await saveAndTest(app);
  await expect(app.getByText('Remove the user name and password from the address.')).toBeVisible();
  await expect(app.getByLabel('Server address')).toHaveValue('https://admin:pw@keymanager.example.com');
  await expect(app.getByLabel('Connection name')).toHaveValue('Typo');

  await app.getByLabel('Server address').fill('keymanager.example.com');
  await fillConnection(app, { token: '-----BEGIN CERTIFICATE-----' });
  await saveAndTest(app);
  await expect(app.getByText('This is a PEM certificate or key, not an API token.')).toBeVisible();

  // All errors of a submit at once, counted on their tabs; the first one's tab opens, its field focused.
  await app.getByLabel('API token').fill('');
  await fillConnection(app, { name: '' });
  await openSection(app, 'Key details');
  await saveAndTest(app);
  await expect(app.getByRole('tab', { name: 'General 1 error' })).toHaveAttribute('aria-selected', 'true');
  await expect(app.getByRole('tab', { name: 'Authentication 1 error' })).toBeVisible();
  await expect(app.getByText('Give the connection a name.')).toBeVisible();
  await expect(app.getByLabel('Connection name')).toBeFocused();
  await expect(app.getByLabel('Connection name')).toHaveAccessibleDescription('Give the connection a name.'); // linked to its field
  await shot(app, 'form-validation');
  await openSection(app, 'Authentication');
  await expect(app.getByLabel('API token')).toHaveAccessibleDescription(/Paste the API token, or import the file/);

  // A control character (pasted from a terminal, say) is refused at its field, in a tab that opens.
  await app.getByLabel('API token').fill('Wg7ASgddKzXwEStPoUvMDzwYO3NDFj');
  await fillConnection(app, { name: 'Typo' });
  await openSection(app, 'Key details');
  await app.getByLabel('Token owner (service account)').fill('svc\tportal');
  await openSection(app, 'General'); // away from it again
  await saveAndTest(app);
  await expect(app.getByText('The owner cannot contain control characters such as tabs or line breaks.')).toBeVisible();
  await expect(app.getByLabel('Token owner (service account)')).toHaveAttribute('aria-invalid', 'true');
  await expect(app.getByLabel('Token owner (service account)')).toHaveAccessibleDescription(/cannot contain control characters/);
  await expect(app.getByRole('navigation', { name: 'Connections' })).toContainText('No connections yet');
});

test('a connection can be deleted after confirming, and its secret goes with it', async ({ app, demo, bridge }) => {
  await fillConnection(app, { name: 'To delete', address: demo.url, token: demo.token, verify: 'No' });
  await saveAndTest(app);
  await expect(result(app).getByRole('heading', { name: 'Connection successful' })).toBeVisible();
  await app.getByRole('button', { name: 'Delete…' }).click();
  // Cancel gives focus back to Delete…, where the admin was.
  await app.getByRole('group', { name: 'Confirm deletion' }).getByRole('button', { name: 'Cancel' }).click();
  await expect(app.getByRole('button', { name: 'Delete…' })).toBeFocused();
  await app.getByRole('button', { name: 'Delete…' }).click();
  await app.getByRole('group', { name: 'Confirm deletion' }).getByRole('button', { name: 'Delete' }).click();
  await expect(app.getByRole('heading', { name: 'New connection' })).toBeVisible();
  await expect(app.getByRole('button', { name: '+ New connection' })).toBeFocused(); // the list, where the work continues
  expect(JSON.parse(readFileSync(bridge.service.files.secrets, 'utf8')).secrets).toEqual({});
});

test('a test that hangs can be cancelled, also on the first save', async ({ app }) => {
  const peer = await silentPeer();
  try {
    await fillConnection(app, { name: 'Silent', address: peer.url, token: 'Wg7ASgddKzXwEStPoUvMDzwYO3NDFj', verify: 'Yes' });
    await saveAndTest(app);
    await expect(result(app).getByRole('heading', { name: 'Testing connection…' })).toBeVisible();
    await expect(app.getByRole('group', { name: 'Test' })).toContainText(/\d\.\d s/); // the live progress, in the action bar
    await result(app).getByRole('button', { name: 'Cancel test' }).click();
    await expect(result(app).getByRole('heading', { name: 'Test cancelled' })).toBeVisible();
    await expect(testButton(app)).toBeEnabled();
  } finally {
    await peer.close();
  }
});

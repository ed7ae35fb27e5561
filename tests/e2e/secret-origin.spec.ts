// An address change in the window: the form says that main will ask before the saved token goes to
// the new server; main's own dialog (scripted here, native in the app) decides, never the window.
import { expect, result, shot, test } from '../support/app-fixture';
import { fillConnection, openSection } from '../support/connection-form';

test('a saved token goes to a new address only after the question in main is answered', async ({ app, demo, bridge }) => {
  await fillConnection(app, { name: 'Demo key manager', address: demo.url, token: demo.token, verify: 'No' });
  await app.getByRole('button', { name: 'Save and test connection' }).click();
  await expect(result(app).getByRole('heading', { name: 'Connection successful' })).toBeVisible();

  const moved = demo.url.replace('127.0.0.1', 'localhost');
  await openSection(app, 'General');
  await app.getByLabel('Server address').fill(moved);
  const note = app.getByRole('status').filter({ hasText: 'asks in a separate dialog' });
  await expect(note).toContainText(new URL(demo.url).origin);
  await expect(note).toContainText(new URL(moved).origin);
  await shot(app, 'address-change-asks-first');

  bridge.dialogs.confirmAnswer = false;
  await app.getByRole('button', { name: 'Save and test connection' }).click();
  await expect(app.getByText(/Nothing was saved: the saved API token stays with/)).toBeVisible();
  expect(bridge.dialogs.questions).toHaveLength(1);
  await expect(app.getByRole('navigation', { name: 'Connections' })).toContainText('127.0.0.1');

  bridge.dialogs.confirmAnswer = true;
  await app.getByRole('button', { name: 'Save and test connection' }).click();
  await expect(result(app).getByRole('heading', { name: 'Connection successful' })).toBeVisible();
  expect(bridge.dialogs.questions).toHaveLength(2);
  await expect(app.getByRole('navigation', { name: 'Connections' })).toContainText('localhost');
  await expect(note).toHaveCount(0);
  for (const answer of bridge.answers) expect(answer).not.toContain(demo.token);
});

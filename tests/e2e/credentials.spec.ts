// Credentials and records in the window: import a key file (dialog and drop), key details and
// expiry warnings, disable, rotate, the audit log, and export/import with an encrypted file.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { issueCertificate } from '../../tools/certificates';
import { expect, result, shot, test } from '../support/app-fixture';
import { fillConnection, openSection, testButton } from '../support/connection-form';
import { startRendererBridge } from '../support/renderer-bridge';

test('import the API token from a file: the window only ever sees a hint', async ({ app, demo, bridge, dir }) => {
  const keyFile = path.join(dir, 'APIKey-portal-sync-2026-10-30.key');
  writeFileSync(keyFile, `${demo.token}\n`);
  bridge.dialogs.open = keyFile;
  await fillConnection(app, { name: 'Imported', address: demo.url });
  await openSection(app, 'Authentication');
  await app.getByRole('button', { name: 'Import from file…' }).click();
  await expect(app.getByText('Imported APIKey-portal-sync-2026-10-30.key')).toBeVisible();
  await expect(app.getByRole('group', { name: 'Imported API token' })).toContainText(`••••${demo.token.slice(-4)}`);
  await openSection(app, 'Key details');
  await expect(app.getByLabel('Key name')).toHaveValue('portal-sync');
  await app.getByLabel('Token owner (service account)').fill('user_portal_max');
  await app.getByLabel('Never expires').uncheck();
  const soon = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
  await app.getByLabel('Expires on').fill(soon);
  await shot(app, 'import-from-file');
  await fillConnection(app, { verify: 'No' });
  await app.getByRole('button', { name: 'Save and test connection' }).click();
  await expect(result(app).getByRole('heading', { name: 'Connection successful' })).toBeVisible();
  // In the browser's locale (en-US here), as a calendar day.
  const day = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${soon}T00:00:00Z`));
  await expect(app.getByText(`The API token expires on ${day}.`)).toBeVisible();
  await expect(app.getByRole('navigation', { name: 'Connections' })).toContainText('expires soon');
  for (const answer of bridge.answers) expect(answer).not.toContain(demo.token);
  expect(await app.content()).not.toContain(demo.token);
});

test('drop a key file on the token field; an odd file is refused with its reason', async ({ app, demo, bridge }) => {
  const drop = async (name: string, content: string) => {
    const transfer = await app.evaluateHandle(
      ([fileName, text]) => {
        // Runs in the page; typed loosely because this file is compiled for Node.
        const dom = globalThis as unknown as {
          DataTransfer: new () => { items: { add(file: unknown): void } };
          File: new (parts: string[], name: string, options: { type: string }) => unknown;
        };
        const data = new dom.DataTransfer();
        data.items.add(new dom.File([text], fileName, { type: 'text/plain' }));
        return data;
      },
      [name, content] as const,
    );
    await app.locator('.dropzone').dispatchEvent('drop', { dataTransfer: transfer });
  };
  await openSection(app, 'Authentication');
  await drop('error-page.html', '<!DOCTYPE html><html><body>Login</body></html>');
  await expect(app.getByText('error-page.html: The file is an HTML page')).toBeVisible();
  await drop('token.txt', `${demo.token}\n`);
  await expect(app.getByText('Imported token.txt')).toBeVisible();
  await fillConnection(app, { name: 'Dropped', address: demo.url, verify: 'No' });
  await app.getByRole('button', { name: 'Save and test connection' }).click();
  await expect(result(app).getByRole('heading', { name: 'Connection successful' })).toBeVisible();
  // The drop read the file in the window (like a paste); after saving, no answer carries it.
  for (const answer of bridge.answers) expect(answer).not.toContain(demo.token);
});

test('disable, rotate, and read it all in the audit log', async ({ app, demo }) => {
  await fillConnection(app, { name: 'Lifecycle', address: demo.url, token: demo.token, verify: 'No' });
  await app.getByRole('button', { name: 'Save and test connection' }).click();
  await expect(result(app).getByRole('heading', { name: 'Connection successful' })).toBeVisible();

  await app.getByRole('button', { name: 'Rotate token…' }).click();
  await app.getByLabel('New API token').fill('NotTheNewTokenNotTheNewToken');
  await app.getByRole('button', { name: 'Test and replace' }).click();
  await expect(app.getByText('The new token did not pass the test (API token rejected), so the old token was kept.')).toBeVisible();

  await app.getByRole('button', { name: 'Disable' }).click();
  await expect(app.getByRole('heading', { level: 1 })).toContainText('Disabled');
  await expect(testButton(app)).toBeDisabled();
  await expect(app.getByRole('navigation', { name: 'Connections' })).toContainText('Disabled');
  await shot(app, 'disabled-connection');
  await app.getByRole('button', { name: 'Enable' }).click();
  await expect(testButton(app)).toBeEnabled();

  await app.getByRole('button', { name: 'Audit log' }).click();
  await expect(app.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  const rows = app.getByRole('table').getByRole('row');
  // Actions in words, not codes.
  await expect(rows.filter({ hasText: 'Token rotation refused' })).toContainText('http-unauthorized');
  await expect(rows.filter({ hasText: 'Connection disabled' })).toHaveCount(1);
  await expect(app.getByRole('table')).not.toContainText('connection-disabled');
  await app.getByLabel('Outcome').selectOption('failure');
  await expect(rows).toHaveCount(2); // header + the refused rotation
  await shot(app, 'audit-log');
  await app.getByLabel('Outcome').selectOption('');
  expect(await app.content()).not.toContain(demo.token);
});

test('export with encrypted tokens, then import on a fresh workstation with the passphrase', async ({ app, demo, bridge, dir, browser }) => {
  await fillConnection(app, { name: 'To move', address: demo.url, token: demo.token, verify: 'No' });
  await app.getByRole('button', { name: 'Save and test connection' }).click();
  await expect(result(app).getByRole('heading', { name: 'Connection successful' })).toBeVisible();

  await app.getByRole('button', { name: 'Export and import' }).click();
  await app.getByLabel('Include API tokens, encrypted with a passphrase').check();
  await app.getByLabel('Passphrase', { exact: true }).fill('correct horse battery');
  await expect(app.getByRole('button', { name: 'Export connections…' })).toBeDisabled();
  await app.getByLabel('Passphrase again').fill('correct horse battery');
  bridge.dialogs.save = path.join(dir, 'export.json');
  await app.getByRole('button', { name: 'Export connections…' }).click();
  await expect(app.getByText(/Exported 1 connection\(s\) to .*export\.json, with their secrets encrypted/)).toBeVisible();
  await shot(app, 'export');
  expect(readFileSync(bridge.dialogs.save, 'utf8')).not.toContain(demo.token);

  // A second workstation: its own data folder and bridge.
  mkdirSync(path.join(dir, 'other'));
  const other = await startRendererBridge(path.join(dir, 'other'));
  const page = await browser.newPage();
  try {
    await other.attach(page);
    await page.goto(other.url);
    await page.getByRole('button', { name: 'Export and import' }).click();
    other.dialogs.open = bridge.dialogs.save;
    await page.getByRole('button', { name: 'Import connections…' }).click();
    await expect(page.getByText('This export holds encrypted secrets. Enter the passphrase it was exported with.')).toBeVisible();
    await page.getByLabel('Passphrase of the export').fill('wrong passphrase!!');
    await page.getByRole('button', { name: 'Import connections…' }).click();
    await expect(page.getByText('The passphrase is wrong, or the file was changed after export. Nothing was imported.')).toBeVisible();
    await page.getByLabel('Passphrase of the export').fill('correct horse battery');
    await page.getByRole('button', { name: 'Import connections…' }).click();
    // Nothing is written before the admin has seen what the file creates, and where it points.
    const preview = page.getByRole('group', { name: 'What the import creates' });
    await expect(preview).toContainText('Protected by the passphrase');
    await expect(preview.getByRole('row', { name: /To move New, with its API token/ })).toBeVisible();
    await expect(preview).toContainText(demo.url);
    expect(await page.getByRole('navigation', { name: 'Connections' }).textContent()).not.toContain('To move');
    await shot(page, 'import-preview');
    await preview.getByRole('button', { name: 'Import 1 connection' }).click();
    await expect(page.getByText('Imported 1 connection(s) (1 with secrets)')).toBeVisible();
    await page.getByRole('navigation', { name: 'Connections' }).getByRole('option', { name: /To move/ }).click();
    await testButton(page).click();
    await expect(page.getByRole('region', { name: 'Test result' }).getByRole('heading', { name: 'Connection successful' })).toBeVisible();
    for (const answer of other.answers) expect(answer).not.toContain(demo.token);
  } finally {
    await page.close();
    await other.close();
  }
});

test('trust a CA certificate for one connection, from a file chosen in the dialog', async ({ app, bridge, dir }) => {
  const ca = await issueCertificate({ commonName: 'Acme Private CA', isCa: true });
  const leaf = await issueCertificate({ commonName: 'km.acme', issuer: ca });
  const server = https.createServer({ cert: leaf.certPem, key: leaf.keyPem }, (req, res) => {
    res.writeHead(req.headers.authorization === 'Bearer AcmeTokenAcmeToken01' ? 200 : 401, { 'content-type': 'application/json' });
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await fillConnection(app, { name: 'Acme', address: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 'AcmeTokenAcmeToken01' });
    await app.getByRole('button', { name: 'Save and test connection' }).click();
    await expect(result(app).getByRole('heading', { name: 'Certificate from an untrusted authority' })).toBeVisible();

    bridge.dialogs.open = path.join(dir, 'acme-ca.pem');
    writeFileSync(bridge.dialogs.open, ca.certPem);
    // The verdict is about trust: the TLS tab opens, with what to do there.
    await expect(app.getByRole('tab', { name: /TLS/ })).toHaveAttribute('aria-selected', 'true');
    await expect(app.getByText('The last test found a certificate from a CA this computer does not trust.')).toBeVisible();
    await app.getByRole('button', { name: 'Add CA certificate…' }).click();
    await expect(app.getByRole('list', { name: 'Trusted CA certificates' })).toContainText('CN Acme Private CA');
    await testButton(app).click();
    await expect(result(app).getByRole('heading', { name: 'Connection successful' })).toBeVisible();
    await expect(result(app)).toContainText('trusted by: custom CA');
    await shot(app, 'custom-ca');
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

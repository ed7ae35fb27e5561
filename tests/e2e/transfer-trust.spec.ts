// The import preview in the window shows, per connection, what decides where its token goes and
// what is trusted; a file without a passphrase brings those settings only where the admin ticks
// "Keep these settings"; a file authenticated by its passphrase brings them as they are.
import AxeBuilder from '@axe-core/playwright';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { createKeybridgeService } from '../../src/main/core/service';
import { writeExport } from '../../src/main/core/transfer/export-file';
import { issueCertificate } from '../../tools/certificates';
import type { DemoKeyManager } from '../../tools/demo-key-manager';
import { expect, SCREENSHOTS, shot, test } from '../support/app-fixture';
import { scriptedDialogs } from '../support/scripted-dialogs';
import { TestCipher } from '../support/test-cipher';

const PIN = `sha256/${createHash('sha256').update('the attacker key').digest('base64')}`;
const PROXY = 'http://127.0.0.1:3128';
const PASSPHRASE = 'correct horse battery';

/**
 * An export from another workstation: "Prod PKM" as it was, and the same file after someone added
 * Verify certificate No, a pin, a CA, a client certificate and a proxy to it (and recomputed the checksum).
 */
async function exportFile(dir: string, demo: DemoKeyManager, withPassphrase: boolean): Promise<string> {
  const source = path.join(dir, 'source');
  mkdirSync(source, { recursive: true });
  const dialogs = scriptedDialogs();
  const s = createKeybridgeService({ dataDir: source, cipher: new TestCipher(), dialogs });
  await s.saveConnection({ name: 'Prod PKM', serverAddress: demo.url, apiToken: demo.token, verifyCertificate: true });
  await s.saveConnection({ name: 'Thales STA', preset: 'thales-sta', serverAddress: demo.url, authMethod: 'header', authIdentity: 'apikey', verifyCertificate: true });
  dialogs.save = path.join(dir, 'plain.json');
  await s.exportConnections({ includeSecrets: false });
  const file = JSON.parse(readFileSync(dialogs.save, 'utf8'));
  const ca = await issueCertificate({ commonName: 'Collector CA', isCa: true });
  const prod = file.connections[0];
  prod.trust = { verifyCertificate: false, pinnedSpki: PIN, extraCaPem: [ca.certPem], useSystemCa: false };
  prod.proxy = PROXY;
  prod.clientCertificate = { subject: 'CN=portal-client', validTo: '2030-01-01T00:00:00.000Z', format: 'pem' };
  const secrets = withPassphrase ? new Map([[String(prod.id), demo.token]]) : null;
  const out = path.join(dir, withPassphrase ? 'sealed.json' : 'changed.json');
  writeFileSync(out, await writeExport(file.connections, secrets, withPassphrase ? PASSPHRASE : null, file.exportedAt));
  return out;
}

async function openPreview(app: Page) {
  // Tall enough for the whole preview in a screenshot (the pane scrolls inside the window).
  await app.setViewportSize({ width: 1180, height: 1500 });
  await app.getByRole('button', { name: 'Export and import' }).click();
  await app.getByRole('button', { name: 'Import connections…' }).click();
  return app.getByRole('group', { name: 'What the import creates' });
}

test('a file without a passphrase: every trust setting shown, none kept unless ticked', async ({ app, bridge, dir, demo }) => {
  bridge.dialogs.open = await exportFile(dir, demo, false);
  const preview = await openPreview(app);
  await expect(preview).toContainText('cannot prove who wrote it');
  const prod = preview.getByRole('group', { name: 'Settings of Prod PKM' });
  await expect(prod).toContainText('Token (Authorization: Bearer)');
  await expect(prod).toContainText('/api/v3/');
  await expect(prod).toContainText('No: the certificate is not checked');
  await expect(prod).toContainText(PIN);
  await expect(prod).toContainText('Collector CA');
  await expect(prod).toContainText(/SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}/);
  await expect(prod).toContainText('CN portal-client'); // the name's fields, not one raw string
  await expect(prod).toContainText('Not imported: its private key never leaves the other workstation');
  await expect(prod).toContainText(PROXY);
  const keep = prod.getByRole('checkbox', { name: 'Keep these settings' });
  await expect(keep).not.toBeChecked();
  await expect(keep).toHaveAccessibleDescription(/Not kept: this file has no passphrase.*Verify certificate Yes, no pinned key/);
  // The untouched connection has nothing to keep.
  const sta = preview.getByRole('group', { name: 'Settings of Thales STA' });
  await expect(sta).toContainText('API key in the header apikey');
  await expect(sta).toContainText('From the environment');
  await expect(sta.getByRole('checkbox')).toHaveCount(0);
  const axe = await new AxeBuilder({ page: app }).withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  await shot(app, 'import-preview-trust');
  await preview.screenshot({ path: path.join(SCREENSHOTS, 'import-preview-trust-detail.png') });

  await preview.getByRole('button', { name: 'Import 2 connections' }).click();
  await expect(app.getByText(/Imported 2 connection\(s\) .*trust settings set to the safe defaults for 1\./)).toBeVisible();
  const imported = (await bridge.service.listConnections()).find((c) => c.name === 'Prod PKM');
  expect(imported).toMatchObject({ verifyCertificate: true, pinnedSpki: null, extraCas: [], clientCertificate: null, proxy: '' });
});

test('a file without a passphrase: ticked, the settings of that connection are kept', async ({ app, bridge, dir, demo }) => {
  bridge.dialogs.open = await exportFile(dir, demo, false);
  const preview = await openPreview(app);
  const keep = preview.getByRole('group', { name: 'Settings of Prod PKM' }).getByRole('checkbox', { name: 'Keep these settings' });
  await keep.check();
  await expect(keep).toHaveAccessibleDescription(/Kept: the token for this connection will be sent as these settings say/);
  await shot(app, 'import-preview-trust-kept');
  await preview.getByRole('button', { name: 'Import 2 connections' }).click();
  await expect(app.getByText(/trust settings kept for 1\./)).toBeVisible();
  const imported = (await bridge.service.listConnections()).find((c) => c.name === 'Prod PKM');
  expect(imported).toMatchObject({ verifyCertificate: false, pinnedSpki: PIN, proxy: PROXY, clientCertificate: null });
});

test('a file authenticated by its passphrase: the settings are shown and come as they are', async ({ app, bridge, dir, demo }) => {
  bridge.dialogs.open = await exportFile(dir, demo, true);
  await openPreview(app);
  await app.getByLabel('Passphrase of the export').fill(PASSPHRASE);
  await app.getByRole('button', { name: 'Import connections…' }).click();
  const preview = app.getByRole('group', { name: 'What the import creates' });
  await expect(preview).toContainText('Protected by the passphrase');
  const prod = preview.getByRole('group', { name: 'Settings of Prod PKM' });
  await expect(prod).toContainText(PIN);
  await expect(prod).toContainText(PROXY);
  await expect(prod).toContainText('Imported as they are: the passphrase proves');
  await expect(prod.getByRole('checkbox')).toHaveCount(0);
  await shot(app, 'import-preview-trust-passphrase');
  await preview.getByRole('button', { name: 'Import 2 connections' }).click();
  await expect(app.getByText(/Imported 2 connection\(s\) \(1 with secrets\).*trust settings kept for 1\./)).toBeVisible();
  expect((await bridge.service.listConnections()).find((c) => c.name === 'Prod PKM')).toMatchObject({ pinnedSpki: PIN, proxy: PROXY });
  for (const answer of bridge.answers) expect(answer).not.toContain(demo.token);
});

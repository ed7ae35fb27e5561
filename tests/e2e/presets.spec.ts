// Each key manager product set up in the window as an admin would: choose the product, read its
// first-run steps, import the file it handed out, Save and test connection against its emulator.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { PRESETS, type PresetId } from '../../src/shared/presets';
import { startDemoKeyManager, type DemoOptions } from '../../tools/demo-key-manager';
import { CIPHERINSIGHTS_OPENAPI } from '../../tools/emulators';
import { expect, result, shot, test } from '../support/app-fixture';
import { fillConnection, openSection } from '../support/connection-form';

async function setUp(app: Page, bridge: { dialogs: { open: string | null } }, preset: PresetId, options: DemoOptions = {}) {
  const demo = await startDemoKeyManager({ preset, ...options });
  await app.getByLabel('Key manager product').selectOption(preset);
  await expect(app.getByText(`How to get the`)).toBeVisible();
  await app.getByLabel('Connection name').fill(PRESETS[preset].product);
  await app.getByLabel('Server address').fill(demo.address);
  if (preset === 'cipherinsights') {
    // The header is not public: the product's OpenAPI specification says which it is.
    const spec = path.join(path.dirname(demo.tokenFile), 'cipherinsights-openapi.json');
    writeFileSync(spec, JSON.stringify(CIPHERINSIGHTS_OPENAPI));
    bridge.dialogs.open = spec;
    await app.getByRole('button', { name: 'Import OpenAPI specification…' }).click();
    await expect(app.getByText('the key in the X-API-Key header; 1 test request(s)')).toBeVisible();
    await openSection(app, 'Authentication');
    await expect(app.getByLabel('Header name')).toHaveValue('X-API-Key');
    await openSection(app, 'Key details');
    await expect(app.getByLabel('Test endpoint')).toHaveValue('/api/v1/assessments');
    // Or from the server itself, trusted as the form says (Verify certificate is still Yes: refused).
    await openSection(app, 'General');
    await app.getByLabel('or download it from').fill(`${demo.url}/openapi.json`);
    await app.getByRole('button', { name: 'Download' }).click();
    await expect(app.getByText(/could not be downloaded from .*Self-signed certificate/)).toBeVisible();
    await fillConnection(app, { verify: 'No' });
    await openSection(app, 'General');
    await app.getByRole('button', { name: 'Download' }).click();
    await expect(app.getByText('the key in the X-API-Key header; 1 test request(s)')).toBeVisible();
  }
  bridge.dialogs.open = demo.tokenFile;
  await openSection(app, 'Authentication');
  await app.getByRole('button', { name: 'Import from file…' }).click();
  await expect(app.getByText(/Imported .*\(••••/)).toBeVisible();
  await fillConnection(app, { verify: 'No' });
  await openSection(app, 'General');
  return demo;
}

for (const preset of ['privx', 'passportal', 'thales-sta', 'cipherinsights', 'manageengine-pmp', 'generic'] as const) {
  test(`${PRESETS[preset].product}: set up from its key file, Save and test connection succeeds`, async ({ app, bridge }) => {
    const demo = await setUp(app, bridge, preset);
    try {
      await expect(app.getByText(PRESETS[preset].setup[0]!)).toBeVisible();
      if (preset === 'generic') {
        // A generic API: the admin says what success looks like.
        await openSection(app, 'Key details');
        await app.getByLabel('Success rule').fill('status=ok');
      }
      if (preset === 'passportal') {
        await openSection(app, 'Authentication');
        await expect(app.getByLabel('Scope')).toHaveAttribute('placeholder', 'docs_api');
      }
      await app.screenshot({ path: `test-results/screenshots/preset-${preset}-form.png` });
      await app.getByRole('button', { name: 'Save and test connection' }).click();
      await expect(result(app).getByRole('heading', { name: 'Connection successful' })).toBeVisible();
      await result(app).evaluate((region) => region.scrollIntoView({ block: 'start' }));
      await shot(app, `preset-${preset}-success`);
      expect(await app.content()).not.toContain(demo.token);
    } finally {
      await demo.close();
    }
  });
}

test('Password Manager Pro: an API user bound to another host is explained, naming this workstation', async ({ app, bridge }) => {
  const demo = await setUp(app, bridge, 'manageengine-pmp', { boundHost: 'build-07.example.com' });
  try {
    await app.getByRole('button', { name: 'Save and test connection' }).click();
    await expect(result(app)).toContainText('User is not allowed to access from this host');
    await expect(result(app)).toContainText('A Password Manager Pro API user is bound to one host');
    await result(app).evaluate((region) => region.scrollIntoView({ block: 'start' }));
    await shot(app, 'preset-manageengine-pmp-wrong-host');
  } finally {
    await demo.close();
  }
});

test('Thales STA: the zone and tenant code build the address; a Passportal key file switches the product', async ({ app, bridge }) => {
  await app.getByLabel('Key manager product').selectOption('thales-sta');
  await app.getByLabel('Zone').fill('eu');
  await app.getByLabel('Tenant code').fill('ACME1234');
  await expect(app.getByLabel('Server address')).toHaveValue('https://api.eu.safenetid.com/api/v1/tenants/ACME1234/');
  const demo = await startDemoKeyManager({ preset: 'passportal' });
  try {
    await app.getByLabel('Key manager product').selectOption('privx');
    bridge.dialogs.open = demo.tokenFile;
    await openSection(app, 'Authentication');
    await app.getByRole('button', { name: 'Import from file…' }).click();
    await expect(app.getByLabel('Access key ID')).toHaveValue(demo.accessKeyId);
    await openSection(app, 'General');
    await expect(app.getByLabel('Key manager product')).toHaveValue('passportal');
  } finally {
    await demo.close();
  }
});

// Driving the connection form as an admin does: its sections are tabs (General, Authentication,
// TLS, Proxy, Key details), so a field is reached by opening its tab first.
import type { Page } from '@playwright/test';

export type SectionName = 'General' | 'Authentication' | 'TLS' | 'Proxy' | 'Key details';

/** Opens a section of the connection form. */
export async function openSection(app: Page, name: SectionName): Promise<void> {
  await app.getByRole('form', { name: 'Connection settings' }).getByRole('tab', { name: new RegExp(`^${name}`) }).click();
}

export interface ConnectionValues {
  product?: string;
  name?: string;
  address?: string;
  token?: string;
  verify?: 'Yes' | 'No';
}

/** Fills what is given, section by section, and leaves the form on the last section it used. */
export async function fillConnection(app: Page, values: ConnectionValues): Promise<void> {
  if (values.product !== undefined || values.name !== undefined || values.address !== undefined) await openSection(app, 'General');
  if (values.product !== undefined) await app.getByLabel('Key manager product').selectOption({ label: values.product });
  if (values.name !== undefined) await app.getByLabel('Connection name').fill(values.name);
  if (values.address !== undefined) await app.getByLabel('Server address').fill(values.address);
  if (values.token !== undefined) {
    await openSection(app, 'Authentication');
    await app.getByLabel('API token').fill(values.token);
  }
  if (values.verify !== undefined) {
    await openSection(app, 'TLS');
    await app.getByRole('radio', { name: values.verify }).click();
  }
}

/** The action bar's one test button, whatever it says now. */
export const testButton = (app: Page) => app.getByRole('group', { name: 'Test' }).getByRole('button').first();

// After a passing test: what to enter in the portal's connection page, in the portal's own words
// where the product documents them (PrivX's User Portal, "PKM connection"), and what the portal will
// need to trust the certificate as Keybridge did (#17, item 7). Never a secret: the secret is named
// by where the admin has it. Pure: the window shows it, the text copies it.
import { PRESETS } from './presets';
import type { ConnectionView, TestReport } from './types';

export interface PortalRow {
  label: string;
  value: string;
}

export interface PortalSettings {
  /** Where in the portal these go, when the product says so. */
  where: string | null;
  rows: PortalRow[];
}

const METHOD_WORDS = {
  bearer: 'Token',
  header: 'API key in a header',
  basic: 'User name and password',
  'passportal-hmac': 'Access key (HMAC)',
} as const;

export function portalSettings(connection: ConnectionView, report: TestReport): PortalSettings | null {
  if (!report.ok) return null;
  const preset = PRESETS[connection.preset];
  const privx = connection.preset === 'privx';
  const rows: PortalRow[] = [{ label: 'Server address', value: connection.reaches?.address ?? connection.serverAddress }];
  rows.push({ label: privx ? 'API Authentication Method' : 'Authentication', value: METHOD_WORDS[connection.authMethod] });
  if (connection.authMethod === 'header' && connection.authIdentity) rows.push({ label: 'Header name', value: connection.authIdentity });
  if (connection.authMethod === 'basic' && connection.authIdentity) rows.push({ label: 'User name', value: connection.authIdentity });
  if (connection.authMethod === 'passportal-hmac' && connection.authIdentity) rows.push({ label: 'Access key ID', value: connection.authIdentity });
  rows.push({ label: privx ? 'API-token' : preset.secretLabel, value: privx ? 'the text in the token file you downloaded (Keybridge keeps its own copy and never shows it)' : `${preset.keyFrom} (Keybridge never shows it)` });

  const trust = report.tls?.trustSource;
  const fingerprint = report.certificate?.sha256;
  if (trust === 'not verified') {
    rows.push({ label: 'Verify certificate', value: 'No, as tested here: the certificate is not checked. For production, install a certificate from a trusted CA on the key manager and choose Yes.' });
  } else if (trust === 'pinned certificate') {
    rows.push({ label: 'Verify certificate', value: 'Yes, once the portal trusts this certificate: Keybridge trusts it by its key; give the portal the CA certificate that issued it, or No for an evaluation server.' });
  } else if (trust === 'custom CA') {
    rows.push({ label: 'Verify certificate', value: 'Yes, with the CA certificate this connection trusts installed where the portal reads its CAs.' });
  } else {
    rows.push({ label: 'Verify certificate', value: 'Yes' });
  }
  if (fingerprint && trust !== 'built-in CAs' && trust !== 'OS trust store') rows.push({ label: 'Certificate fingerprint (SHA-256)', value: fingerprint });
  return { where: privx ? 'User Portal → Management Portal (…/admin/) → PKM connection, then Save and test connection' : null, rows };
}

/** The settings as text, for the clipboard. */
export const portalSettingsText = (settings: PortalSettings): string =>
  [settings.where ? `In ${settings.where}:` : 'In the portal:', ...settings.rows.map((row) => `${row.label}: ${row.value}`)].join('\n');

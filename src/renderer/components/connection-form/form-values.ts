// The connection form's values: what a saved connection shows in the form (valuesOf), and what a
// submit sends to main (inputOf). Pure, so the mapping is unit-tested without a browser
// (tests/unit/form-values.test.ts); the form component only renders and reacts. No zod here: the
// schema (form-schema.ts) loads after the window is drawn.
import type { ConnectionInput } from '../../../shared/contract';
import { startingProduct } from '../../../shared/connection-profile';
import { PRESETS } from '../../../shared/presets';
import { readProxySetting, storedProxySetting } from '../../../shared/proxy-setting';
import type { ConnectionView, TokenImport } from '../../../shared/types';
import type { FormValues } from './form-schema';

/** The URL of a custom proxy setting, or ''. */
const customProxyUrl = (stored: string): string => {
  const setting = readProxySetting(stored);
  return setting.kind === 'custom' ? setting.url : '';
};

export type { FormValues } from './form-schema';

/** What the form shows for a saved connection, or for a new one. */
export function valuesOf(connection: ConnectionView | null): FormValues {
  const preset = connection?.preset ?? startingProduct();
  return {
    preset,
    name: connection?.name ?? '',
    serverAddress: connection?.serverAddress ?? '',
    authMethod: connection?.authMethod ?? PRESETS[preset].auth,
    authIdentity: connection?.authIdentity ?? '',
    endpoint: connection?.endpoint ?? '',
    successRule: connection?.successRule ?? '',
    authScope: connection?.authScope ?? '',
    apiToken: '',
    verifyCertificate: connection?.verifyCertificate === false ? 'no' : 'yes',
    useSystemCa: connection?.useSystemCa ?? false,
    proxyMode: connection ? readProxySetting(connection.proxy).kind : 'environment',
    proxyUrl: connection ? customProxyUrl(connection.proxy) : '',
    owner: connection?.owner ?? '',
    keyName: connection?.keyName ?? '',
    neverExpires: connection ? connection.expiresOn === null : true,
    expiresOn: connection?.expiresOn ?? '',
    boundHost: connection?.boundHost ?? '',
    description: connection?.description ?? '',
  };
}

/** What a submit sends to main: a pending key file instead of the pasted field, Passportal's scope only for its method. */
export function inputOf(values: FormValues, connection: ConnectionView | null, imported: TokenImport | null): ConnectionInput {
  return {
    id: connection?.id,
    preset: values.preset,
    name: values.name,
    serverAddress: values.serverAddress,
    authMethod: values.authMethod,
    authIdentity: values.authIdentity,
    endpoint: values.endpoint,
    successRule: values.successRule,
    ...(values.authMethod === 'passportal-hmac' ? { authScope: values.authScope } : {}),
    ...(imported ? { tokenImportId: imported.importId } : { apiToken: values.apiToken }),
    verifyCertificate: values.verifyCertificate === 'yes',
    useSystemCa: values.useSystemCa,
    proxy: storedProxySetting(values.proxyMode === 'custom' ? { kind: 'custom', url: values.proxyUrl } : { kind: values.proxyMode }),
    owner: values.owner,
    keyName: values.keyName,
    expiresOn: values.neverExpires ? null : values.expiresOn,
    boundHost: values.boundHost,
    description: values.description,
  };
}

/** Which field a refusal from main belongs to. */
export const FIELD_OF: Record<string, keyof FormValues> = {
  'invalid-address': 'serverAddress',
  'invalid-token': 'apiToken',
  'invalid-key-file': 'apiToken',
  'import-expired': 'apiToken',
  'invalid-auth': 'authIdentity',
  'invalid-proxy': 'proxyUrl',
  'invalid-success-rule': 'successRule',
  'invalid-scope': 'authScope',
  'origin-change-declined': 'serverAddress',
  'origin-change-unconfirmed': 'serverAddress',
  'unchecked-route-declined': 'apiToken',
  'unchecked-route-unconfirmed': 'apiToken',
};

/** scheme://host:port of what the admin typed, as far as the window can tell (main decides); '' when it does not parse. */
export function originOf(address: string): string {
  const text = address.trim();
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`).origin;
  } catch {
    // Never the text itself: it is shown, and text that is not an address may hold anything.
    return '';
  }
}

/** The form's sections, in tab order (as MongoDB Compass groups a connection's settings). */
export const SECTIONS = ['general', 'authentication', 'tls', 'proxy', 'details'] as const;
export type Section = (typeof SECTIONS)[number];
export const SECTION_LABELS: Record<Section, string> = { general: 'General', authentication: 'Authentication', tls: 'TLS', proxy: 'Proxy', details: 'Key details' };

/** The section each field is in: a section's errors are counted on its tab. */
export const SECTION_OF: Record<keyof FormValues, Section> = {
  preset: 'general',
  name: 'general',
  serverAddress: 'general',
  authMethod: 'authentication',
  authIdentity: 'authentication',
  authScope: 'authentication',
  apiToken: 'authentication',
  verifyCertificate: 'tls',
  useSystemCa: 'tls',
  proxyMode: 'proxy',
  proxyUrl: 'proxy',
  owner: 'details',
  keyName: 'details',
  neverExpires: 'details',
  expiresOn: 'details',
  boundHost: 'details',
  endpoint: 'details',
  successRule: 'details',
  description: 'details',
};

/** How many fields in error each section holds. */
export function errorCounts(errors: Partial<Record<string, unknown>>): Record<Section, number> {
  const counts: Record<Section, number> = { general: 0, authentication: 0, tls: 0, proxy: 0, details: 0 };
  for (const name of Object.keys(errors)) {
    const section = SECTION_OF[name as keyof FormValues];
    if (section) counts[section] += 1;
  }
  return counts;
}

/** The first field in error, in the order the form shows them (tab order, then field order). */
export function firstInvalid(errors: Partial<Record<string, unknown>>): keyof FormValues | null {
  const names = (Object.keys(SECTION_OF) as Array<keyof FormValues>).filter((name) => errors[name]);
  names.sort((a, b) => SECTIONS.indexOf(SECTION_OF[a]) - SECTIONS.indexOf(SECTION_OF[b]));
  return names[0] ?? null;
}

/**
 * A test verdict that is about one setting: the field it marks and the section that holds it, so the
 * form points at what to change (the fix offered there). Verdicts about the network or the server
 * itself mark nothing.
 */
export type VerdictMark = { field: 'apiToken' | 'serverAddress' | 'endpoint' | 'verifyCertificate' | 'clientCertificate' | 'proxy'; section: Section };

export function verdictMark(verdict: string | undefined): VerdictMark | null {
  switch (verdict) {
    case 'no-token':
    case 'http-unauthorized':
    case 'auth-rejected':
      return { field: 'apiToken', section: 'authentication' };
    case 'invalid-address':
    case 'insecure-http-refused':
    case 'dns-not-found':
    case 'tls-hostname-mismatch':
    case 'tls-not-tls':
      return { field: 'serverAddress', section: 'general' };
    case 'http-not-found':
      return { field: 'endpoint', section: 'details' };
    case 'tls-self-signed':
    case 'tls-untrusted-root':
    case 'tls-incomplete-chain':
    case 'tls-pin-mismatch':
      return { field: 'verifyCertificate', section: 'tls' };
    case 'tls-client-cert-required':
    case 'tls-client-cert-rejected':
    case 'client-certificate-unusable':
      return { field: 'clientCertificate', section: 'tls' };
    case 'proxy-failure':
      return { field: 'proxy', section: 'proxy' };
    default:
      return null;
  }
}

/** The DNS names and IP addresses a certificate names ("DNS:a.example", "IP Address:10.0.0.1" in Node's notation). */
export function certificateNames(subjectAltNames: readonly string[]): string[] {
  const names = subjectAltNames.map((entry) => entry.replace(/^(DNS|IP Address):/i, '').trim()).filter((name) => /^[\w.*:-]+$/.test(name));
  return [...new Set(names)].slice(0, 20);
}

/** The address with its host replaced by `host` (scheme, port and path kept); a wildcard name is not a host to use. */
export function withHost(address: string, host: string): string | null {
  if (host.includes('*')) return null;
  const text = address.trim();
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  try {
    const url = new URL(hasScheme ? text : `https://${text}`);
    url.hostname = host.includes(':') ? `[${host}]` : host;
    const out = url.toString().replace(/\/$/, '');
    return hasScheme ? out : out.replace(/^https:\/\//, '');
  } catch {
    return null;
  }
}

// The connection form's values: what a saved connection shows in the form (valuesOf), and what a
// submit sends to main (inputOf). Pure, so the mapping is unit-tested without a browser
// (tests/unit/connection-form-values.test.ts); the form component only renders and reacts.
import { z } from 'zod';
import { AUTH_METHODS, connectionInputSchema, type ConnectionInput } from '../shared/contract';
import { startingProduct } from '../shared/connection-profile';
import { PRESET_IDS, PRESETS } from '../shared/presets';
import { readProxySetting, storedProxySetting } from '../shared/proxy-setting';
import type { ConnectionView, TokenImport } from '../shared/types';

/** The URL of a custom proxy setting, or ''. */
const customProxyUrl = (stored: string): string => {
  const setting = readProxySetting(stored);
  return setting.kind === 'custom' ? setting.url : '';
};

export const formSchema = z.object({
  preset: z.enum(PRESET_IDS),
  name: connectionInputSchema.shape.name,
  serverAddress: connectionInputSchema.shape.serverAddress,
  authMethod: z.enum(AUTH_METHODS),
  authIdentity: connectionInputSchema.shape.authIdentity.unwrap(),
  endpoint: connectionInputSchema.shape.endpoint.unwrap(),
  successRule: connectionInputSchema.shape.successRule.unwrap(),
  authScope: connectionInputSchema.shape.authScope.unwrap(),
  apiToken: z.string(),
  verifyCertificate: z.enum(['yes', 'no']),
  useSystemCa: z.boolean(),
  proxyMode: z.enum(['environment', 'none', 'custom']),
  proxyUrl: z.string().max(2048),
  owner: connectionInputSchema.shape.owner.unwrap(),
  keyName: connectionInputSchema.shape.keyName.unwrap(),
  neverExpires: z.boolean(),
  expiresOn: z.string(),
  boundHost: connectionInputSchema.shape.boundHost.unwrap(),
  description: connectionInputSchema.shape.description.unwrap(),
});
export type FormValues = z.input<typeof formSchema>;

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

/** scheme://host:port of what the admin typed, as far as the window can tell (main decides). */
export function originOf(address: string): string {
  const text = address.trim();
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`).origin;
  } catch {
    return text;
  }
}

// Product rules the window, the service and the CLI share, written once: how a product, the chosen
// method and an imported key become an authentication setting (authFor), what a product change
// keeps, what an OpenAPI specification sets. Pure, and no zod: the CLI loads it at every start.
// The proxy setting (proxy-setting.ts) and the limits (limits.ts) are its neighbours.
import { PRESET_IDS, PRESETS, type AuthMethod, type Preset, type PresetId } from './presets';
import type { OpenApiSummary } from './types';

/** What an OpenAPI specification sets for a product: how the key is sent, and the request to test. */
export interface SpecSettings {
  /** Only a method the product offers; absent when the specification names none it can use. */
  auth?: { method: AuthMethod; headerName?: string };
  endpoint?: string;
}

export function specSettings(preset: Preset, summary: OpenApiSummary): SpecSettings {
  const auth = summary.auth && preset.methods.includes(summary.auth.method) ? summary.auth : null;
  return {
    ...(auth ? { auth: auth.method === 'header' ? { method: 'header', headerName: auth.headerName } : { method: auth.method } } : {}),
    ...(summary.endpoints[0] ? { endpoint: summary.endpoints[0] } : {}),
  };
}

/** How a connection authenticates, without its secret: what is stored, exported and shown. */
export type AuthSetting =
  | { method: 'bearer' }
  | { method: 'header'; headerName: string }
  | { method: 'basic'; username: string }
  /** scope: the access token's scope (Passportal's default docs_api when absent). */
  | { method: 'passportal-hmac'; accessKeyId: string; scope?: string };

/** Headers that a named API-key header may not replace. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'content-type', 'transfer-encoding', 'connection', 'cookie', 'user-agent', 'accept']);

/** Why a header cannot carry an API key, or null when it can. */
export function checkHeaderName(name: string): string | null {
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/.test(name)) return `"${name.slice(0, 64)}" is not a valid HTTP header name.`;
  if (RESERVED_HEADERS.has(name.toLowerCase())) return `The header "${name}" cannot carry an API key.`;
  return null;
}

/** A Passportal scope: letters, digits and _ . : - (docs_api by default). */
export const SCOPE_PATTERN = /^[A-Za-z0-9_.:-]{1,100}$/;
export const SCOPE_MESSAGE = 'A scope is letters, digits and _ . : - (Passportal: docs_api).';

/** What the admin chose (the form's fields, the CLI's options); absent = not given. */
export interface AuthChoice {
  method?: AuthMethod;
  /** Header name (header), user name (basic) or Access key ID (passportal-hmac). */
  identity?: string;
  /** Passportal's scope; '' clears it, absent keeps the saved one. */
  scope?: string;
}

/** What is already known: the saved connection (its product and setting) and an imported key file. */
export interface AuthContext {
  existing?: { preset: string; auth: AuthSetting };
  imported?: { kind: string; accessKeyId?: string | undefined };
}

export type AuthProblem = 'method-not-offered' | 'missing-identity' | 'invalid-header-name' | 'invalid-scope';
export type AuthOutcome = { ok: true; auth: AuthSetting } | { ok: false; problem: AuthProblem; message: string };

/** The product a method belongs to when none is named: the one whose own method it is, when the generic product does not offer it (an access key pair: Passportal). */
export function productForMethod(method: AuthMethod): PresetId {
  if (PRESETS.generic.methods.includes(method)) return 'generic';
  return PRESET_IDS.find((id) => PRESETS[id].auth === method) ?? 'generic';
}

/** The product a new connection starts as: the first of the list, or the one an imported access key pair is for. */
export function startingProduct(imported?: AuthContext['imported']): PresetId {
  return imported?.kind === 'access-key-pair' ? productForMethod('passportal-hmac') : PRESET_IDS[0];
}

/** The method a connection of this product starts with: its own, or Passportal's for an access key pair. */
export function startingMethod(preset: Preset, imported?: AuthContext['imported']): AuthMethod {
  return imported?.kind === 'access-key-pair' && preset.methods.includes('passportal-hmac') ? 'passportal-hmac' : preset.auth;
}

/**
 * The authentication setting a save (window, service) or a test (CLI) uses: the chosen method, or
 * the saved one while the product stays, or the product's own; each method's identity from the
 * choice, an imported key file, the saved setting or the product (its header); checked.
 */
export function authFor(preset: Preset, choice: AuthChoice, context: AuthContext = {}): AuthOutcome {
  const saved = context.existing?.auth;
  const kept = context.existing && context.existing.preset === preset.id ? saved?.method : undefined;
  const method = choice.method ?? kept ?? startingMethod(preset, context.imported);
  if (!preset.methods.includes(method)) return { ok: false, problem: 'method-not-offered', message: `${preset.product} does not use this authentication method.` };
  const identity = (choice.identity ?? '').trim();
  switch (method) {
    case 'bearer':
      return { ok: true, auth: { method } };
    case 'header': {
      const headerName = identity || (saved?.method === 'header' ? saved.headerName : (preset.headerName ?? ''));
      if (!headerName) return { ok: false, problem: 'missing-identity', message: 'Enter the name of the header that carries the API key, e.g. apikey or AUTHTOKEN.' };
      const problem = checkHeaderName(headerName);
      return problem ? { ok: false, problem: 'invalid-header-name', message: problem } : { ok: true, auth: { method, headerName } };
    }
    case 'basic': {
      const username = identity || (saved?.method === 'basic' ? saved.username : '');
      if (!username) return { ok: false, problem: 'missing-identity', message: 'Enter the user name for HTTP Basic authentication.' };
      return { ok: true, auth: { method, username } };
    }
    case 'passportal-hmac': {
      const accessKeyId = identity || context.imported?.accessKeyId || (saved?.method === 'passportal-hmac' ? saved.accessKeyId : '');
      if (!accessKeyId) return { ok: false, problem: 'missing-identity', message: 'Enter the Access key ID.' };
      const scope = choice.scope === undefined ? (saved?.method === 'passportal-hmac' ? saved.scope : undefined) : choice.scope.trim() || undefined;
      if (scope !== undefined && !SCOPE_PATTERN.test(scope)) return { ok: false, problem: 'invalid-scope', message: SCOPE_MESSAGE };
      return { ok: true, auth: { method, accessKeyId, ...(scope ? { scope } : {}) } };
    }
  }
}

/**
 * The method and header name after the admin picks another product: a method of the admin's own
 * choosing stays where the new product offers it; the previous product's own method was not a
 * choice, so the new product's is taken; a header name the admin did not type follows the product.
 */
export function afterProductChange(before: Preset, after: Preset, current: { method: AuthMethod; identity: string }): { method: AuthMethod; identity: string } {
  const method = after.methods.includes(current.method) && current.method !== before.auth ? current.method : after.auth;
  const typed = current.identity !== '' && current.identity !== before.headerName;
  return { method, identity: method === 'header' && !typed ? (after.headerName ?? '') : current.identity };
}

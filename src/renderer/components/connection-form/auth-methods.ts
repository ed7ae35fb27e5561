// The seeds' words for each authentication method, and what its "identity" field is called.
import type { Preset } from '../../../shared/presets';
import type { AuthMethod } from '../../../shared/types';

interface MethodWords {
  label: string;
  secret: string;
  identity: string | null;
  identityHelp?: string;
}

export const METHODS: Record<AuthMethod, MethodWords> = {
  bearer: { label: 'Token (Authorization: Bearer)', secret: 'API token', identity: null },
  header: { label: 'API key in a header', secret: 'API key', identity: 'Header name', identityHelp: 'For example apikey (Thales STA) or AUTHTOKEN (Password Manager Pro).' },
  basic: { label: 'User name and password (HTTP Basic)', secret: 'Password', identity: 'User name' },
  'passportal-hmac': { label: 'Access key (Passportal HMAC)', secret: 'Secret access key', identity: 'Access key ID' },
};

/** The product's own words for its secret when its own method is used, else the method's. */
export function wordsFor(preset: Preset, method: AuthMethod): MethodWords {
  return method === preset.auth ? { ...METHODS[method], secret: preset.secretLabel, identity: preset.identityLabel ?? METHODS[method].identity } : METHODS[method];
}

/** "API token", "API key", "password", "secret access key": for use inside a sentence. */
export const secretNoun = (words: MethodWords): string => words.secret.replace(/^(?!API)\w/, (c) => c.toLowerCase());

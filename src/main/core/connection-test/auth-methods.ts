// How each authentication method puts its secret on the request. The secrets listed by
// `secretsOf` are redacted from anything a server sends back.
import { createHmac, randomBytes } from 'node:crypto';

export type AuthSpec =
  /** Authorization: Bearer <token> (seed 000). */
  | { method: 'bearer'; token: string }
  /** An API key in a named header: apikey (seed 002), AUTHTOKEN (seed 004), X-API-Key, ... */
  | { method: 'header'; headerName: string; key: string }
  | { method: 'basic'; username: string; password: string }
  /** Access key ID + secret access key, exchanged for an access token (Passportal, seed 001). */
  | { method: 'passportal-hmac'; accessKeyId: string; secretAccessKey: string; scope?: string }
  /** No secret: downloading a public document (a product's OpenAPI specification) over a judged connection. */
  | { method: 'none' };

// Which header may carry a key is a product rule the window checks too: shared/connection-profile.ts.
export { checkHeaderName } from '../../../shared/connection-profile';

export function secretsOf(auth: AuthSpec): string[] {
  switch (auth.method) {
    case 'bearer':
      return [auth.token];
    case 'header':
      return [auth.key];
    case 'basic':
      return [auth.password, Buffer.from(`${auth.username}:${auth.password}`).toString('base64')];
    case 'passportal-hmac':
      return [auth.secretAccessKey];
    case 'none':
      return [];
  }
}

/** Headers for the test request; for Passportal, `accessToken` comes from the exchange. */
export function authHeaders(auth: AuthSpec, accessToken?: string): Record<string, string> {
  switch (auth.method) {
    case 'bearer':
      return { authorization: `Bearer ${auth.token}` };
    case 'header':
      return { [auth.headerName.toLowerCase()]: auth.key };
    case 'basic':
      return { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` };
    case 'passportal-hmac':
      return { 'x-access-token': accessToken ?? '' };
    case 'none':
      return {};
  }
}

export const PASSPORTAL_TOKEN_PATH = '/api/v2/auth/client_token';

/** The signed exchange request: a fresh random content string each time, signed with the secret. */
export function passportalExchange(auth: Extract<AuthSpec, { method: 'passportal-hmac' }>): { headers: Record<string, string>; body: string } {
  const content = randomBytes(24).toString('hex');
  const hash = createHmac('sha256', auth.secretAccessKey).update(content).digest('hex');
  return {
    headers: { 'x-key': auth.accessKeyId, 'x-hash': hash, 'content-type': 'application/json' },
    body: JSON.stringify({ scope: auth.scope ?? 'docs_api', content }),
  };
}

export interface ExchangeAnswer {
  ok: boolean;
  accessToken?: string;
  expiresAt?: string;
  message?: string;
}

export function readPassportalAnswer(body: string): ExchangeAnswer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, message: 'the answer was not JSON' };
  }
  const answer = parsed as { success?: unknown; access_token?: unknown; expiry_time?: unknown; message?: unknown };
  if (answer.success === true && typeof answer.access_token === 'string' && answer.access_token !== '') {
    // A time no Date can hold (1e300) is left out rather than ending the test in an unexpected error.
    const when = typeof answer.expiry_time === 'number' ? new Date(answer.expiry_time * 1000) : null;
    const expiry = when && Number.isFinite(when.getTime()) ? when.toISOString() : undefined;
    return { ok: true, accessToken: answer.access_token, expiresAt: expiry };
  }
  return { ok: false, message: typeof answer.message === 'string' ? answer.message : undefined };
}

// How each key manager product answers its API, as its documentation says (shared/seeds): the
// success answer and the documented failures. The demo key manager serves one of these.
// Not shipped: a test and demo tool.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PresetId } from '../src/shared/presets';

export interface EmulatorSecrets {
  /** The API token or key (for Passportal: the secret access key). */
  token: string;
  /** Passportal: the Access key ID. */
  accessKeyId: string;
  /** Thales STA: the tenant code in the address. */
  tenant: string;
  /** Password Manager Pro: the host the API user is bound to ('' = the host calling). */
  boundHost: string;
  /** CipherInsights: the key is locked (403). */
  locked: boolean;
}

export interface Emulator {
  /** What the admin enters as the server address, given the server's origin. */
  address(origin: string): string;
  handle(req: IncomingMessage, body: string, res: ServerResponse, secrets: EmulatorSecrets): void;
}

const same = (given: string | undefined, expected: string): boolean => {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json', server: 'demo-key-manager' });
  res.end(JSON.stringify(body));
};

const bearerApi: Emulator = {
  address: (origin) => origin,
  handle(req, _body, res, secrets) {
    const url = new URL(req.url ?? '/', 'https://demo');
    if (req.method !== 'GET' || (url.pathname !== '/api/v3/' && url.pathname !== '/api/v3')) return json(res, 404, { error: 'not_found', message: 'No such API resource' });
    if (!same(req.headers.authorization, `Bearer ${secrets.token}`)) return json(res, 401, { error: 'unauthorized', message: 'API token missing or not valid' });
    return json(res, 200, { product: 'Demo Key Manager', apiVersion: 'v3', status: 'ok' });
  },
};

/** The scopes the emulated key may ask for (docs_api is Passportal's documented one). */
const PASSPORTAL_SCOPES = ['docs_api', 'users_api'];

/** N-able Passportal (seed 001): HMAC-signed exchange for an access token, then x-access-token. */
function passportal(): Emulator {
  const seenContents = new Set<string>();
  const issued = new Map<string, number>();
  return {
    address: (origin) => origin,
    handle(req, body, res, secrets) {
      const url = new URL(req.url ?? '/', 'https://demo');
      if (req.method === 'POST' && url.pathname === '/api/v2/auth/client_token') {
        let parsed: { scope?: unknown; content?: unknown };
        try {
          parsed = JSON.parse(body) as typeof parsed;
        } catch {
          return json(res, 400, { success: false, message: 'Invalid request body', code: 1002 });
        }
        const content = typeof parsed.content === 'string' ? parsed.content : '';
        const hash = createHmac('sha256', secrets.token).update(content).digest('hex');
        if (!same(String(req.headers['x-key'] ?? ''), secrets.accessKeyId) || !same(String(req.headers['x-hash'] ?? ''), hash) || content === '') {
          return json(res, 401, { success: false, message: 'Key verification failed', code: 1000 });
        }
        if (seenContents.has(content)) return json(res, 401, { success: false, message: 'Request content was already used', code: 1001 });
        if (!PASSPORTAL_SCOPES.includes(String(parsed.scope))) return json(res, 403, { success: false, message: 'Scope not allowed for this key', code: 1004 });
        seenContents.add(content);
        const accessToken = `pp_${createHmac('sha256', secrets.token).update(`${content}:token`).digest('hex').slice(0, 32)}`;
        const expiry = Math.floor(Date.now() / 1000) + 3600;
        issued.set(accessToken, expiry);
        return json(res, 200, { success: true, access_token: accessToken, expiry_time: expiry });
      }
      if (req.method === 'GET' && url.pathname === '/api/v2/documents') {
        const token = String(req.headers['x-access-token'] ?? '');
        if (!issued.has(token)) return json(res, 401, { success: false, message: 'Invalid or expired access token', code: 1003 });
        return json(res, 200, { success: true, results: [{ id: 1, name: 'Portal runbook' }], resultsPerPage: Number(url.searchParams.get('resultsPerPage') ?? 25) });
      }
      return json(res, 404, { success: false, message: 'Not found' });
    },
  };
}

const scimError = (res: ServerResponse, status: number, detail: string): void =>
  json(res, status, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], detail, status: String(status) });

/** Thales SafeNet Trusted Access (seed 002): header apikey, /api/v1/tenants/<code>/..., SCIM. */
const thalesSta: Emulator = {
  address: (origin) => `${origin}/api/v1/tenants/ACME1234/`,
  handle(req, _body, res, secrets) {
    const url = new URL(req.url ?? '/', 'https://demo');
    const match = /^\/api\/v1\/tenants\/([^/]+)\/(.*)$/.exec(url.pathname);
    if (!match) return scimError(res, 404, 'Resource not found');
    if (!same(String(req.headers.apikey ?? ''), secrets.token)) return scimError(res, 401, 'The API key is not valid or has expired');
    if (match[1] !== secrets.tenant) return scimError(res, 403, 'The API key has no access to this tenant');
    if (match[2] === 'scim/v2/Users') {
      return json(res, 200, { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 1, startIndex: 1, itemsPerPage: 1, Resources: [{ userName: 'svc_portal' }] });
    }
    if (match[2] === 'users') return json(res, 200, { page: { items: [{ userName: 'svc_portal' }] } });
    return scimError(res, 404, 'Resource not found');
  },
};

/** Keyfactor CipherInsights (seed 003): role-based keys, lockable; the header is named by its OpenAPI spec. */
const cipherInsights: Emulator = {
  address: (origin) => origin,
  handle(req, _body, res, secrets) {
    const url = new URL(req.url ?? '/', 'https://demo');
    if (url.pathname === '/openapi.json') return json(res, 200, CIPHERINSIGHTS_OPENAPI);
    const key = String(req.headers['x-api-key'] ?? '');
    if (!same(key, secrets.token)) return json(res, 401, { message: 'Missing or invalid API key' });
    if (secrets.locked) return json(res, 403, { message: 'This API key is locked' });
    if (url.pathname === '/' || url.pathname === '/api/v1/assessments') return json(res, 200, { items: [], total: 0 });
    return json(res, 404, { message: 'Not found' });
  },
};

export const CIPHERINSIGHTS_OPENAPI = {
  openapi: '3.0.3',
  info: { title: 'CipherInsights REST API (emulated)', version: '1.0' },
  servers: [{ url: '/' }],
  components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' } } },
  security: [{ apiKey: [] }],
  paths: {
    '/api/v1/assessments': { get: { summary: 'List assessments', parameters: [{ name: 'limit', in: 'query', required: false }] } },
    '/api/v1/assessments/{id}': { get: { summary: 'One assessment', parameters: [{ name: 'id', in: 'path', required: true }] } },
  },
};

/** ManageEngine Password Manager Pro (seed 004): AUTHTOKEN header, HTTP 200 with operation.result.status. */
const manageEnginePmp: Emulator = {
  address: (origin) => origin,
  handle(req, _body, res, secrets) {
    const url = new URL(req.url ?? '/', 'https://demo');
    const operation = (status: 'Success' | 'Failed', message: string, extra: object = {}): void =>
      json(res, 200, { operation: { name: 'GET RESOURCES', result: { status, message }, ...extra } });
    if (url.pathname !== '/restapi/json/v1/resources') return json(res, 404, { operation: { result: { status: 'Failed', message: 'Invalid URL' } } });
    if (url.searchParams.has('AUTHTOKEN')) return operation('Failed', 'Pass the API key in the AUTHTOKEN header, not in the URL');
    if (!same(String(req.headers.authtoken ?? ''), secrets.token)) return operation('Failed', 'Invalid API key received');
    if (secrets.boundHost !== '') return operation('Failed', `User is not allowed to access from this host`);
    return operation('Success', 'Resources fetched successfully', { totalRows: 1, Details: [{ 'RESOURCE NAME': 'db01', 'RESOURCE TYPE': 'Linux' }] });
  },
};

export function emulatorFor(preset: PresetId): Emulator {
  switch (preset) {
    case 'passportal':
      return passportal();
    case 'thales-sta':
      return thalesSta;
    case 'cipherinsights':
      return cipherInsights;
    case 'manageengine-pmp':
      return manageEnginePmp;
    case 'privx':
    case 'generic':
      return bearerApi;
  }
}

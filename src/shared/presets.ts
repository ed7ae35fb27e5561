// The key manager products Keybridge knows (the seeds in shared/seeds): how each authenticates,
// where its API is, what a successful answer looks like, what its secret is called, how the admin
// gets one, and what its typical failures mean. One table for the window, the core and the CLI.
// Pure: no node, no DOM.
export const AUTH_METHODS = ['bearer', 'header', 'basic', 'passportal-hmac'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

export const PRESET_IDS = ['privx', 'passportal', 'thales-sta', 'cipherinsights', 'manageengine-pmp', 'generic'] as const;
export type PresetId = (typeof PRESET_IDS)[number];

/** Success only when the JSON answer has `equals` at `jsonPath` (strings compared ignoring case). */
export interface JsonRule {
  jsonPath: string;
  equals: string | number | boolean | null;
  /** Where the failure's own words are, e.g. operation.result.message. */
  messagePath?: string;
}

export interface Preset {
  id: PresetId;
  product: string;
  vendor: string;
  /** The method a new connection starts with, and the ones the admin may pick. */
  auth: AuthMethod;
  methods: readonly AuthMethod[];
  /** For 'header': the header the product reads the key from. */
  headerName?: string;
  /** The port the product listens on when the address names none. */
  defaultPort?: number;
  /** The request that proves the key works: a path on the server. */
  endpoint: string;
  successRule?: JsonRule;
  /** The product's own words for the secret and for the identity field. */
  secretLabel: string;
  identityLabel?: string;
  /** What the product hands out: the file or value the admin imports. */
  keyFrom: string;
  /** The first-run steps, in the product's words: where to create the key, which role, how to download it. */
  setup: readonly string[];
  /** What a failure means for this product, by verdict (shown as the hint). */
  hints: Partial<Record<'http-unauthorized' | 'http-forbidden' | 'auth-rejected' | 'http-not-found', string>>;
  /** A detail the product does not document publicly, said in the window. */
  notPublic?: string;
  /** The product serves its OpenAPI specification: the window offers to import or download it. */
  offersSpecification?: true;
  /** The address is built from a zone and a tenant code (staAddress): the window asks for those. */
  zoneAndTenant?: true;
}

export const PRESETS: Record<PresetId, Preset> = {
  privx: {
    id: 'privx',
    product: 'PrivX Key Manager',
    vendor: 'SSH.com',
    auth: 'bearer',
    methods: ['bearer'],
    endpoint: '/api/v3/',
    secretLabel: 'API token',
    keyFrom: 'the token file from "Download Token" (a short text of random letters)',
    setup: [
      'In the PrivX GUI, as your admin user, go to Accounts → API tokens and click Create New Token.',
      'Specify the owner (the API user, e.g. user_portal_max) and a validity period, then Confirm.',
      'Run Download Token on the token (with your own credentials) and import that text file here.',
    ],
    hints: {
      'http-unauthorized': 'PrivX did not accept the API token. Check that the token has not expired or been deleted (Accounts → API tokens), then download it again and import it.',
      'http-forbidden': "The token's owner lacks the rights for this API. Check the owner account's roles in PrivX.",
    },
  },
  passportal: {
    id: 'passportal',
    product: 'N-able Passportal',
    vendor: 'N-able',
    auth: 'passportal-hmac',
    methods: ['passportal-hmac'],
    endpoint: '/api/v2/documents?resultsPerPage=1',
    successRule: { jsonPath: 'success', equals: true, messagePath: 'message' },
    secretLabel: 'Secret access key',
    identityLabel: 'Access key ID',
    keyFrom: 'the Access key ID and the Secret access key, shown once in the "Create access key" dialog',
    setup: [
      'In the Passportal dashboard, go to Settings → API Keys and click Create access key.',
      'Note the Access key ID, click Show key and copy the Secret access key: it is shown only in this dialog.',
      'Enter both here; Keybridge signs each exchange with HMAC-SHA256 and never sends the secret itself.',
    ],
    hints: {
      'http-unauthorized': 'Passportal refused the key pair ("Key verification failed"): check that the Access key ID and the Secret access key belong together and that the key was not deleted (Settings → API Keys).',
      'auth-rejected': 'Passportal answered without "success": true. Check the key pair and its scope.',
    },
  },
  'thales-sta': {
    id: 'thales-sta',
    product: 'Thales SafeNet Trusted Access',
    vendor: 'Thales',
    auth: 'header',
    methods: ['header'],
    headerName: 'apikey',
    endpoint: 'scim/v2/Users?startIndex=1&count=1',
    secretLabel: 'API key',
    keyFrom: 'the key file APIKey-<API key name>-<created date>.key',
    setup: [
      'On the STA Access Management console, select Settings → API Keys → Generate API Key.',
      'Give it a name and map it to a service account with access to this tenant, then Next.',
      'Select Download: the key is saved as APIKey-<name>-<date>.key. Import that file here; it cannot be downloaded again later.',
    ],
    hints: {
      'http-unauthorized': 'STA did not accept the API key. Keys can be renewed, renamed or deleted (Settings → API Keys): check that this one still exists and has not expired.',
      'http-forbidden': "The key's service account has no access to this tenant or virtual server.",
      'http-not-found': 'Check the zone and the tenant code: the address is https://api.<zone>.safenetid.com/api/v1/tenants/<tenant code>/.',
    },
    zoneAndTenant: true,
  },
  cipherinsights: {
    id: 'cipherinsights',
    product: 'Keyfactor CipherInsights',
    vendor: 'Keyfactor',
    auth: 'header',
    methods: ['header', 'bearer', 'basic'],
    // No headerName: it is not public (see notPublic); the OpenAPI specification or the admin names it.
    endpoint: '/',
    secretLabel: 'API key',
    keyFrom: 'a key created under Admin Area → Access Control → API Keys',
    setup: [
      'In the Analytics Hub portal, go to Admin Area → Access Control → API Keys and choose New API Key.',
      'Assign the roles the API needs (API access is role-based), then copy the key.',
      'Choose Download OpenAPI Spec on the same page: importing it here sets the authentication and the endpoints.',
    ],
    hints: {
      'http-forbidden': 'CipherInsights refused the key: it may be locked (Admin Area → Access Control → API Keys → Unlock), or its roles may not allow this request.',
      'http-unauthorized': 'CipherInsights did not accept the key. Check that it was not deleted, and that the header is the one the OpenAPI specification names.',
    },
    notPublic: 'The header that carries the key is not documented publicly: import the OpenAPI specification from the API Keys page, or enter the header your administrator gave you.',
    offersSpecification: true,
  },
  'manageengine-pmp': {
    id: 'manageengine-pmp',
    product: 'ManageEngine Password Manager Pro',
    vendor: 'ManageEngine',
    auth: 'header',
    methods: ['header'],
    headerName: 'AUTHTOKEN',
    defaultPort: 7272,
    endpoint: '/restapi/json/v1/resources',
    successRule: { jsonPath: 'operation.result.status', equals: 'Success', messagePath: 'operation.result.message' },
    secretLabel: 'API key (Auth Token)',
    keyFrom: "the API key generated for the API user (Users → Add API User → Enable REST API → Generate)",
    setup: [
      'In Password Manager Pro, click Users → Add User → Add API User.',
      'Enter the user name and the host it will call from (this workstation): an API user is bound to one host.',
      'Choose the access level, click Enable Now beside REST API, then Generate, and copy the API key here.',
    ],
    hints: {
      'auth-rejected': 'Password Manager Pro answered "Failed". Check the API key; and an API user is bound to one host: it must be this workstation.',
    },
  },
  generic: {
    id: 'generic',
    product: 'Other REST API',
    vendor: '',
    auth: 'bearer',
    methods: ['bearer', 'header', 'basic'],
    endpoint: '/api/v3/',
    secretLabel: 'API token',
    keyFrom: 'the token or key your key manager issued',
    setup: ['Create an API token or key for a service account in your key manager, then enter the address, the authentication method and the endpoint to test.'],
    hints: {},
  },
};

/** The PMP message for an API user bound to another host (seed 004). */
export const PMP_WRONG_HOST = /not allowed to access from this host/i;

/**
 * Thales STA's REST base address from its zone and tenant code (both validated): the full address
 * can still be typed instead, for a private deployment.
 */
export function staAddress(zone: string, tenant: string): { ok: true; address: string } | { ok: false; message: string } {
  const z = zone.trim().toLowerCase();
  const t = tenant.trim();
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(z) || z.length > 32) return { ok: false, message: 'The zone is the part of your STA address after "api.", e.g. eu or us (letters, digits and hyphens).' };
  if (!/^[A-Za-z0-9]{4,32}$/.test(t)) return { ok: false, message: 'The tenant code is 4 to 32 letters and digits, as shown in the STA console.' };
  return { ok: true, address: `https://api.${z}.safenetid.com/api/v1/tenants/${t}/` };
}

/**
 * A success rule as typed: PATH=VALUE, where VALUE is true, false, null, a number or a "quoted
 * string" as JSON, and anything else the text itself (compared ignoring case). '' = no rule.
 */
export function parseJsonRule(text: string): { ok: true; rule: JsonRule | null } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, rule: null };
  const match = /^([A-Za-z0-9_$-]+(?:\.[A-Za-z0-9_$-]+)*)=(.+)$/.exec(trimmed);
  if (!match) return { ok: false, message: 'A success rule is PATH=VALUE, e.g. success=true or operation.result.status=Success.' };
  return { ok: true, rule: { jsonPath: match[1] as string, equals: jsonValue(match[2] as string) } };
}

function jsonValue(text: string): JsonRule['equals'] {
  if (/^(true|false|null|-?\d+(\.\d+)?([eE][+-]?\d+)?|".*")$/.test(text)) {
    try {
      return JSON.parse(text) as JsonRule['equals'];
    } catch {
      return text;
    }
  }
  return text;
}

/** A rule as the admin would type it again. */
export function formatJsonRule(rule: JsonRule): string {
  return `${rule.jsonPath}=${typeof rule.equals === 'string' && !/^(true|false|null|-?\d.*|".*")$/.test(rule.equals) ? rule.equals : JSON.stringify(rule.equals)}`;
}

// Turns what an admin types into the server address field into the URL a test requests.
// "keymanager.example.com" means https://keymanager.example.com/ and its API under /api/v3/.

export const DEFAULT_TEST_PATH = '/api/v3/';

export type ParsedAddress =
  | { ok: true; origin: string; testUrl: string; insecureHttp: boolean; hostname: string; port: number }
  | { ok: false; message: string };

const fail = (message: string): ParsedAddress => ({ ok: false, message });

/** `defaultPort`: the product's port when the address names none (Password Manager Pro: 7272). */
export function parseServerAddress(input: string, testPath: string = DEFAULT_TEST_PATH, defaultPort?: number): ParsedAddress {
  const text = input.trim();
  if (text === '') return fail('Enter the server address, for example keymanager.example.com.');
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(text)) {
    return fail('The server address contains spaces or control characters. Enter only the host name, e.g. keymanager.example.com.');
  }
  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  const scheme = schemeMatch?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'https' && scheme !== 'http') {
    return fail(`"${scheme}://" is not a web address. Key manager APIs are reached over https://.`);
  }
  let url: URL;
  try {
    url = new URL(scheme === undefined ? `https://${text}` : text);
  } catch {
    return fail('This is not a valid server address. Enter a host name such as keymanager.example.com, optionally with https:// and a port.');
  }
  if (url.hostname === '') return fail('The server address has no host name.');
  if (url.username !== '' || url.password !== '') {
    return fail('Remove the user name and password from the address. Keybridge sends the API token instead, and never stores credentials in an address.');
  }
  if (url.search !== '' || url.hash !== '') {
    return fail('Remove the "?…" or "#…" part from the server address: enter only the host, port and, if needed, a path.');
  }
  const insecureHttp = url.protocol === 'http:';
  if (url.port === '' && defaultPort !== undefined && !insecureHttp) url.port = String(defaultPort);
  const port = url.port === '' ? (insecureHttp ? 80 : 443) : Number(url.port);

  const [rawPath = '/', query] = testPath.split(/\?(.*)/s, 2);
  const wanted = rawPath.startsWith('/') ? rawPath : `/${rawPath}`;
  const base = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  // An admin may paste the API URL itself (https://host/api/v3/): do not append the path twice.
  const pasted = base === withSlash(wanted) || base.endsWith(withSlash(wanted));
  const path = pasted ? (wanted.endsWith('/') ? base : base.slice(0, -1)) : `${base}${wanted.slice(1)}`;
  return {
    ok: true,
    origin: url.origin,
    testUrl: `${url.origin}${path}${query ? `?${query}` : ''}`,
    insecureHttp,
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    port,
  };
}

const withSlash = (path: string): string => (path.endsWith('/') ? path : `${path}/`);

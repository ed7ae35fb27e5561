// Turns what an admin types into the server address field into the URL a test requests.
// "keymanager.example.com" means https://keymanager.example.com/ and its API under /api/v3/.
// The WHATWG URL parser reads some text differently from how a person does (a "\" is a "/", so
// https://host:port\@km.corp.example goes to host:port; %-escapes and look-alike letters in a host
// name are decoded): such text is refused, and `canonical` is what will be reached, to store and show.
import { domainToUnicode } from 'node:url';
import { PRESETS } from '../../../shared/presets';

/** The request an address alone tests: the generic product's (endpoints come from the presets only). */
export const DEFAULT_TEST_PATH = PRESETS.generic.endpoint;

export type ParsedAddress =
  | {
      ok: true;
      origin: string;
      testUrl: string;
      insecureHttp: boolean;
      /** As reached: lower case, an internationalised name in punycode (xn--), IPv6 without brackets. */
      hostname: string;
      port: number;
      /**
       * The address as it will be reached, to store and show: scheme://host[:port][/path], the host
       * in ASCII (punycode), the port only when typed, the path as the parser resolved it (none for
       * "/"). The product's default port is not added: it is applied when the address is used.
       * Parsing `canonical` again gives the same `canonical`, `origin` and `testUrl`.
       */
      canonical: string;
      /** The host's Unicode spelling when it is an internationalised name (to show beside `hostname`), else null. */
      unicodeHostname: string | null;
    }
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
  if (text.includes('\\')) {
    return fail('The server address contains a backslash (\\). A URL reads it as "/", so the address would reach another host than it shows: use "/" between the host and a path.');
  }
  if (/^https?:(?!\/\/)/i.test(text) || /^[a-z][a-z0-9+.-]*:\/\/\//i.test(text)) {
    return fail('Write the address with exactly two slashes after the scheme, e.g. https://keymanager.example.com.');
  }
  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  const scheme = schemeMatch?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'https' && scheme !== 'http') {
    return fail(`"${scheme}://" is not a web address. Key manager APIs are reached over https://.`);
  }
  // The host and port as typed (up to the first "/", "?" or "#"); its userinfo is refused below.
  const authority = (scheme === undefined ? text : text.slice((schemeMatch as RegExpExecArray)[0].length)).split(/[/?#]/, 1)[0] ?? '';
  if (authority.includes('@')) {
    return fail('Remove the user name and password from the address. Keybridge sends the API token instead, and never stores credentials in an address.');
  }
  if (authority.includes('%')) {
    return fail('The host name contains "%": a URL decodes %-escapes, so it would reach a host other than the one shown. Type the host name in plain letters.');
  }
  // A port typed as the scheme's own (https://km.example:443) is still the port typed: the product's default does not replace it.
  const portTyped = /:\d+$/.test(authority);
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
  const schemePort = insecureHttp ? 80 : 443;
  const canonical = `${url.protocol}//${url.hostname}${portTyped ? `:${url.port === '' ? schemePort : url.port}` : ''}${url.pathname === '/' ? '' : url.pathname}`;
  if (url.port === '' && !portTyped && defaultPort !== undefined && !insecureHttp) url.port = String(defaultPort);
  const port = url.port === '' ? schemePort : Number(url.port);
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const unicode = domainToUnicode(hostname);

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
    hostname,
    port,
    canonical,
    unicodeHostname: unicode !== '' && unicode !== hostname ? unicode : null,
  };
}

const withSlash = (path: string): string => (path.endsWith('/') ? path : `${path}/`);

// The same test with the admin's own tools (#17, item 5): a curl command that makes the same request
// with the same trust options, and an openssl s_client command for the handshake. The secret is never
// in them: it is the environment variable $KEYBRIDGE_TOKEN, which the admin sets. Files Keybridge
// keeps for the connection (its CA certificates, its client certificate) are named as files to
// save next to the command. Pure: the window and the CLI use it.
import { readProxySetting } from './proxy-setting';
import type { AuthMethod } from './types';

export const SECRET_VARIABLE = 'KEYBRIDGE_TOKEN';
/** The files a command names when the connection has them: the admin saves them from the TLS tab. */
export const CA_FILE = 'keybridge-ca.pem';
export const CLIENT_CERT_FILE = 'keybridge-client.pem';
export const CLIENT_KEY_FILE = 'keybridge-client-key.pem';

export interface ReproduceInput {
  /** The tested URL (report.url): scheme, host, port and path. */
  url: string;
  authMethod: AuthMethod;
  /** The header name (header) or user name (basic). */
  authIdentity: string | null;
  verifyCertificate: boolean;
  /** "sha256/<base64>" of the pinned key, or null. */
  pinnedSpki: string | null;
  hasExtraCa: boolean;
  hasClientCertificate: boolean;
  /** The connection's proxy setting as stored: '' from the environment, 'none', or a URL. */
  proxy: string;
}

/** A word for a POSIX shell: single-quoted, a quote inside closed, escaped and reopened. */
export const shellWord = (text: string): string => (/^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);

/** Double-quoted, so that $KEYBRIDGE_TOKEN expands; other specials escaped. */
const withSecret = (before: string, after = ''): string => `"${(before + '\0' + after).replace(/["\\$`]/g, (c) => `\\${c}`).replace('\0', `$${SECRET_VARIABLE}`)}"`;

/** The curl command, or null where one command cannot do it (Passportal signs each request with HMAC). */
export function curlCommand(input: ReproduceInput): string | null {
  const parts = ['curl', '-sS', '-i', '--max-time', '30'];
  switch (input.authMethod) {
    case 'bearer':
      parts.push('-H', withSecret('Authorization: Bearer '));
      break;
    case 'header':
      parts.push('-H', withSecret(`${input.authIdentity ?? 'X-API-Key'}: `));
      break;
    case 'basic':
      parts.push('-u', withSecret(`${input.authIdentity ?? ''}:`));
      break;
    case 'passportal-hmac':
      return null;
  }
  // As Keybridge trusts it: a pinned key decides alone (curl checks the pin, not the CAs, with -k).
  if (input.pinnedSpki) parts.push('-k', '--pinnedpubkey', shellWord(input.pinnedSpki.replace(/^sha256\//, 'sha256//')));
  else if (!input.verifyCertificate) parts.push('-k');
  else if (input.hasExtraCa) parts.push('--cacert', CA_FILE);
  if (input.hasClientCertificate) parts.push('--cert', CLIENT_CERT_FILE, '--key', CLIENT_KEY_FILE);
  const proxy = readProxySetting(input.proxy);
  if (proxy.kind === 'none') parts.push('--noproxy', shellWord('*'));
  if (proxy.kind === 'custom') parts.push('-x', shellWord(proxy.url));
  parts.push(shellWord(input.url));
  return parts.join(' ');
}

/** The openssl s_client command: the handshake, the certificates the server sends, the client certificate. */
export function opensslCommand(input: ReproduceInput): string {
  const url = new URL(input.url);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port || '443';
  const ip = /^[\d.]+$/.test(host) || host.includes(':');
  const parts = ['openssl', 's_client', '-connect', shellWord(`${host.includes(':') ? `[${host}]` : host}:${port}`)];
  // Keybridge sends the name (SNI) for a host name, not for an IP address.
  if (!ip) parts.push('-servername', shellWord(host));
  parts.push('-showcerts');
  if (input.verifyCertificate && !input.pinnedSpki) {
    parts.push('-verify_return_error', ip ? '-verify_ip' : '-verify_hostname', shellWord(host));
    if (input.hasExtraCa) parts.push('-CAfile', CA_FILE);
  }
  if (input.hasClientCertificate) parts.push('-cert', CLIENT_CERT_FILE, '-key', CLIENT_KEY_FILE);
  const proxy = readProxySetting(input.proxy);
  if (proxy.kind === 'custom') {
    const p = new URL(proxy.url);
    parts.push('-proxy', shellWord(`${p.hostname}:${p.port || '80'}`));
  }
  return `${parts.join(' ')} </dev/null`;
}

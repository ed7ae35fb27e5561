// Downloads a product's OpenAPI specification from its server, over a connection judged like any
// test (the connection's own trust settings; nothing secret is sent) and through got, then reads it.
// The connection's client certificate, pinned key, CA certificates and "Verify certificate No" are
// for its own server: a specification at another origin is checked with the standard trust.
import { parseServerAddress } from '../address/parse-address';
import type { ClientCertificate, TrustOptions } from '../connection-test/run-test';
import { downloadDocument } from '../connection-test/run-test';
import { readOpenApi, type ReadSpec } from './read-spec';
import { LIMITS } from '../../../shared/limits';

const MAX_SPEC_BYTES = LIMITS.openApiSpec;

export interface SpecConnection {
  trust: TrustOptions;
  clientCertificate?: ClientCertificate;
  proxy?: string | null;
  timeoutMs?: number;
  userAgent?: string;
}

/** A failed download (not a file that was fetched and then found not to be a specification). */
export type DownloadedSpec = ReadSpec | { ok: false; message: string; notDownloaded: true };

/**
 * Whether `url` is at the connection's server: the same scheme, host and port, the product's
 * default port applied to an address that names none (https://km/ is https://km:443/).
 */
export function atServerOrigin(url: string, serverAddress: string, defaultPort?: number): boolean {
  const server = parseServerAddress(serverAddress, undefined, defaultPort);
  if (!server.ok) return false;
  try {
    return new URL(url).origin === server.origin;
  } catch {
    return false;
  }
}

/**
 * How a specification is downloaded for a saved connection. At the connection's own origin:
 * as the connection reaches its server. Elsewhere: Verify certificate on, the built-in CAs (and the
 * OS store if the connection uses it; that is the computer's own trust), no pinned key, no CA
 * certificates of the connection and no client certificate; only the proxy still applies.
 */
export function specConnectionFor(atOrigin: boolean, connection: SpecConnection): SpecConnection {
  if (atOrigin) return connection;
  const { clientCertificate: _notPresented, trust, ...rest } = connection;
  return { ...rest, trust: { verifyCertificate: true, useSystemCa: trust.useSystemCa === true, extraCaPem: [], pinnedSpki: null } };
}

export async function downloadOpenApi(url: string, connection: SpecConnection): Promise<DownloadedSpec> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, message: 'This is not a web address. Enter the https:// address of the OpenAPI specification.' };
  }
  if (parsed.protocol !== 'https:') return { ok: false, message: 'The specification is downloaded over https:// only.' };
  const downloaded = await downloadDocument(
    {
      serverAddress: parsed.origin,
      endpoint: `${parsed.pathname}${parsed.search}`,
      trust: connection.trust,
      clientCertificate: connection.clientCertificate,
      proxy: connection.proxy,
      timeoutMs: connection.timeoutMs,
    },
    MAX_SPEC_BYTES,
    { userAgent: connection.userAgent ?? 'Keybridge' },
  );
  if (!downloaded.ok) {
    const { report } = downloaded;
    return { ok: false, notDownloaded: true, message: `The specification could not be downloaded from ${parsed.origin}${parsed.pathname}: ${report.title}. ${report.message}` };
  }
  return readOpenApi(downloaded.body);
}

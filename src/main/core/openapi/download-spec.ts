// Downloads a product's OpenAPI specification from its server, over a connection judged like any
// test (the connection's own trust settings; nothing secret is sent) and through got, then reads it.
import type { ClientCertificate, TrustOptions } from '../connection-test/run-test';
import { runConnectionTest } from '../connection-test/run-test';
import { readOpenApi, type ReadSpec } from './read-spec';

const MAX_SPEC_BYTES = 5 * 1024 * 1024;

export interface SpecConnection {
  trust: TrustOptions;
  clientCertificate?: ClientCertificate;
  proxy?: string | null;
  timeoutMs?: number;
  userAgent?: string;
}

export async function downloadOpenApi(url: string, connection: SpecConnection): Promise<ReadSpec> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, message: 'This is not a web address. Enter the https:// address of the OpenAPI specification.' };
  }
  if (parsed.protocol !== 'https:') return { ok: false, message: 'The specification is downloaded over https:// only.' };
  let body: string | null = null;
  const report = await runConnectionTest(
    {
      serverAddress: parsed.origin,
      endpoint: `${parsed.pathname}${parsed.search}`,
      auth: { method: 'none' },
      trust: connection.trust,
      clientCertificate: connection.clientCertificate,
      proxy: connection.proxy,
      timeoutMs: connection.timeoutMs,
      document: {
        maxBytes: MAX_SPEC_BYTES,
        onBody: (text) => {
          body = text;
        },
      },
    },
    { userAgent: connection.userAgent ?? 'Keybridge' },
  );
  if (body === null) return { ok: false, message: `The specification could not be downloaded from ${parsed.origin}${parsed.pathname}: ${report.title}. ${report.message}` };
  return readOpenApi(body);
}

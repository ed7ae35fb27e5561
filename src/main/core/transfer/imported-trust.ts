// What an imported connection trusts, and where its secret would go: shown in the import preview,
// and, for a file whose records nobody authenticated (a checksum only, or a version 1 export), set
// to the safe defaults unless the admin keeps them for that connection. A checksum proves no author:
// whoever edits the file and recomputes it could add a proxy of theirs, a pin of their key or their
// CA beside an address the admin knows.
import { PRESETS } from '../../../shared/presets';
import type { ImportedConnection, ImportedTrust } from '../../../shared/types';
import type { ConnectionRecord } from '../store/connection-record';
import { describeCertificate } from '../trust/certificate-files';
import { PROXY_FROM_ENVIRONMENT, readProxySetting } from '../../../shared/proxy-setting';

/** Verify on, no pin, no extra CA, not the OS store, proxy from the environment (what a new connection starts with). */
export const SAFE_TRUST: ConnectionRecord['trust'] = { verifyCertificate: true, pinnedSpki: null, pinnedAt: null, extraCaPem: [], useSystemCa: false };
export const SAFE_PROXY = PROXY_FROM_ENVIRONMENT;

export function importedTrust(record: ConnectionRecord): ImportedTrust {
  return {
    verifyCertificate: record.trust.verifyCertificate,
    pinnedSpki: record.trust.pinnedSpki,
    extraCas: record.trust.extraCaPem.map((pem) => {
      const { subject, sha256 } = describeCertificate(pem);
      return { subject, sha256 };
    }),
    useSystemCa: record.trust.useSystemCa,
    clientCertificate: record.clientCertificate ? { subject: record.clientCertificate.subject } : null,
    proxy: record.proxy,
  };
}

/** The trust settings an import would carry over differ from the safe defaults (the client certificate never travels). */
export function hasCustomTrust(record: ConnectionRecord): boolean {
  const { verifyCertificate, pinnedSpki, extraCaPem, useSystemCa } = record.trust;
  return !verifyCertificate || pinnedSpki !== null || extraCaPem.length > 0 || useSystemCa || record.proxy !== SAFE_PROXY;
}

/** What the preview says about one connection of the file. */
export function importedConnection(record: ConnectionRecord, exists: boolean, withSecret: boolean): ImportedConnection {
  const auth = record.auth;
  const preset = PRESETS[record.preset];
  return {
    id: record.id,
    name: record.name,
    serverAddress: record.serverAddress,
    exists,
    withSecret,
    product: preset.product,
    authMethod: auth.method,
    authIdentity: auth.method === 'header' ? auth.headerName : auth.method === 'basic' ? auth.username : auth.method === 'passportal-hmac' ? auth.accessKeyId : null,
    endpoint: record.endpoint ?? preset.endpoint,
    trust: importedTrust(record),
    customTrust: hasCustomTrust(record),
  };
}

/** The record with the safe trust settings: what an unauthenticated file imports unless the admin keeps its own. */
export function withSafeTrust(record: ConnectionRecord): ConnectionRecord {
  return { ...record, trust: { ...SAFE_TRUST, extraCaPem: [] }, proxy: SAFE_PROXY };
}

/** The trust settings of a record, named for the audit log (public values only: a pin, a fingerprint count, a proxy without credentials). */
export function describeTrustForAudit(record: ConnectionRecord): string {
  const parts: string[] = [];
  if (!record.trust.verifyCertificate) parts.push('Verify certificate No');
  if (record.trust.pinnedSpki) parts.push(`pinned key ${record.trust.pinnedSpki}`);
  if (record.trust.extraCaPem.length > 0) parts.push(`${record.trust.extraCaPem.length} CA certificate(s)`);
  if (record.trust.useSystemCa) parts.push("the OS's CA store");
  const proxy = readProxySetting(record.proxy);
  if (proxy.kind === 'none') parts.push('no proxy');
  else if (proxy.kind === 'custom') parts.push(`proxy ${proxy.url}`);
  return parts.join(', ');
}

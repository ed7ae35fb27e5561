// A stored record as the window may see it: masked token hint and token state, never the secret.
import { formatJsonRule } from '../../../shared/presets';
import type { ConnectionView } from '../../../shared/types';
import { parseServerAddress } from '../address/parse-address';
import type { Vault } from '../secrets/vault';
import type { ConnectionRecord } from '../store/connection-record';
import { describeCertificate } from '../trust/certificate-files';

const EXPIRY_WARNING_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;

export function connectionView(record: ConnectionRecord, vault: Vault, now: Date): ConnectionView {
  const auth = record.auth;
  return {
    id: record.id,
    name: record.name,
    description: record.description,
    serverAddress: record.serverAddress,
    ...reachesOf(record.serverAddress),
    preset: record.preset,
    verifyCertificate: record.trust.verifyCertificate,
    pinnedSpki: record.trust.pinnedSpki,
    pinnedAt: record.trust.pinnedSpki ? record.trust.pinnedAt : null,
    extraCas: record.trust.extraCaPem.map((pem) => describeCertificate(pem)),
    useSystemCa: record.trust.useSystemCa,
    clientCertificate: record.clientCertificate,
    proxy: record.proxy,
    authMethod: auth.method,
    authIdentity: auth.method === 'header' ? auth.headerName : auth.method === 'basic' ? auth.username : auth.method === 'passportal-hmac' ? auth.accessKeyId : null,
    endpoint: record.endpoint,
    successRule: record.successRule ? formatJsonRule(record.successRule) : '',
    authScope: auth.method === 'passportal-hmac' ? (auth.scope ?? null) : null,
    tokenHint: record.token.hint,
    tokenState: vault.state(record.id),
    owner: record.token.owner,
    keyName: record.token.keyName,
    createdOn: record.token.createdOn,
    expiresOn: record.token.expiresOn,
    expiry: expiryOf(record.token.expiresOn, now),
    boundHost: record.token.boundHost,
    enabled: record.enabled,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    lastTestedAt: record.lastTestedAt,
    lastSuccessAt: record.lastSuccessAt,
    lastTest: record.lastTest,
  };
}

/**
 * What the window shows beside the address when its text does not say where it leads: the parsed
 * address (a record saved before addresses were stored as parsed, or one imported as typed) and an
 * internationalised host in punycode beside its Unicode spelling (a look-alike name shows as xn--).
 */
function reachesOf(serverAddress: string): Pick<ConnectionView, 'reaches'> {
  const parsed = parseServerAddress(serverAddress);
  if (!parsed.ok || (parsed.canonical === serverAddress && parsed.unicodeHostname === null)) return {};
  const asciiHost = parsed.hostname.includes(':') ? `[${parsed.hostname}]` : parsed.hostname;
  return { reaches: { address: parsed.canonical, asciiHost, unicodeHost: parsed.unicodeHostname } };
}

/** Warnings from 14 days before the expiry date, and on it. */
export function expiryOf(expiresOn: string | null, now: Date): ConnectionView['expiry'] {
  if (expiresOn === null) return 'none';
  const end = Date.parse(`${expiresOn}T00:00:00Z`);
  const today = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
  if (today >= end) return 'expired';
  return end - today <= EXPIRY_WARNING_DAYS * DAY_MS ? 'expiring' : 'valid';
}

// Reads the server's certificate so the admin can see what they are trusting, whether or not the
// test verified it.
import { X509Certificate, createHash } from 'node:crypto';
import type { DetailedPeerCertificate, PeerCertificate } from 'node:tls';
import type { CertificateSummary } from '../../../shared/types';

// Summaries are a pure function of the certificate: repeated tests of a server reuse them.
const cache = new Map<string, CertificateSummary>();
const CACHE_SIZE = 256;

export function summariseCertificate(cert: PeerCertificate | DetailedPeerCertificate): CertificateSummary | null {
  if (!cert || !cert.raw) return null;
  const cached = cache.get(cert.fingerprint256);
  if (cached) return { ...cached, subjectAltNames: [...cached.subjectAltNames] };
  const summary = summarise(cert);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(cert.fingerprint256, summary);
  return { ...summary, subjectAltNames: [...summary.subjectAltNames] };
}

function summarise(cert: PeerCertificate | DetailedPeerCertificate): CertificateSummary {
  const subject = formatName(cert.subject);
  const issuer = formatName(cert.issuer);
  return {
    subject,
    issuer,
    subjectAltNames: (cert.subjectaltname ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    validFrom: new Date(cert.valid_from).toISOString(),
    validTo: new Date(cert.valid_to).toISOString(),
    sha256: cert.fingerprint256,
    spkiSha256: spkiPin(cert.raw),
    selfSigned: subject === issuer && isSelfIssued(cert),
  };
}

/** The public-key pin of a DER certificate: "sha256/<base64 of SHA-256(SPKI)>" (as in HPKP and curl --pinnedpubkey). */
export function spkiPin(der: Buffer): string {
  const spki = new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' });
  return `sha256/${createHash('sha256').update(spki).digest('base64')}`;
}

function isSelfIssued(cert: PeerCertificate | DetailedPeerCertificate): boolean {
  const issuerCert = (cert as DetailedPeerCertificate).issuerCertificate;
  // Node links a self-signed certificate's issuerCertificate to itself.
  return !issuerCert || issuerCert === cert || issuerCert.fingerprint256 === cert.fingerprint256;
}

/**
 * RFC 4514 escaping of one attribute value: a server chooses its certificate's names, and an
 * O of "Evil, CN=bank.example" must not read as a second CN.
 */
const escapeValue = (value: string): string =>
  value.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`).replace(/^([#\s])/, '\\$1').replace(/\s$/, '\\ ');

function formatName(name: PeerCertificate['subject'] | undefined): string {
  if (!name) return '';
  // A repeated attribute (two OUs) is one key with several values: each is an attribute of its own.
  return Object.entries(name)
    .flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${key}=${escapeValue(String(v))}`))
    .join(', ');
}

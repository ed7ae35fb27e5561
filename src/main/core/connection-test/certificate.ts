// Reads the server's certificate so the admin can see what they are trusting, whether or not the
// test verified it.
import { X509Certificate, createHash } from 'node:crypto';
import tls, { type DetailedPeerCertificate, type PeerCertificate } from 'node:tls';
import net from 'node:net';
import type { CertificateSummary } from '../../../shared/types';

export function summariseCertificate(cert: PeerCertificate | DetailedPeerCertificate): CertificateSummary | null {
  if (!cert || Object.keys(cert).length === 0 || !cert.raw) return null;
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

function formatName(name: PeerCertificate['subject'] | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`)
    .join(', ');
}

/**
 * Fetches the certificate without trusting it and without sending anything: used after a TLS
 * failure, so the report can show the certificate that was refused.
 */
export function probeCertificate(
  host: string,
  port: number,
  timeoutMs: number,
): Promise<CertificateSummary | null> {
  return new Promise((resolve) => {
    const socket = tls.connect({
      host,
      port,
      servername: net.isIP(host) ? undefined : host,
      rejectUnauthorized: false,
      // No session cache: a resumed session would skip the certificate.
      session: undefined,
      ALPNProtocols: ['http/1.1'],
    });
    const done = (value: CertificateSummary | null): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.once('secureConnect', () => done(summariseCertificate(socket.getPeerCertificate(true))));
    socket.once('error', () => done(null));
  });
}

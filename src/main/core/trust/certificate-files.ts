// Reads the certificate files an admin brings for one connection: CA certificates to trust (PEM)
// and a client certificate for mutual TLS (PKCS#12, or PEM holding certificate and key).
// Messages name the problem, never the file's content.
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import type { ClientCertificate } from '../connection-test/tls-handshake';

export type CaRead = { ok: true; certificates: string[] } | { ok: false; message: string };

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const PEM_KEY = /-----BEGIN ((?:RSA |EC |ENCRYPTED )?PRIVATE KEY)-----[\s\S]+?-----END \1-----/;

export function readCaCertificates(bytes: Buffer): CaRead {
  const text = bytes.toString('utf8');
  if (PEM_KEY.test(text)) return { ok: false, message: 'This file holds a private key. A CA certificate file holds only certificates: never share a private key.' };
  const blocks = text.match(PEM_CERT) ?? [];
  if (blocks.length === 0) return { ok: false, message: 'No PEM certificate ("-----BEGIN CERTIFICATE-----") was found in this file.' };
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch {
      return { ok: false, message: 'A certificate in this file cannot be read: it is damaged or not X.509.' };
    }
  }
  return { ok: true, certificates: blocks.map((b) => `${b}\n`) };
}

export function describeCertificate(pem: string | Buffer): { subject: string; sha256: string; validTo: string } {
  const cert = new X509Certificate(pem);
  return { subject: cert.subject.replace(/\n/g, ', '), sha256: cert.fingerprint256, validTo: new Date(cert.validTo).toISOString() };
}

export type ClientRead =
  | { ok: true; material: ClientCertificate; format: 'pem' | 'pkcs12'; subject: string; validTo: string }
  | { ok: false; message: string };

export function readClientCertificate(bytes: Buffer, passphrase: string | undefined): ClientRead {
  const text = bytes.toString('latin1');
  if (text.includes('-----BEGIN')) {
    const certPem = text.match(PEM_CERT)?.[0];
    const keyPem = PEM_KEY.exec(text)?.[0];
    if (!certPem || !keyPem) return { ok: false, message: 'A PEM client certificate file must hold both the certificate and its private key.' };
    try {
      tls.createSecureContext({ cert: certPem, key: keyPem, passphrase });
    } catch {
      return { ok: false, message: 'The private key cannot be used: the passphrase is wrong, or the key does not belong to the certificate.' };
    }
    const info = describeCertificate(certPem);
    return { ok: true, format: 'pem', material: { certPem, keyPem, passphrase }, subject: info.subject, validTo: info.validTo };
  }
  let context: tls.SecureContext;
  try {
    context = tls.createSecureContext({ pfx: bytes, passphrase });
  } catch {
    return {
      ok: false,
      message: passphrase ? 'The PKCS#12 file cannot be opened: the passphrase is wrong, or the file is damaged.' : 'The PKCS#12 file needs its passphrase.',
    };
  }
  // Node exposes the loaded certificate on the native context; it is what the handshake will send.
  const der = (context as unknown as { context?: { getCertificate?: () => Buffer | null } }).context?.getCertificate?.();
  const info = der ? describeCertificate(der) : { subject: 'PKCS#12 certificate', validTo: '' };
  return { ok: true, format: 'pkcs12', material: { pfx: bytes, passphrase }, subject: info.subject, validTo: info.validTo };
}

/** The client certificate material as kept in the vault (one string). */
export const encodeClientMaterial = (m: ClientCertificate): string =>
  JSON.stringify({ certPem: m.certPem, keyPem: m.keyPem, pfx: m.pfx?.toString('base64'), passphrase: m.passphrase });

export function decodeClientMaterial(text: string): ClientCertificate {
  const raw = JSON.parse(text) as { certPem?: string; keyPem?: string; pfx?: string; passphrase?: string };
  return { certPem: raw.certPem, keyPem: raw.keyPem, pfx: raw.pfx ? Buffer.from(raw.pfx, 'base64') : undefined, passphrase: raw.passphrase };
}

/** '' (from the environment), 'none', or an http:// proxy URL without credentials. */
export function checkProxySetting(value: string): { ok: true; value: string } | { ok: false; message: string } {
  const text = value.trim();
  if (text === '' || text === 'none') return { ok: true, value: text };
  // `http:/host`, `http:\\host`: a scheme without its two slashes would be read as the host "http".
  if (text.includes('\\') || (/^[a-z][a-z0-9+.-]*:(?!\d)/i.test(text) && !/^[a-z][a-z0-9+.-]*:\/\/[^/]/i.test(text))) {
    return { ok: false, message: 'The proxy is not a valid address, e.g. http://proxy.example.com:3128.' };
  }
  let url: URL;
  try {
    url = new URL(text.includes('://') ? text : `http://${text}`);
  } catch {
    return { ok: false, message: 'The proxy is not a valid address, e.g. http://proxy.example.com:3128.' };
  }
  if (url.protocol !== 'http:') return { ok: false, message: 'Keybridge uses http:// proxies (with CONNECT), e.g. http://proxy.example.com:3128.' };
  if (url.username || url.password) return { ok: false, message: 'Proxy credentials are not stored with a connection: set them in HTTPS_PROXY for this session instead.' };
  return { ok: true, value: `http://${url.host}` };
}

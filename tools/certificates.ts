// Test and demo certificates: EC P-256 keys (fast to make, unlike RSA) signed with @peculiar/x509.
// Used by the demo key manager and by the tests; never shipped in the app.
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata polyfill.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

type CryptoKeyPair = webcrypto.CryptoKeyPair;

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 24 * 60 * 60 * 1000;

export interface Issued {
  certPem: string;
  keyPem: string;
  /** For signing further certificates. */
  keys: CryptoKeyPair;
  cert: x509.X509Certificate;
}

export interface CertificateRequest {
  commonName: string;
  /** DNS names and IP addresses; default: localhost, 127.0.0.1 and ::1. */
  altNames?: string[];
  notBefore?: Date;
  notAfter?: Date;
  /** Signing authority; absent = self-signed. */
  issuer?: Issued;
  isCa?: boolean;
  /** Authority Information Access "CA Issuers" URL, as public CAs put in their certificates. */
  caIssuersUrl?: string;
}

export async function issueCertificate(request: CertificateRequest): Promise<Issued> {
  const keys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = Date.now();
  const altNames = request.altNames ?? ['localhost', '127.0.0.1', '::1'];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(request.isCa ?? false, undefined, true),
    new x509.KeyUsagesExtension(
      request.isCa
        ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign
        : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (!request.isCa) {
    extensions.push(
      new x509.SubjectAlternativeNameExtension(
        altNames.map((value) => ({ type: /^[\d.]+$|:/.test(value) ? 'ip' : 'dns', value })),
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
    );
  }
  if (request.caIssuersUrl) extensions.push(new x509.AuthorityInfoAccessExtension({ caIssuers: new x509.GeneralName('url', request.caIssuersUrl) }));
  const common = {
    notBefore: request.notBefore ?? new Date(now - DAY),
    notAfter: request.notAfter ?? new Date(now + 30 * DAY),
    signingAlgorithm: EC,
    extensions,
  };
  const name = `CN=${request.commonName}`;
  const cert = request.issuer
    ? await x509.X509CertificateGenerator.create({
        ...common,
        subject: name,
        issuer: request.issuer.cert.subject,
        publicKey: keys.publicKey,
        signingKey: request.issuer.keys.privateKey,
      })
    : await x509.X509CertificateGenerator.createSelfSigned({ ...common, name, keys });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    certPem: `${cert.toString('pem').trim()}\n`,
    keyPem: `${x509.PemConverter.encode(pkcs8, 'PRIVATE KEY').trim()}\n`,
    keys,
    cert,
  };
}

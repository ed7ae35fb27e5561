// Certificates for the real-server stacks (stacks.ts): one root CA with an intermediate that signs
// the server leaves, a self-signed leaf, and two client CAs with a client certificate each. Every
// certificate and key is also written as PEM files into one temp folder, in the shapes the servers
// read: the leaf alone, the leaf with the intermediate (full chain), and chain + key in one file
// (HAProxy). EC P-256 throughout: every server here (OpenSSL, GnuTLS, Go, JSSE) serves EC keys.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { issueCertificate, type Issued } from '../../../tools/certificates';

export type { Issued };

/** The PEM files of one certificate inside StackMaterials.dir. */
export interface PemFiles {
  /** The certificate alone. */
  cert: string;
  /** Its private key (PKCS#8). */
  key: string;
  /** The certificate followed by its intermediate, if an intermediate signed it; else the certificate alone. */
  chain: string;
  /** chain followed by the key, in one file (HAProxy's `crt`). */
  bundle: string;
}

export type MaterialName =
  | 'rootCa' | 'intermediate' | 'good' | 'selfSigned' | 'expired' | 'wrongHost' | 'ipOnly' | 'dnsOnly'
  | 'clientCa' | 'client' | 'otherClientCa' | 'otherClient';

export interface StackMaterials {
  dir: string;                 // temp folder holding every file below (PEM files)
  rootCa: Issued;              // "CN=Keybridge Stack Root CA"; tests pass its PEM as the CA file
  intermediate: Issued;        // signed by rootCa
  good: Issued;                // localhost, 127.0.0.1, ::1; signed by intermediate (served with the intermediate)
  selfSigned: Issued;          // localhost, 127.0.0.1, self-signed
  expired: Issued;             // localhost, 127.0.0.1, signed by intermediate, notAfter in the past
  wrongHost: Issued;           // only DNS other.invalid, signed by intermediate
  ipOnly: Issued;              // SAN IP 127.0.0.1 only (no DNS name), signed by intermediate
  dnsOnly: Issued;             // SAN DNS localhost only (no IP), signed by intermediate
  clientCa: Issued;            // "CN=Keybridge Test Client CA"
  client: Issued;              // client certificate signed by clientCa
  otherClientCa: Issued;       // "CN=Other Client CA"
  otherClient: Issued;         // client certificate signed by otherClientCa
  token: string;               // the API token the backend accepts
  /** The PEM files of each certificate above, in dir. */
  files: Record<MaterialName, PemFiles>;
  /** Removes dir now (also done on process exit). The stacks copy what they read into their own folders. */
  remove(): void;
}

const DAY = 24 * 60 * 60 * 1000;

export async function makeStackMaterials(): Promise<StackMaterials> {
  const now = Date.now();
  const caValidity = { notBefore: new Date(now - 400 * DAY), notAfter: new Date(now + 400 * DAY) };
  const local = ['localhost', '127.0.0.1'];
  const [rootCa, clientCa, otherClientCa, selfSigned] = await Promise.all([
    issueCertificate({ commonName: 'Keybridge Stack Root CA', isCa: true, ...caValidity }),
    issueCertificate({ commonName: 'Keybridge Test Client CA', isCa: true, ...caValidity }),
    issueCertificate({ commonName: 'Other Client CA', isCa: true, ...caValidity }),
    issueCertificate({ commonName: 'localhost', altNames: local }),
  ]);
  const intermediate = await issueCertificate({ commonName: 'Keybridge Stack Intermediate CA', isCa: true, issuer: rootCa, ...caValidity });
  const [good, expired, wrongHost, ipOnly, dnsOnly, client, otherClient] = await Promise.all([
    // Names where its issuer lives (Authority Information Access), as public CAs' certificates do:
    // served without the intermediate (incomplete-chain), that is what makes it an incomplete chain
    // rather than an unknown private CA. Nothing fetches the URL.
    issueCertificate({ commonName: 'localhost', issuer: intermediate, caIssuersUrl: 'http://ca.invalid/keybridge-stack-intermediate.crt' }),
    issueCertificate({ commonName: 'localhost', altNames: local, issuer: intermediate, notBefore: new Date(now - 60 * DAY), notAfter: new Date(now - 30 * DAY) }),
    issueCertificate({ commonName: 'other.invalid', altNames: ['other.invalid'], issuer: intermediate }),
    issueCertificate({ commonName: '127.0.0.1', altNames: ['127.0.0.1'], issuer: intermediate }),
    issueCertificate({ commonName: 'localhost', altNames: ['localhost'], issuer: intermediate }),
    issueCertificate({ commonName: 'Keybridge Test Client', altNames: ['client.invalid'], issuer: clientCa }),
    issueCertificate({ commonName: 'Other Client', altNames: ['other-client.invalid'], issuer: otherClientCa }),
  ]);

  const dir = mkdtempSync(path.join(os.tmpdir(), 'keybridge-stack-materials-'));
  const all: Record<MaterialName, { issued: Issued; chainTo?: Issued }> = {
    rootCa: { issued: rootCa },
    intermediate: { issued: intermediate },
    good: { issued: good, chainTo: intermediate },
    selfSigned: { issued: selfSigned },
    expired: { issued: expired, chainTo: intermediate },
    wrongHost: { issued: wrongHost, chainTo: intermediate },
    ipOnly: { issued: ipOnly, chainTo: intermediate },
    dnsOnly: { issued: dnsOnly, chainTo: intermediate },
    clientCa: { issued: clientCa },
    client: { issued: client },
    otherClientCa: { issued: otherClientCa },
    otherClient: { issued: otherClient },
  };
  const files = {} as Record<MaterialName, PemFiles>;
  for (const [name, { issued, chainTo }] of Object.entries(all) as Array<[MaterialName, { issued: Issued; chainTo?: Issued }]>) {
    const f: PemFiles = {
      cert: path.join(dir, `${name}.crt`),
      key: path.join(dir, `${name}.key`),
      chain: path.join(dir, `${name}-chain.crt`),
      bundle: path.join(dir, `${name}-bundle.pem`),
    };
    const chain = issued.certPem + (chainTo ? chainTo.certPem : '');
    writeFileSync(f.cert, issued.certPem);
    writeFileSync(f.key, issued.keyPem, { mode: 0o600 });
    writeFileSync(f.chain, chain);
    writeFileSync(f.bundle, chain + issued.keyPem, { mode: 0o600 });
    files[name] = f;
  }
  const remove = () => rmSync(dir, { recursive: true, force: true });
  // Gone at the latest when the test process exits, whether or not a test called remove().
  process.once('exit', remove);
  return {
    dir,
    rootCa, intermediate, good, selfSigned, expired, wrongHost, ipOnly, dnsOnly,
    clientCa, client, otherClientCa, otherClient,
    token: `stack-token-${randomBytes(12).toString('hex')}`,
    files,
    remove,
  };
}

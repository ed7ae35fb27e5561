// Downloading the OpenAPI specification "for" a saved connection: the connection's client
// certificate, pinned key, CA certificates and Verify certificate No are for its own server. A
// specification at another origin (scheme, host, port) is checked with the standard trust, and no
// client certificate is presented to it. Real HTTPS servers on 127.0.0.1 that ask for one; a
// publicly trusted host is played by a test CA added to Node's default CAs (restored afterwards).
import { writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import tls, { type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { atServerOrigin, specConnectionFor } from '../../src/main/core/openapi/download-spec';
import type { KeybridgeService } from '../../src/main/core/service';
import { issueCertificate, type Issued } from '../../tools/certificates';
import { CIPHERINSIGHTS_OPENAPI } from '../../tools/emulators';
import { pkcs12Of } from '../support/pkcs12';
import { useServiceHarness } from '../support/service-harness';

const TOKEN = 'SpecOriginToken000000001';

interface SpecServer {
  url: string;
  /** The client certificate (its CN) presented in each TLS handshake, null for none. */
  clientCertificates: (string | null)[];
  close(): Promise<void>;
}

/** An HTTPS server signed by `ca` that asks for a client certificate (and accepts none) and serves the specification. */
async function specServer(ca: Issued, leaf: Issued): Promise<SpecServer> {
  const clientCertificates: (string | null)[] = [];
  const server = https.createServer({ cert: leaf.certPem, key: leaf.keyPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    res.writeHead(req.url === '/openapi.json' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(CIPHERINSIGHTS_OPENAPI));
  });
  server.on('secureConnection', (socket: TLSSocket) => {
    const cn = socket.getPeerCertificate()?.subject?.CN;
    clientCertificates.push(typeof cn === 'string' ? cn : null);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    clientCertificates,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// Node >= 22.19 / 24.5: the default CAs can be set, so a host "with a public certificate" can be played.
const setDefaultCas = (tls as { setDefaultCACertificates?: (certs: string[]) => void }).setDefaultCACertificates;
const defaultCas = tls.getCACertificates('default');

const harness = useServiceHarness();
const { dialogs } = harness;
let ca: Issued;
let own: SpecServer;
/** Another port, with a certificate from the connection's private CA. */
let other: SpecServer;
/** Another port, with a certificate the default CAs trust. */
let publicHost: SpecServer;
let service: KeybridgeService;

beforeAll(async () => {
  ca = await issueCertificate({ commonName: 'Private CA', isCa: true });
  const publicCa = await issueCertificate({ commonName: 'Public CA', isCa: true });
  setDefaultCas?.([...defaultCas, publicCa.certPem]);
  own = await specServer(ca, await issueCertificate({ commonName: 'km', issuer: ca }));
  other = await specServer(ca, await issueCertificate({ commonName: 'elsewhere', issuer: ca }));
  publicHost = await specServer(publicCa, await issueCertificate({ commonName: 'docs', issuer: publicCa }));
});
beforeEach(() => {
  service = harness.service();
});
afterAll(async () => {
  setDefaultCas?.(defaultCas);
  await Promise.all([own.close(), other.close(), publicHost.close()]);
});

/** A connection to `own` that trusts the private CA and has a client certificate (PKCS#12, key in the vault). */
async function connectionWithClientCertificate(more: Record<string, unknown> = {}): Promise<string> {
  const saved = await service.saveConnection({ name: 'KM', serverAddress: own.url, apiToken: TOKEN, verifyCertificate: true, proxy: 'none', ...more });
  dialogs.open = path.join(harness.files, 'ca.pem');
  writeFileSync(dialogs.open, ca.certPem);
  await service.addCaCertificate({ id: saved.id });
  dialogs.open = pkcs12Of(await issueCertificate({ commonName: 'workstation-7', issuer: ca }), harness.files, 'p12-passphrase').file;
  await service.setClientCertificate({ id: saved.id, passphrase: 'p12-passphrase' });
  return saved.id;
}

describe("the specification download uses the connection's certificates only at its server's origin", () => {
  it("at the connection's origin: its CA certificate is trusted and its client certificate presented", async () => {
    const id = await connectionWithClientCertificate();
    const before = own.clientCertificates.length;
    expect(await service.importOpenApi({ url: `${own.url}/openapi.json`, id })).toMatchObject({ title: 'CipherInsights REST API (emulated)' });
    expect(own.clientCertificates.slice(before)).toEqual(['workstation-7']);
  });

  it.skipIf(!setDefaultCas)('at another port: the server asks for a client certificate and gets none; its certificate is verified (the connection says Verify No)', async () => {
    const id = await connectionWithClientCertificate({ verifyCertificate: false });
    const before = publicHost.clientCertificates.length;
    expect(await service.importOpenApi({ url: `${publicHost.url}/openapi.json`, id })).toMatchObject({ title: 'CipherInsights REST API (emulated)' });
    expect(publicHost.clientCertificates.slice(before)).toEqual([null]);
    // The connection's own server still gets it.
    const atOwn = own.clientCertificates.length;
    await service.importOpenApi({ url: `${own.url}/openapi.json`, id });
    expect(own.clientCertificates.slice(atOwn)).toEqual(['workstation-7']);
  });

  it("at another port: the connection's CA certificate does not vouch for it, and the message says why", async () => {
    const id = await connectionWithClientCertificate();
    await expect(service.importOpenApi({ url: `${other.url}/openapi.json`, id })).rejects.toThrow(
      /could not be downloaded from .*not the connection's server, so its certificate was checked against the standard CAs.*client certificate, pinned key and CA certificates were not used/s,
    );
    expect(other.clientCertificates).not.toContain('workstation-7');
  });

  it("Verify certificate No stays with the connection's own server", async () => {
    const saved = await service.saveConnection({ name: 'Unverified', serverAddress: own.url, apiToken: TOKEN, verifyCertificate: false, proxy: 'none' });
    expect(await service.importOpenApi({ url: `${own.url}/openapi.json`, id: saved.id })).toMatchObject({ title: 'CipherInsights REST API (emulated)' });
    await expect(service.importOpenApi({ url: `${other.url}/openapi.json`, id: saved.id })).rejects.toThrow(/could not be downloaded from .*not the connection's server/s);
  });
});

describe('which address is the connection\'s origin', () => {
  it.each([
    ['https://km.example.com/openapi.json', 'km.example.com', undefined, true],
    ['https://km.example.com:443/openapi.json', 'https://KM.example.com/api/v3/', undefined, true],
    ['https://km.example.com:8443/spec.yaml', 'km.example.com:8443', undefined, true],
    ['https://km.example.com:7272/spec.json', 'km.example.com', 7272, true],
    ['https://km.example.com/spec.json', 'km.example.com', 7272, false],
    ['https://km.example.com:8443/spec.json', 'km.example.com', undefined, false],
    ['https://km.example.com.attacker.test/spec.json', 'km.example.com', undefined, false],
    ['https://docs.example.com/spec.json', 'km.example.com', undefined, false],
    ['https://km.example.com/spec.json', 'http://km.example.com', undefined, false],
    ['not an address', 'km.example.com', undefined, false],
  ] as const)('%s for a connection to %s (default port %s): %s', (url, serverAddress, defaultPort, expected) => {
    expect(atServerOrigin(url, serverAddress, defaultPort)).toBe(expected);
  });

  it('elsewhere: Verify certificate on, no pin, no CA certificates, no client certificate; the proxy and the OS store choice stay', () => {
    const connection = {
      trust: { verifyCertificate: false, pinnedSpki: 'sha256/AAAA', extraCaPem: ['-----BEGIN CERTIFICATE-----'], useSystemCa: true },
      clientCertificate: { pfx: Buffer.from('key'), passphrase: 'secret' },
      proxy: 'http://proxy.example.com:3128',
    };
    expect(specConnectionFor(true, connection)).toBe(connection);
    expect(specConnectionFor(false, connection)).toEqual({ trust: { verifyCertificate: true, pinnedSpki: null, extraCaPem: [], useSystemCa: true }, proxy: 'http://proxy.example.com:3128' });
  });
});

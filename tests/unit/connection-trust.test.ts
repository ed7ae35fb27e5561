// Per-connection trust and network settings through the service: CA certificates, the client
// certificate for mutual TLS (its key in the vault), and the proxy choice.
import { readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeybridgeService } from '../../src/main/core/service';
import { issueCertificate, type Issued } from '../../tools/certificates';
import { pkcs12Of } from '../support/pkcs12';
import { useServiceHarness } from '../support/service-harness';

const TOKEN = 'TrustTokenTrustToken0001';
const harness = useServiceHarness();
const { dialogs } = harness;
let ca: Issued;
let server: https.Server;
let url: string;

beforeAll(async () => {
  ca = await issueCertificate({ commonName: 'Connection CA', isCa: true });
  const leaf = await issueCertificate({ commonName: 'km', issuer: ca });
  // Mutual TLS optional here, so the same server checks both the CA and the client certificate.
  server = https.createServer({ cert: leaf.certPem, key: leaf.keyPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const client = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
    res.writeHead(req.headers.authorization === `Bearer ${TOKEN}` ? 200 : 401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ client: client?.subject?.CN ?? null }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const save = (s: KeybridgeService, more: Record<string, unknown> = {}) =>
  s.saveConnection({ name: 'KM', serverAddress: url, apiToken: TOKEN, verifyCertificate: true, proxy: 'none', ...more });

describe('CA certificates per connection', () => {
  it('trusts a CA imported for this connection, names it as the trust source, and forgets it on request', async () => {
    const s = harness.service();
    const saved = await save(s);
    expect((await s.testConnection({ id: saved.id })).verdict).toBe('tls-untrusted-root');
    dialogs.open = path.join(harness.files, 'ca.pem');
    writeFileSync(dialogs.open, ca.certPem);
    const withCa = await s.addCaCertificate({ id: saved.id });
    expect(withCa?.extraCas).toEqual([expect.objectContaining({ subject: 'CN=Connection CA' })]);
    const report = await s.testConnection({ id: saved.id });
    expect(report.verdict).toBe('ok');
    expect(report.tls?.trustSource).toBe('custom CA');
    const removed = await s.removeCaCertificate({ id: saved.id, sha256: withCa?.extraCas[0]?.sha256 ?? '' });
    expect(removed.extraCas).toEqual([]);
    expect((await s.testConnection({ id: saved.id })).verdict).toBe('tls-untrusted-root');
  });

  it('refuses a file with a private key or without certificates', async () => {
    const s = harness.service();
    const saved = await save(s);
    dialogs.open = path.join(harness.files, 'key.pem');
    writeFileSync(dialogs.open, ca.keyPem);
    await expect(s.addCaCertificate({ id: saved.id })).rejects.toThrow(/key\.pem: This file holds a private key/);
    writeFileSync(dialogs.open, 'hello');
    await expect(s.addCaCertificate({ id: saved.id })).rejects.toThrow(/No PEM certificate/);
  });
});

describe('client certificate per connection', () => {
  it('uses a PKCS#12 client certificate whose key stays in the vault; a wrong passphrase is refused', async () => {
    const client = await issueCertificate({ commonName: 'workstation-7', issuer: ca });
    const p12 = pkcs12Of(client, harness.files, 'p12-passphrase').file;
    const s = harness.service();
    const saved = await save(s);
    dialogs.open = p12;
    await expect(s.setClientCertificate({ id: saved.id, passphrase: 'nope' })).rejects.toThrow(/passphrase is wrong/);
    const withCert = await s.setClientCertificate({ id: saved.id, passphrase: 'p12-passphrase' });
    expect(withCert?.clientCertificate).toMatchObject({ subject: 'CN=workstation-7', format: 'pkcs12' });
    dialogs.open = path.join(harness.files, 'ca2.pem');
    writeFileSync(dialogs.open, ca.certPem);
    await s.addCaCertificate({ id: saved.id });
    expect((await s.testConnection({ id: saved.id })).verdict).toBe('ok');
    // The key and passphrase are encrypted in the vault, not in the records.
    const records = readFileSync(s.files.connections, 'utf8');
    expect(records).not.toContain('p12-passphrase');
    expect(records).not.toContain('PRIVATE KEY');
    expect(readFileSync(s.files.secrets, 'utf8')).not.toContain('p12-passphrase');
    const removed = await s.removeClientCertificate({ id: saved.id });
    expect(removed.clientCertificate).toBeNull();
  });
});

describe('proxy per connection', () => {
  it.each([
    ['http://user:pw@proxy.example.com:3128', /credentials are not stored/],
    ['socks5://proxy.example.com:1080', /http:\/\/ proxies/],
  ])('refuses %s', async (proxy, message) => {
    await expect(save(harness.service(), { proxy })).rejects.toThrow(message);
  });

  it('"none" ignores HTTPS_PROXY; an explicit proxy is used', async () => {
    const saved = process.env.HTTPS_PROXY;
    process.env.HTTPS_PROXY = 'http://127.0.0.1:9'; // nothing listens on the discard port
    try {
      const s = harness.service();
      const direct = await save(s, { proxy: 'none' });
      dialogs.open = path.join(harness.files, 'ca3.pem');
      writeFileSync(dialogs.open, ca.certPem);
      await s.addCaCertificate({ id: direct.id });
      expect((await s.testConnection({ id: direct.id })).verdict).toBe('ok');
      const viaEnv = await s.saveConnection({ id: direct.id, name: 'KM', serverAddress: url, verifyCertificate: true, proxy: '' });
      const report = await s.testConnection({ id: viaEnv.id });
      expect(report.steps.find((st) => st.id === 'tcp')?.detail).toContain('127.0.0.1:9');
      expect(report.verdict).toBe('connection-refused');
    } finally {
      if (saved === undefined) delete process.env.HTTPS_PROXY;
      else process.env.HTTPS_PROXY = saved;
    }
  });
});

// The connection test against real servers on 127.0.0.1.
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConnectionTest } from '../../src/main/core/connection-test/run-test';
import { issueCertificate, type Issued } from '../../tools/certificates';
import { startDemoKeyManager, type DemoKeyManager } from '../../tools/demo-key-manager';
import { closedPort, httpPeer, httpsPeer, json, silentPeer, type Peer } from '../support/peers';

let demo: DemoKeyManager;
let leaf: Issued;
const peers: Peer[] = [];

beforeAll(async () => {
  demo = await startDemoKeyManager();
  leaf = await issueCertificate({ commonName: 'scripted' });
});
afterAll(async () => {
  await demo.close();
  await Promise.all(peers.map((p) => p.close()));
});

async function scripted(handler: Parameters<typeof httpsPeer>[1]): Promise<Peer> {
  const peer = await httpsPeer(leaf, handler);
  peers.push(peer);
  return peer;
}

const test = (serverAddress: string, token: string, more: { verifyCertificate?: boolean; timeoutMs?: number } = {}) =>
  runConnectionTest({
    serverAddress,
    auth: { method: 'bearer', token },
    trust: { verifyCertificate: more.verifyCertificate ?? false },
    timeoutMs: more.timeoutMs,
    proxy: null,
  });

describe('against the demo key manager', () => {
  it('succeeds with Verify certificate = No, shows the certificate and warns', async () => {
    const report = await test(demo.url, demo.token);
    expect(report.verdict).toBe('ok');
    expect(report.ok).toBe(true);
    expect(report.title).toBe('Connection successful');
    expect(report.httpStatus).toBe(200);
    expect(report.url).toBe(`${demo.url}/api/v3/`);
    expect(report.certificate?.sha256).toBe(demo.fingerprint);
    expect(report.certificate?.selfSigned).toBe(true);
    expect(report.certificate?.subjectAltNames).toContain('IP Address:127.0.0.1');
    expect(report.warnings.join(' ')).toMatch(/Verify certificate is No/);
  });

  it('fails as self-signed with Verify certificate = Yes, and still shows the certificate', async () => {
    const report = await test(demo.url, demo.token, { verifyCertificate: true });
    expect(report.verdict).toBe('tls-self-signed');
    expect(report.ok).toBe(false);
    expect(report.hint).toMatch(/Verify certificate to No/);
    expect(report.certificate?.sha256).toBe(demo.fingerprint);
  });

  it('reports a wrong token as rejected, with the server\'s own words', async () => {
    const report = await test(demo.url, 'WrongTokenWrongTokenWrong');
    expect(report.verdict).toBe('http-unauthorized');
    expect(report.httpStatus).toBe(401);
    expect(report.message).toContain('API token missing or not valid');
  });

  it('accepts an address typed without scheme and a pasted API URL alike', async () => {
    const bare = await test(`127.0.0.1:${demo.port}`, demo.token);
    const full = await test(`${demo.url}/api/v3/`, demo.token);
    expect(bare.verdict).toBe('ok');
    expect(full.verdict).toBe('ok');
    expect(full.url).toBe(bare.url);
  });
});

describe('network failures', () => {
  it('says connection refused for a closed port', async () => {
    const port = await closedPort();
    const report = await test(`https://127.0.0.1:${port}`, 'AnyTokenAnyTokenAnyToken');
    expect(report.verdict).toBe('connection-refused');
    expect(report.message).toContain(`127.0.0.1:${port}`);
  });

  it('names the phase when a server accepts and never answers', async () => {
    const peer = await silentPeer();
    peers.push(peer);
    const report = await test(peer.url, 'AnyTokenAnyTokenAnyToken', { timeoutMs: 600 });
    expect(report.verdict).toBe('timeout');
    expect(report.message).toMatch(/TLS handshake/);
    expect(report.durationMs).toBeLessThan(5_000);
  });

  it('recognises plain HTTP on the port', async () => {
    const peer = await httpPeer((_req, res) => json(res, 200, {}));
    peers.push(peer);
    const report = await test(`https://127.0.0.1:${peer.port}`, 'AnyTokenAnyTokenAnyToken');
    expect(report.verdict).toBe('tls-not-tls');
    expect(peer.seen).toHaveLength(0);
  });

  it('refuses to send a token over http://', async () => {
    const peer = await httpPeer((_req, res) => json(res, 200, {}));
    peers.push(peer);
    const report = await test(peer.url, 'AnyTokenAnyTokenAnyToken');
    expect(report.verdict).toBe('insecure-http-refused');
    expect(peer.seen).toHaveLength(0);
  });

  it('reports an unparseable address without trying the network', async () => {
    const report = await test('ftp://keymanager.example.com', 'AnyTokenAnyTokenAnyToken');
    expect(report.verdict).toBe('invalid-address');
    expect(report.message).toMatch(/https/);
    expect(report.url).toBeNull();
  });
});

describe('HTTP answers', () => {
  it.each([
    [403, 'http-forbidden'],
    [404, 'http-not-found'],
    [500, 'http-server-error'],
    [418, 'http-unexpected-status'],
  ] as const)('maps %i to %s', async (status, verdict) => {
    const peer = await scripted((_req, res) => json(res, status, { message: `status ${status}` }));
    const report = await test(peer.url, 'AnyTokenAnyTokenAnyToken');
    expect(report.verdict).toBe(verdict);
    expect(report.httpStatus).toBe(status);
  });

  it('never follows a redirect: the token does not reach the other origin', async () => {
    const elsewhere = await scripted((_req, res) => json(res, 200, {}));
    const peer = await scripted((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/api/v3/?session=abc` });
      res.end();
    });
    const report = await test(peer.url, 'SecretTokenSecretToken42');
    expect(report.verdict).toBe('http-redirect');
    expect(report.message).toContain(`${elsewhere.url}/api/v3/`);
    expect(report.message).not.toContain('session=abc');
    expect(elsewhere.seen).toHaveLength(0);
  });

  it('redacts a token that a hostile server echoes back', async () => {
    const token = 'EchoedTokenEchoedToken99';
    const peer = await scripted((req, res) => json(res, 401, { message: `bad token ${req.headers.authorization}` }));
    const report = await test(peer.url, token);
    expect(report.verdict).toBe('http-unauthorized');
    expect(JSON.stringify(report)).not.toContain(token);
    expect(report.message).toContain('[redacted]');
  });

  it('reads at most a bounded part of a flood of a body', async () => {
    const peer = await scripted((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      const chunk = 'x'.repeat(64 * 1024);
      let sent = 0;
      const pump = (): void => {
        while (sent < 200 && res.write(chunk)) sent++;
        if (sent < 200) res.once('drain', pump);
        else res.end();
      };
      pump();
    });
    const report = await test(peer.url, 'AnyTokenAnyTokenAnyToken');
    expect(report.verdict).toBe('http-server-error');
    expect(report.message.length).toBeLessThan(400);
  });

  it('warns when a 200 is not JSON (a portal page, not the API)', async () => {
    const peer = await scripted((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>login</html>');
    });
    const report = await test(peer.url, 'AnyTokenAnyTokenAnyToken');
    expect(report.verdict).toBe('ok');
    expect(report.warnings.join(' ')).toMatch(/not with JSON/);
  });
});

describe('certificates', () => {
  // A root the test trusts, and an intermediate that signs the servers' certificates.
  let ca: Issued;
  let intermediate: Issued;
  beforeAll(async () => {
    ca = await issueCertificate({ commonName: 'Keybridge Test CA', isCa: true });
    intermediate = await issueCertificate({ commonName: 'Keybridge Test Intermediate', isCa: true, issuer: ca });
  });
  const issued = (more: Omit<Parameters<typeof issueCertificate>[0], 'issuer'>) =>
    issueCertificate({ ...more, issuer: intermediate });
  /** Serves the leaf with its intermediate, as a well-configured server does (or without it). */
  const servedBy = async (cert: Issued, sendChain = true): Promise<Peer> => {
    const chained = sendChain ? { ...cert, certPem: cert.certPem + intermediate.certPem } : cert;
    const peer = await httpsPeer(chained, (_req, res) => json(res, 200, {}));
    peers.push(peer);
    return peer;
  };
  const verified = (peer: Peer, extraCaPem: string[] = [ca.certPem]) =>
    runConnectionTest({ serverAddress: peer.url, auth: { method: 'bearer', token: 'AnyTokenAnyTokenAnyToken' }, trust: { verifyCertificate: true, extraCaPem }, proxy: null });

  it("succeeds when the server's CA is trusted", async () => {
    const peer = await servedBy(await issued({ commonName: 'good' }));
    const report = await verified(peer);
    expect(report.verdict).toBe('ok');
    expect(report.warnings).toEqual([]);
    expect(report.certificate?.selfSigned).toBe(false);
  });

  it('says untrusted root when the CA is not trusted', async () => {
    const peer = await servedBy(await issued({ commonName: 'good' }));
    const report = await verified(peer, []);
    expect(report.verdict).toBe('tls-untrusted-root');
    expect(report.certificate?.issuer).toContain('Keybridge Test Intermediate');
  });

  it('uses the OS trust store where the runtime can read it, and says so where it cannot', async () => {
    const peer = await servedBy(await issued({ commonName: 'good' }));
    const report = await runConnectionTest({ serverAddress: peer.url, auth: { method: 'bearer', token: 'AnyTokenAnyTokenAnyToken' }, trust: { verifyCertificate: true, extraCaPem: [ca.certPem], useSystemCa: true }, proxy: null });
    expect(report.verdict).toBe('ok');
    expect(report.tls?.trustSource).toBe('custom CA');
    const readable = typeof (tls as unknown as { getCACertificates?: unknown }).getCACertificates === 'function';
    expect(report.warnings.some((w) => /cannot read the OS trust store/.test(w))).toBe(!readable);
  });

  it('says incomplete chain when the server leaves out the intermediate its certificate points to', async () => {
    const peer = await servedBy(await issued({ commonName: 'good', caIssuersUrl: 'http://pki.example.com/intermediate.crt' }), false);
    const report = await verified(peer);
    expect(report.verdict).toBe('tls-incomplete-chain');
  });

  it('says untrusted root for a certificate from an unknown private CA that the server sends alone', async () => {
    const peer = await servedBy(await issued({ commonName: 'good' }), false);
    const report = await verified(peer, []);
    expect(report.verdict).toBe('tls-untrusted-root');
  });

  it('says hostname mismatch when the certificate names another host', async () => {
    const peer = await servedBy(await issued({ commonName: 'other', altNames: ['other.example'] }));
    const report = await verified(peer);
    expect(report.verdict).toBe('tls-hostname-mismatch');
    expect(report.certificate?.subjectAltNames).toContain('DNS:other.example');
  });

  it('says expired, and not yet valid, from the certificate dates', async () => {
    const day = 86_400_000;
    const expired = await servedBy(
      await issued({ commonName: 'old', notBefore: new Date(Date.now() - 20 * day), notAfter: new Date(Date.now() - 10 * day) }),
    );
    const future = await servedBy(
      await issued({ commonName: 'new', notBefore: new Date(Date.now() + 10 * day), notAfter: new Date(Date.now() + 20 * day) }),
    );
    expect((await verified(expired)).verdict).toBe('tls-expired');
    expect((await verified(future)).verdict).toBe('tls-not-yet-valid');
  });
});

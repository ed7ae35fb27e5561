// The step-by-step engine: steps and timings, trust on first use, mutual TLS, proxies, the
// authentication methods and the products' odd answers, cancellation. Real servers on 127.0.0.1.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli';
import { classifyError } from '../../src/main/core/connection-test/classify-error';
import { runConnectionTest, type TestTarget } from '../../src/main/core/connection-test/run-test';
import { issueCertificate, type Issued } from '../../tools/certificates';
import { startDemoKeyManager, type DemoKeyManager } from '../../tools/demo-key-manager';
import { httpPeer, httpsPeer, json, silentPeer, type Peer } from '../support/peers';
import { pkcs12Of } from '../support/pkcs12';


let demo: DemoKeyManager;
let leaf: Issued;
let dir: string;
const closers: Array<() => Promise<void>> = [];
const TOKEN = 'EngineTokenEngineToken01';

beforeAll(async () => {
  demo = await startDemoKeyManager();
  leaf = await issueCertificate({ commonName: 'engine' });
  dir = mkdtempSync(path.join(os.tmpdir(), 'keybridge-engine-'));
});
afterAll(async () => {
  await demo.close();
  await Promise.all(closers.map((close) => close()));
  rmSync(dir, { recursive: true, force: true });
});

const track = <T extends { close(): Promise<void> }>(peer: T): T => {
  closers.push(() => peer.close());
  return peer;
};
const run = (more: Partial<TestTarget> & Pick<TestTarget, 'serverAddress'>) =>
  runConnectionTest({ auth: { method: 'bearer', token: TOKEN }, trust: { verifyCertificate: false }, proxy: null, ...more });

describe('steps and timings', () => {
  it('reports every step with its evidence, and phase timings from the same test', async () => {
    const report = await run({ serverAddress: `localhost:${demo.port}`, auth: { method: 'bearer', token: demo.token } });
    expect(report.verdict).toBe('ok');
    expect(report.steps.map((s) => [s.id, s.status])).toEqual([
      ['address', 'passed'],
      ['dns', 'passed'],
      ['tcp', 'passed'],
      ['tls', 'passed'],
      ['http', 'passed'],
      ['auth', 'passed'],
    ]);
    const step = (id: string) => report.steps.find((s) => s.id === id);
    expect(step('dns')?.detail).toMatch(/^localhost → .*(127\.0\.0\.1|::1)/);
    expect(step('tcp')?.detail).toMatch(/connected to .*:\d+/);
    expect(step('tls')?.detail).toMatch(/TLSv1\.3 .*trusted by: not verified/);
    expect(step('http')?.detail).toMatch(/GET → HTTP 200/);
    expect(report.tls).toMatchObject({ protocol: 'TLSv1.3', trustSource: 'not verified' });
    expect(report.timings.tls).toBeGreaterThan(0);
    expect(report.timings.firstByte).toBeGreaterThan(0);
    expect(report.timings.total).toBeGreaterThanOrEqual(report.timings.tls ?? 0);
  });

  it('skips the DNS step for an IP address and stops at the failing step', async () => {
    const report = await run({ serverAddress: demo.url, trust: { verifyCertificate: true } });
    expect(report.verdict).toBe('tls-self-signed');
    expect(report.steps.map((s) => [s.id, s.status])).toEqual([
      ['address', 'passed'],
      ['dns', 'skipped'],
      ['tcp', 'passed'],
      ['tls', 'failed'],
      ['http', 'skipped'],
      ['auth', 'skipped'],
    ]);
    expect(report.tls?.trustSource).toBe('rejected');
    expect(report.timings).toMatchObject({ dns: null, firstByte: null });
    expect(report.timings.tcp).toBeGreaterThan(0);
  });

  it('never sends the token to a server whose certificate was refused', async () => {
    const peer = track(await httpsPeer(leaf, (_req, res) => json(res, 200, {})));
    const report = await run({ serverAddress: peer.url, trust: { verifyCertificate: true } });
    expect(report.verdict).toBe('tls-self-signed');
    expect(peer.seen).toHaveLength(0);
  });
});

describe('fresh connections', () => {
  it('opens a new connection with a full handshake for every test: no keep-alive, no session reuse', async () => {
    const handshakes: boolean[] = [];
    const s = https.createServer({ cert: leaf.certPem, key: leaf.keyPem }, (_req, res) => json(res, 200, {}));
    s.on('secureConnection', (socket: tls.TLSSocket) => handshakes.push(socket.isSessionReused()));
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((r) => { s.closeAllConnections(); s.close(() => r()); }));
    const url = `https://127.0.0.1:${(s.address() as AddressInfo).port}`;
    for (let i = 0; i < 3; i++) expect((await run({ serverAddress: url })).verdict).toBe('ok');
    expect(handshakes).toEqual([false, false, false]);
  });
});

describe('trust this certificate (pinning)', () => {
  it('trusts a self-signed server by its pinned key, with Verify certificate on', async () => {
    const first = await run({ serverAddress: demo.url, auth: { method: 'bearer', token: demo.token } });
    const pin = first.certificate?.spkiSha256 ?? '';
    expect(pin).toMatch(/^sha256\/[A-Za-z0-9+/]{43}=$/);
    const pinned = await run({ serverAddress: demo.url, auth: { method: 'bearer', token: demo.token }, trust: { verifyCertificate: true, pinnedSpki: pin } });
    expect(pinned.verdict).toBe('ok');
    expect(pinned.tls?.trustSource).toBe('pinned certificate');
    expect(pinned.warnings).toEqual([]);
  });

  it('fails with pin mismatch when the key changes, shows old and new, and sends nothing', async () => {
    const peer = track(await httpsPeer(leaf, (_req, res) => json(res, 200, {})));
    const oldPin = (await run({ serverAddress: demo.url })).certificate?.spkiSha256 ?? '';
    const report = await run({ serverAddress: peer.url, trust: { verifyCertificate: true, pinnedSpki: oldPin } });
    expect(report.verdict).toBe('tls-pin-mismatch');
    expect(report.expectedPin).toBe(oldPin);
    expect(report.certificate?.spkiSha256).not.toBe(oldPin);
    expect(report.message).toContain(oldPin);
    expect(report.message).toContain(report.certificate?.spkiSha256 ?? '?');
    expect(peer.seen).toHaveLength(0);
  });
});

describe('mutual TLS', () => {
  let ca: Issued;
  let client: Issued;
  let server: Peer;
  beforeAll(async () => {
    ca = await issueCertificate({ commonName: 'Client CA', isCa: true });
    client = await issueCertificate({ commonName: 'workstation-01', issuer: ca });
    const seen: string[] = [];
    const s = https.createServer({ cert: leaf.certPem, key: leaf.keyPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      seen.push(req.url ?? '');
      json(res, 200, { client: (req.socket as tls.TLSSocket).getPeerCertificate().subject?.CN });
    });
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    const port = (s.address() as AddressInfo).port;
    server = track({ url: `https://127.0.0.1:${port}`, port, seen: [], close: () => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); }) });
  });

  it('says a client certificate is required when none is given', async () => {
    const report = await run({ serverAddress: server.url });
    expect(report.verdict).toBe('tls-client-cert-required');
  });

  it('authenticates with a PEM certificate and key', async () => {
    const report = await run({ serverAddress: server.url, clientCertificate: { certPem: client.certPem, keyPem: client.keyPem } });
    expect(report.verdict).toBe('ok');
  });

  it('authenticates with PKCS#12 and its passphrase, and explains a wrong passphrase', async () => {
    const pfx = pkcs12Of(client, dir, 'correct horse').bytes;
    expect((await run({ serverAddress: server.url, clientCertificate: { pfx, passphrase: 'correct horse' } })).verdict).toBe('ok');
    const wrong = await run({ serverAddress: server.url, clientCertificate: { pfx, passphrase: 'wrong' } });
    expect(wrong.verdict).toBe('client-certificate-unusable');
    expect(JSON.stringify(wrong)).not.toContain('wrong"');
  });
});

describe('proxies', () => {
  /** A loopback HTTP proxy that tunnels CONNECT requests, and can be told to refuse. */
  async function connectProxy(refuse = false) {
    const requests: string[] = [];
    const server = http.createServer((_req, res) => res.writeHead(405).end());
    const sockets = new Set<net.Socket>();
    server.on('connect', (req, client: net.Socket) => {
      requests.push(`${req.url} auth=${req.headers['proxy-authorization'] ?? '-'}`);
      sockets.add(client);
      if (refuse) return client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      const [host, port] = (req.url ?? '').split(/:(?=\d+$)/);
      const upstream = net.connect(Number(port), host === 'localhost' ? '127.0.0.1' : host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client);
        client.pipe(upstream);
      });
      sockets.add(upstream);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    return track({
      url: `http://127.0.0.1:${port}`,
      requests,
      close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
    });
  }

  it('tunnels through a proxy, with a proxy step, and keeps the proxy password out of the report', async () => {
    const proxy = await connectProxy();
    const url = new URL(proxy.url);
    const report = await run({ serverAddress: demo.url, auth: { method: 'bearer', token: demo.token }, proxy: `http://ops:Pr0xyPass@${url.host}` });
    expect(report.verdict).toBe('ok');
    expect(report.steps.map((s) => s.id)).toEqual(['address', 'dns', 'tcp', 'proxy', 'tls', 'http', 'auth']);
    expect(report.steps.find((s) => s.id === 'proxy')?.detail).toContain(`via ${url.host}`);
    expect(proxy.requests).toEqual([`127.0.0.1:${demo.port} auth=Basic ${Buffer.from('ops:Pr0xyPass').toString('base64')}`]);
    expect(JSON.stringify(report)).not.toContain('Pr0xyPass');
  });

  it('reports a proxy that refuses the tunnel', async () => {
    const proxy = await connectProxy(true);
    const report = await run({ serverAddress: demo.url, proxy: proxy.url });
    expect(report.verdict).toBe('proxy-failure');
    expect(report.message).toContain('HTTP 403');
  });

  it('honours HTTPS_PROXY and NO_PROXY from the environment', async () => {
    const proxy = await connectProxy();
    const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, NO_PROXY: process.env.NO_PROXY };
    try {
      process.env.HTTPS_PROXY = proxy.url;
      process.env.NO_PROXY = 'example.invalid';
      const viaProxy = await runConnectionTest({ serverAddress: demo.url, auth: { method: 'bearer', token: demo.token }, trust: { verifyCertificate: false } });
      expect(viaProxy.steps.some((s) => s.id === 'proxy')).toBe(true);
      process.env.NO_PROXY = '127.0.0.1';
      const direct = await runConnectionTest({ serverAddress: demo.url, auth: { method: 'bearer', token: demo.token }, trust: { verifyCertificate: false } });
      expect(direct.verdict).toBe('ok');
      expect(direct.steps.some((s) => s.id === 'proxy')).toBe(false);
      expect(proxy.requests).toHaveLength(1);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});

describe('authentication methods', () => {
  it('sends an API key in a named header (apikey, AUTHTOKEN)', async () => {
    const peer = track(await httpsPeer(leaf, (req, res) => json(res, req.headers.apikey === 'StaKeyStaKeyStaKey' ? 200 : 401, {})));
    const report = await run({ serverAddress: peer.url, endpoint: '/api/v1/tenants/ABC/users', auth: { method: 'header', headerName: 'apikey', key: 'StaKeyStaKeyStaKey' } });
    expect(report.verdict).toBe('ok');
    expect(peer.seen[0]).toMatchObject({ url: '/api/v1/tenants/ABC/users', authorization: undefined });
  });

  it('sends HTTP Basic credentials', async () => {
    const expected = `Basic ${Buffer.from('svc-portal:s3cret pass').toString('base64')}`;
    const peer = track(await httpsPeer(leaf, (req, res) => json(res, req.headers.authorization === expected ? 200 : 401, {})));
    const report = await run({ serverAddress: peer.url, auth: { method: 'basic', username: 'svc-portal', password: 's3cret pass' } });
    expect(report.verdict).toBe('ok');
  });

  describe('Passportal access key exchange', () => {
    const SECRET = 'PassportalSecretAccessKey0123';
    let passportal: Peer;
    const contents: string[] = [];
    beforeAll(async () => {
      passportal = track(
        await httpsPeer(leaf, (req, res) => {
          let body = '';
          req.on('data', (c) => (body += c));
          req.on('end', () => {
            if (req.method === 'POST' && req.url === '/api/v2/auth/client_token') {
              const { content, scope } = JSON.parse(body) as { content: string; scope: string };
              contents.push(content);
              const hash = createHmac('sha256', SECRET).update(content).digest('hex');
              if (req.headers['x-key'] !== 'AKID-1' || req.headers['x-hash'] !== hash || scope !== 'docs_api') {
                return json(res, 401, { success: false, message: 'Key verification failed', code: 1000 });
              }
              return json(res, 200, { success: true, access_token: 'IssuedAccessToken42', expiry_time: 1_900_000_000 });
            }
            if (req.url === '/api/v2/documents?resultsPerPage=1') {
              return json(res, req.headers['x-access-token'] === 'IssuedAccessToken42' ? 200 : 401, { success: true, results: [] });
            }
            json(res, 404, {});
          });
        }),
      );
    });

    it('exchanges the signed content for an access token, uses it, and reports its expiry', async () => {
      const report = await run({ serverAddress: passportal.url, auth: { method: 'passportal-hmac', accessKeyId: 'AKID-1', secretAccessKey: SECRET } });
      expect(report.verdict).toBe('ok');
      expect(report.accessTokenExpiresAt).toBe(new Date(1_900_000_000_000).toISOString());
      expect(report.url).toBe(`${passportal.url}/api/v2/documents?resultsPerPage=1`);
      const again = await run({ serverAddress: passportal.url, auth: { method: 'passportal-hmac', accessKeyId: 'AKID-1', secretAccessKey: SECRET } });
      expect(again.verdict).toBe('ok');
      expect(new Set(contents).size).toBe(contents.length);
      expect(JSON.stringify([report, again])).not.toMatch(/IssuedAccessToken42|PassportalSecret/);
    });

    it('reports a wrong secret with the server\'s message', async () => {
      const report = await run({ serverAddress: passportal.url, auth: { method: 'passportal-hmac', accessKeyId: 'AKID-1', secretAccessKey: 'WrongSecretWrongSecret' } });
      expect(report.verdict).toBe('http-unauthorized');
      expect(report.message).toContain('Key verification failed');
    });
  });

  it('reads a 200 with operation.result.status "Failed" as rejected (ManageEngine)', async () => {
    const peer = track(
      await httpsPeer(leaf, (_req, res) =>
        json(res, 200, { operation: { name: 'GET RESOURCES', result: { status: 'Failed', message: 'User is not allowed to access from this host' } } }),
      ),
    );
    const report = await run({ serverAddress: `${peer.url}`, endpoint: '/restapi/json/v1/resources', auth: { method: 'header', headerName: 'AUTHTOKEN', key: 'PmpKeyPmpKeyPmpKey' } });
    expect(report.verdict).toBe('auth-rejected');
    expect(report.message).toContain('User is not allowed to access from this host');
    expect(report.steps.find((s) => s.id === 'auth')).toMatchObject({ status: 'failed' });
  });

  it('applies an explicit success rule', async () => {
    const peer = track(await httpsPeer(leaf, (_req, res) => json(res, 200, { state: 'locked' })));
    const report = await run({ serverAddress: peer.url, successRule: { jsonPath: 'state', equals: 'active' } });
    expect(report.verdict).toBe('auth-rejected');
  });
});

describe('the request got sends', () => {
  it('carries only the headers Keybridge chose: no default User-Agent, no Accept-Encoding, no keep-alive', async () => {
    let seen: Record<string, string | string[] | undefined> = {};
    const peer = track(
      await httpsPeer(leaf, (req, res) => {
        seen = req.headers;
        json(res, 200, { ok: true });
      }),
    );
    const report = await runConnectionTest({ serverAddress: peer.url, auth: { method: 'bearer', token: TOKEN }, trust: { verifyCertificate: false }, proxy: null }, { userAgent: 'Keybridge/9.9' });
    expect(report.verdict).toBe('ok');
    expect(Object.keys(seen).sort()).toEqual(['accept', 'authorization', 'connection', 'host', 'user-agent']);
    expect(seen).toMatchObject({ accept: 'application/json', 'user-agent': 'Keybridge/9.9', connection: 'close' });
  });
});

describe('a client certificate asked for after the handshake (TLS 1.3)', () => {
  it('reads nginx\'s 400 "No required SSL certificate was sent" as tls-client-cert-required, with its words', async () => {
    const peer = track(
      await httpsPeer(leaf, (_req, res) => {
        res.writeHead(400, { 'content-type': 'text/html' });
        res.end('<html><head><title>400 No required SSL certificate was sent</title></head><body><center><h1>400 Bad Request</h1></center><center>No required SSL certificate was sent</center><hr><center>nginx</center></body></html>');
      }),
    );
    const report = await run({ serverAddress: peer.url });
    expect(report.verdict).toBe('tls-client-cert-required');
    expect(report.message).toContain('No required SSL certificate was sent');
    expect(report.hint).toMatch(/Client certificate/);
    // An ordinary 400 stays what it is.
    const plain = track(await httpsPeer(leaf, (_req, res) => json(res, 400, { message: 'Bad query' })));
    expect((await run({ serverAddress: plain.url })).verdict).toBe('http-unexpected-status');
  });
});

describe('Verify certificate No', () => {
  it('still says when the certificate is for another name, in the report and the CLI', async () => {
    const other = await issueCertificate({ commonName: 'other', altNames: ['other.example.com'] });
    const peer = track(await httpsPeer(other, (_req, res) => json(res, 200, { ok: true })));
    const report = await run({ serverAddress: peer.url });
    expect(report.verdict).toBe('ok');
    expect(report.warnings.join(' ')).toMatch(/The certificate is not for 127\.0\.0\.1: it names .*other\.example\.com\. Check that the address is right/);
    const out: string[] = [];
    await runCli(['test', peer.url, '--token-env', 'T', '--no-verify'], { out: (t) => out.push(t), err: (t) => out.push(t), env: { T: TOKEN } });
    expect(out.join('\n')).toMatch(/Warning: The certificate is not for 127\.0\.0\.1/);
    // A certificate that does name the host gets only the general warning.
    const named = await run({ serverAddress: `https://127.0.0.1:${demo.port}`, auth: { method: 'bearer', token: demo.token } });
    expect(named.warnings.join(' ')).not.toMatch(/is not for/);
  });
});

describe('other failures', () => {
  it('can be cancelled while it runs', async () => {
    const peer = track(await silentPeer());
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const report = await run({ serverAddress: peer.url, signal: controller.signal, timeoutMs: 10_000 });
    expect(report.verdict).toBe('test-cancelled');
    expect(report.durationMs).toBeLessThan(2_000);
  });

  it('says connection reset when the server drops the connection', async () => {
    const server = net.createServer((socket) => socket.resetAndDestroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((r) => server.close(() => r())));
    const report = await run({ serverAddress: `https://127.0.0.1:${(server.address() as AddressInfo).port}` });
    expect(report.verdict).toBe('connection-reset');
  });

  it('says the TLS version is not supported by a TLS 1.0-only server', async () => {
    const s = https.createServer({ cert: leaf.certPem, key: leaf.keyPem, maxVersion: 'TLSv1', minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }, (_q, r) => r.end());
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    const port = (s.address() as AddressInfo).port;
    const peer = track({ url: `https://127.0.0.1:${port}`, port, seen: [], close: () => new Promise<void>((r) => s.close(() => r())) });
    const report = await run({ serverAddress: peer.url });
    expect(report.verdict).toBe('tls-protocol-version');
  });

  it('sends over plain http:// only when allowed, and warns', async () => {
    const peer = track(await httpPeer((_req, res) => json(res, 200, {})));
    const report = await run({ serverAddress: peer.url, allowInsecureHttp: true });
    expect(report.verdict).toBe('ok');
    expect(report.steps.find((s) => s.id === 'tls')?.status).toBe('skipped');
    expect(report.warnings.join(' ')).toMatch(/unencrypted/);
    expect(peer.seen[0]?.authorization).toBe(`Bearer ${TOKEN}`);
  });
});

describe('error classification (Node/OpenSSL and Electron/BoringSSL spellings)', () => {
  it.each([
    [{ code: 'ENOTFOUND' }, 'dns-not-found'],
    [{ code: 'EAI_AGAIN' }, 'dns-failure'],
    [{ code: 'EHOSTUNREACH' }, 'host-unreachable'],
    [{ code: 'ERR_SSL_WRONG_VERSION_NUMBER' }, 'tls-not-tls'],
    [{ message: 'error:100000f7:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER' }, 'tls-not-tls'],
    [{ message: 'error:1000042e:SSL routines:OPENSSL_internal:TLSV1_ALERT_PROTOCOL_VERSION' }, 'tls-protocol-version'],
    [{ message: 'error:10000410:SSL routines:OPENSSL_internal:SSLV3_ALERT_HANDSHAKE_FAILURE' }, 'tls-handshake-failure'],
    [{ code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' }, 'tls-client-cert-required'],
    [{ code: 'EE_KEY_TOO_SMALL' }, 'tls-weak-certificate'],
    [{ name: 'TimeoutError', event: 'response' }, 'timeout'],
    [{ code: 'ERR_GOT_REQUEST_ERROR', cause: { code: 'ECONNRESET' } }, 'connection-reset'],
  ])('%j -> %s', (error, verdict) => {
    expect(classifyError(error).verdict).toBe(verdict);
  });
});

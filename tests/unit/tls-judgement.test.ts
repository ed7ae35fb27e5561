// Where the handshake-based judgement must NOT blame the client certificate, and the edges of the
// post-handshake retry and the legacy probe (found by a hostile review; each case failed before).
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConnectionTest, type TestTarget } from '../../src/main/core/connection-test/run-test';
import { describeRequest, judgeTlsFailure } from '../../src/main/core/connection-test/tls-failure';
import { observedHandshake, requestFrom } from '../support/observations';
import { VERDICT_TEXTS } from '../../src/main/core/connection-test/verdicts';
import { clientCertificateFact } from '../../src/shared/report-text';
import { issueCertificate, type Issued } from '../../tools/certificates';

const TOKEN = 'JudgementToken-0123456789';
let clientCa: Issued;
let client: Issued;
let leaf: Issued;
const closers: Array<() => void> = [];

beforeAll(async () => {
  clientCa = await issueCertificate({ commonName: 'Judgement Client CA', isCa: true });
  [client, leaf] = await Promise.all([issueCertificate({ commonName: 'workstation', issuer: clientCa }), issueCertificate({ commonName: 'localhost' })]);
});
afterAll(() => closers.forEach((close) => close()));

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => server.close());
  return (server.address() as AddressInfo).port;
}
const run = (more: Partial<TestTarget> & Pick<TestTarget, 'serverAddress'>) =>
  runConnectionTest({ auth: { method: 'bearer', token: TOKEN }, trust: { verifyCertificate: false }, proxy: null, timeoutMs: 5_000, ...more });

describe('not the client certificate\'s fault', () => {
  it('a TLS 1.2 server that asks for a certificate optionally, then drops the request: connection-reset, with or without one', async () => {
    const server = tls.createServer({ cert: leaf.certPem, key: leaf.keyPem, ca: clientCa.certPem, requestCert: true, rejectUnauthorized: false, maxVersion: 'TLSv1.2' }, (socket) => {
      socket.once('data', () => socket.destroy());
    });
    server.on('tlsClientError', () => undefined);
    const url = `https://localhost:${await listen(server)}`;
    expect((await run({ serverAddress: url })).verdict).toBe('connection-reset');
    const withCert = await run({ serverAddress: url, clientCertificate: { certPem: client.certPem, keyPem: client.keyPem } });
    expect(withCert.verdict).toBe('connection-reset');
    // What it asked is still a fact of the handshake.
    expect(withCert.tls?.clientCertificateRequest?.acceptedIssuers).toEqual(['CN=Judgement Client CA']);
  });

  it('close_notify in answer to the ClientHello is a closed connection, not a refused handshake', async () => {
    const server = net.createServer((socket) => socket.once('data', () => socket.end(Buffer.from([21, 3, 3, 0, 2, 1, 0]))));
    const report = await run({ serverAddress: `https://localhost:${await listen(server)}` });
    expect(report.verdict).toBe('connection-reset');
  });

  const observation = observedHandshake;
  const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  const asked = requestFrom('CN=Judgement Client CA');

  it('a warning alert (unrecognized_name) before a reset is not the cause', () => {
    expect(judgeTlsFailure(reset, observation({ alert: { level: 1, description: 112 } }), { configured: false }, 'handshake').verdict).toBe('connection-reset');
  });

  it('after the server went on (its Finished, a session ticket), a failure is not a certificate refusal', () => {
    const badCertificate = { code: 'ERR_SSL_SSL/TLS_ALERT_BAD_CERTIFICATE', message: 'ssl/tls alert bad certificate: SSL alert number 42' };
    // TLS 1.3: a session ticket came. (In TLS 1.2 a later handshake alert is a renegotiation: stack-verdicts' pha-12.)
    const wentOn = observation({ serverHello: { version: 'TLSv1.3', cipherSuite: 0x1302 }, certificateRequest: asked, serverWentOn: true });
    expect(judgeTlsFailure(reset, wentOn, { configured: false }, 'after-handshake').verdict).toBe('connection-reset');
    expect(judgeTlsFailure(badCertificate, wentOn, { configured: false }, 'after-handshake').verdict).toBe('tls-handshake-failure');
  });

  it('a failure of Keybridge\'s own TLS after a CertificateRequest is not the server refusing', () => {
    const local = { code: 'ERR_SSL_CIPHER_OPERATION_FAILED', message: 'error:0A0000C0:SSL routines::cipher operation failed' };
    expect(judgeTlsFailure(local, observation({ certificateRequest: asked }), { configured: false }, 'handshake').verdict).toBe('tls-handshake-failure');
  });
});

describe('post-handshake authentication and the legacy probe, at their edges', () => {
  it('a TLS 1.3-only server that asks after the handshake: the certificate cannot be given, and the report says why', async () => {
    const seen: string[] = [];
    const server = https.createServer({ cert: leaf.certPem, key: leaf.keyPem, minVersion: 'TLSv1.3' }, (req, res) => {
      seen.push(req.headers.authorization ?? '');
      res.writeHead(403, { 'content-type': 'text/html' }).end('<p>Reason: Cannot perform Post-Handshake Authentication.<br /></p>');
    });
    const url = `https://localhost:${await listen(server)}`;
    const report = await run({ serverAddress: url, clientCertificate: { certPem: client.certPem, keyPem: client.keyPem } });
    expect(report.verdict).toBe('tls-client-cert-required');
    expect(report.message).toMatch(/does not accept TLS 1\.2/);
    expect(report.hint).toMatch(/whole server/);
    expect(report.warnings.join(' ')).not.toMatch(/tested again over TLS 1\.2/);
    expect(report.steps.find((s) => s.id === 'tls')?.detail).toMatch(/^again capped at TLS 1\.2/);
    expect(seen).toEqual([`Bearer ${TOKEN}`]); // once, over the verified connection; no TLS 1.0/1.1 probe either
  });

  it('the legacy probes fit in what is left of the test\'s time, so the finding is not lost to a timeout', async () => {
    const silent = net.createServer((socket) => socket.once('data', () => socket.destroy()));
    const target = await listen(silent);
    // A proxy that takes 500 ms per tunnel.
    const proxy = http.createServer();
    proxy.on('connect', (_req, socket: net.Socket) => {
      setTimeout(() => {
        const upstream = net.connect(target, '127.0.0.1', () => {
          socket.write('HTTP/1.1 200 Connection established\r\n\r\n');
          upstream.pipe(socket).pipe(upstream);
        });
        upstream.on('error', () => socket.destroy());
        socket.on('error', () => upstream.destroy());
      }, 500);
    });
    const proxyPort = await listen(proxy);
    const report = await run({ serverAddress: `https://km.invalid:${target}`, proxy: `http://127.0.0.1:${proxyPort}`, timeoutMs: 1_400 });
    expect(report.verdict).toBe('connection-reset');
    expect(report.steps.find((s) => s.id === 'tls')?.detail).toMatch(/before showing its certificate/);
  });
});

describe('long lists of accepted issuers stay short in the report', () => {
  it('counts what the tap did not keep', () => {
    expect(describeRequest(['CN=A', 'CN=B', 'CN=C', 'CN=D'], 9)).toBe('the server asked for a client certificate issued by CN=A or CN=B or CN=C (or 10 more)');
    const many = Array.from({ length: 32 }, (_, i) => `CN=Issuing CA ${i} ${'x'.repeat(150)}`);
    const fact = clientCertificateFact({ protocol: 'TLSv1.2', cipher: null, trustSource: 'custom CA', chain: [], clientCertificateRequest: { acceptedIssuers: many, omitted: 9, sent: false } });
    expect(fact).toMatch(/and 38 more; none sent$/);
    expect(fact!.length).toBeLessThan(600);
  });

  it('an expired certificate from an accepted issuer gets the hint about expiry, not about issuers', () => {
    const context = { host: 'km', port: 443, url: '', acceptedIssuers: ['CN=A'], clientIssuer: 'CN=A', clientIssuerAccepted: true, alert: 45 };
    expect(VERDICT_TEXTS['tls-client-cert-rejected'].hint(context)).toMatch(/expired/);
    expect(VERDICT_TEXTS['tls-client-cert-rejected'].hint({ ...context, alert: 42 })).toMatch(/trusts the issuer/);
    expect(VERDICT_TEXTS['tls-client-cert-rejected'].hint({ ...context, clientIssuer: 'CN=B', clientIssuerAccepted: false, alert: 42 })).toMatch(/issued by one of the authorities/);
  });
});

describe('a second look at the server is used only when it is the same server', () => {
  /** One port that hands its n-th connection to the n-th target (a load balancer, or someone in between). */
  async function router(targets: Array<number | 'refuse'>): Promise<number> {
    let n = 0;
    const server = net.createServer((socket) => {
      const target = targets[Math.min(n++, targets.length - 1)];
      if (target === 'refuse') return socket.destroy();
      const upstream = net.connect(target as number, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    return listen(server);
  }
  const tlsServer = async (options: tls.TlsOptions, onSocket: (socket: tls.TLSSocket) => void = () => undefined): Promise<number> => {
    const server = tls.createServer(options, onSocket);
    server.on('tlsClientError', () => undefined);
    return listen(server);
  };

  it('another server key on the second connection: its request is not shown, and the detail says so', async () => {
    const other = await issueCertificate({ commonName: 'localhost' });
    const otherCa = await issueCertificate({ commonName: 'Someone Else CA', isCa: true });
    const resetting = await tlsServer({ cert: leaf.certPem, key: leaf.keyPem }, (socket) => socket.once('data', () => socket.destroy()));
    const asking = await tlsServer({ cert: other.certPem, key: other.keyPem, ca: otherCa.certPem, requestCert: true, rejectUnauthorized: true, maxVersion: 'TLSv1.2' });
    const report = await run({ serverAddress: `https://localhost:${await router([resetting, asking])}` });
    expect(report.verdict).toBe('connection-reset');
    expect(JSON.stringify(report)).not.toContain('Someone Else CA');
    expect(report.steps.find((s) => s.id === 'http')?.detail).toMatch(/another key and was not used/);
  });

  it('a client-certificate verdict the connection itself gave is not undone by a second look', async () => {
    const requiring = await tlsServer({ cert: leaf.certPem, key: leaf.keyPem, ca: clientCa.certPem, requestCert: true, rejectUnauthorized: true });
    const open = await tlsServer({ cert: leaf.certPem, key: leaf.keyPem }, (socket) => socket.end());
    const report = await run({ serverAddress: `https://localhost:${await router([requiring, open])}` });
    expect(report.verdict).toBe('tls-client-cert-required');
  });

  it('no second connection to be had: the connection\'s own verdict, and the detail says a second look could not be made', async () => {
    const requiring = await tlsServer({ cert: leaf.certPem, key: leaf.keyPem, ca: clientCa.certPem, requestCert: true, rejectUnauthorized: true, maxVersion: 'TLSv1.2' });
    const report = await run({ serverAddress: `https://localhost:${await router([requiring, 'refuse'])}` });
    expect(report.verdict).toBe('tls-handshake-failure');
    expect(report.steps.find((s) => s.id === 'tls')?.detail, JSON.stringify(report.steps)).toMatch(/handshake_failure \(40\); a second handshake, to see what the server asked for, could not be made/);
  });

  it('the same server on the second connection: what it asked for is named, and where that was seen', async () => {
    const requiring = await tlsServer({ cert: leaf.certPem, key: leaf.keyPem, ca: clientCa.certPem, requestCert: true, rejectUnauthorized: true, maxVersion: 'TLSv1.2' });
    const report = await run({ serverAddress: `https://localhost:${requiring}` });
    expect(report.verdict).toBe('tls-client-cert-required');
    expect(report.message).toContain('This server accepts client certificates issued by CN=Judgement Client CA.');
    expect(report.steps.find((s) => s.id === 'tls')?.detail).toMatch(/seen on a second handshake with the same server key/);
  });
});

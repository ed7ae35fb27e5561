// A gateway or proxy in front of the key manager that answers 502, 503 or 504: reported on the
// Request step, with a verdict of its own that names the gateway when the answer does (its Server
// or Via header, its error page) and does not claim one when nothing says so. The signature table
// on its own; the engine against Node HTTPS servers sending those answers; and the engine against
// real gateways from Debian (nginx, HAProxy, Apache httpd) on 127.0.0.1 in front of a key manager
// that is down or silent (tests/support/stacks/gateways.ts). A missing package skips its cases with
// one line naming it; KEYBRIDGE_REQUIRE_STACKS=1 turns that into a failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identifyGateway, MAX_HEADER_SHOWN } from '../../src/main/core/connection-test/gateway-signature';
import { runConnectionTest } from '../../src/main/core/connection-test/run-test';
import { VERDICT_TEXTS } from '../../src/main/core/connection-test/verdicts';
import { PRESETS } from '../../src/shared/presets';
import type { TestReport, Verdict } from '../../src/shared/types';
import { runEngine, TOKEN, useEngineServers } from '../support/engine-servers';
import { json } from '../support/peers';
import { GATEWAY_UPSTREAMS, startGateway, type GatewayName, type RunningGateway, type Upstream } from '../support/stacks/gateways';
import { makeStackMaterials, type StackMaterials } from '../support/stacks/materials';

const servers = useEngineServers();
const REQUIRED = process.env.KEYBRIDGE_REQUIRE_STACKS === '1';
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

// The pages as the products send them (nginx 1.22, HAProxy 2.6, Apache 2.4, IIS 10 with ARR, Varnish 7).
const NGINX_502 = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n';
const NGINX_504_NO_TOKENS = '<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
const HAPROXY_503 = '<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n';
const HAPROXY_504 = "<html><body><h1>504 Gateway Time-out</h1>\nThe server didn't respond in time.\n</body></html>\n";
const APACHE_502 =
  '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>502 Proxy Error</title>\n</head><body>\n<h1>Proxy Error</h1>\n<p>The proxy server received an invalid\r\nresponse from an upstream server.<br />\r\nThe proxy server could not handle the request<p>Reason: <strong>Error reading from remote server</strong></p></p>\n<hr>\n<address>Apache/2.4.62 (Debian) Server at localhost Port 8443</address>\n</body></html>\n';
const AWSELB_502 = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n';
const IIS_502 = '<html><head><title>502 - Web server received an invalid response while acting as a gateway or proxy server.</title></head><body><h2>502 - Web server received an invalid response while acting as a gateway or proxy server.</h2></body></html>';
const VARNISH_503 = '<!DOCTYPE html>\n<html>\n  <head>\n    <title>503 Backend fetch failed</title>\n  </head>\n  <body>\n    <h1>Error 503 Backend fetch failed</h1>\n    <p>Backend fetch failed</p>\n    <h3>Guru Meditation:</h3>\n    <p>XID: 32770</p>\n    <hr>\n    <p>Varnish cache server</p>\n  </body>\n</html>\n';

describe('gateway signatures', () => {
  it.each([
    ['nginx by its page', { server: 'nginx/1.22.1', 'content-type': 'text/html' }, NGINX_502, 'nginx', 'its error page'],
    ['nginx without version tokens', { server: 'nginx', 'content-type': 'text/html' }, NGINX_504_NO_TOKENS, 'nginx', 'its error page'],
    ['HAProxy by its page (it sends no Server header)', { 'content-type': 'text/html' }, HAPROXY_503, 'HAProxy', 'its error page'],
    ['HAProxy by Via', { via: 'HTTP/1.1 haproxy' }, '', 'HAProxy', 'Via: HTTP/1.1 haproxy'],
    ['Apache by its Proxy Error page', { server: 'Apache/2.4.62 (Debian)', 'content-type': 'text/html; charset=iso-8859-1' }, APACHE_502, 'Apache HTTP Server', 'its error page'],
    ['AWS ELB by Server', { server: 'awselb/2.0', 'content-type': 'text/html' }, AWSELB_502, 'AWS Elastic Load Balancing', 'Server: awselb/2.0'],
    ['Cloudflare by Server', { server: 'cloudflare', 'cf-ray': '8a1b2c3d4e5f6a7b-AMS' }, '', 'Cloudflare', 'Server: cloudflare'],
    ['IIS (Application Request Routing) by its page', { server: 'Microsoft-IIS/10.0', 'content-type': 'text/html' }, IIS_502, 'Microsoft IIS', 'its error page'],
    ['Envoy by Server', { server: 'envoy', 'content-type': 'text/plain' }, 'upstream connect error or disconnect/reset before headers. reset reason: connection failure', 'Envoy', 'its error page'],
    ['Varnish by Via', { via: '1.1 varnish (Varnish/7.1)' }, '', 'Varnish', 'Via: 1.1 varnish (Varnish/7.1)'],
  ] as const)('%s', (_name, headers, body, product, evidence) => {
    const gateway = identifyGateway(headers, body);
    expect(gateway.product).toBe(product);
    expect(gateway.evidence).toBe(evidence);
  });

  it("reads the page's own words: HAProxy's, Apache's, a Varnish title; not a bare status line", () => {
    expect(identifyGateway({}, HAPROXY_503).says).toBe('No server is available to handle this request.');
    expect(identifyGateway({}, HAPROXY_504).says).toBe("The server didn't respond in time.");
    expect(identifyGateway({}, APACHE_502).says).toBe('The proxy server received an invalid response from an upstream server.');
    expect(identifyGateway({ via: '1.1 varnish' }, VARNISH_503)).toMatchObject({ product: 'Varnish', evidence: 'its error page', says: 'Backend fetch failed' });
    expect(identifyGateway({ server: 'nginx' }, NGINX_502).says).toBeNull();
    expect(identifyGateway({}, AWSELB_502)).toMatchObject({ product: null, says: null });
  });

  it('names the one that made the page, and the one that passed it on', () => {
    const gateway = identifyGateway({ server: 'cloudflare', 'cf-ray': '8a1b2c3d4e5f6a7b-AMS' }, NGINX_502);
    expect(gateway).toMatchObject({ product: 'nginx', evidence: 'its error page', passedOnBy: { product: 'Cloudflare', evidence: 'Server: cloudflare' } });
    // Via lists the hops nearest the server first.
    expect(identifyGateway({ via: '1.1 varnish (Varnish/7.1), 1.1 kong/3.4.0' }, '')).toMatchObject({ product: 'Varnish', passedOnBy: { product: 'Kong' } });
  });

  it('claims no gateway when nothing names one, and shows an unknown Server as it is', () => {
    expect(identifyGateway({ server: 'Jetty(9.4.51.v20230217)' }, '{"message":"maintenance"}')).toMatchObject({ product: null, evidence: null, server: 'Jetty(9.4.51.v20230217)' });
    expect(identifyGateway({}, '')).toMatchObject({ product: null, evidence: null, server: null, says: null, passedOnBy: null });
  });

  it('bounds and cleans the header values it shows, and redacts the secrets in them', () => {
    const gateway = identifyGateway({ server: `Evil\u009b31m\u0007${'A'.repeat(500)}`, via: `1.1 varnish \u001b]8;;x\u0007${'B'.repeat(500)}` }, '');
    expect(gateway.server?.length).toBeLessThanOrEqual(MAX_HEADER_SHOWN);
    expect(gateway.server).not.toMatch(CONTROL);
    expect(gateway.evidence?.length).toBeLessThanOrEqual(MAX_HEADER_SHOWN + 'Via: '.length);
    expect(gateway.evidence).not.toMatch(CONTROL);
    expect(identifyGateway({ server: `proxy ${TOKEN}` }, '', [TOKEN]).server).toBe('proxy [redacted]');
  });

  it('reads Retry-After in seconds only', () => {
    expect(identifyGateway({ 'retry-after': '120' }, '').retryAfterSeconds).toBe(120);
    expect(identifyGateway({ 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }, '').retryAfterSeconds).toBeNull();
  });
});

const step = (report: TestReport, id: string) => report.steps.find((s) => s.id === id);

/** What every gateway report must show: its verdict, failed on the Request step, nothing about the credentials or the certificate. */
function expectGatewayReport(report: TestReport, verdict: Verdict, status: number): void {
  const summary = `${report.verdict}: ${report.title} | ${report.message} | ${report.steps.map((s) => `${s.id} ${s.status}: ${s.detail}`).join(' | ')}`;
  expect(report.verdict, summary).toBe(verdict);
  expect(report.httpStatus).toBe(status);
  expect(step(report, 'http')?.status, summary).toBe('failed');
  expect(step(report, 'auth')).toMatchObject({ status: 'skipped', detail: 'not reached' });
  expect(report.hint).not.toMatch(/key manager's logs|token|Verify certificate|trust this certificate/i);
}

describe('the engine, against HTTPS servers answering 502, 503, 504', () => {
  const answering = (status: number, headers: Record<string, string>, body: string) =>
    servers.httpsPeer((_req, res) => {
      res.writeHead(status, headers);
      res.end(body);
    });

  it("502 from nginx: Bad gateway, named, on the Request step; the gateway's upstream to check", async () => {
    const peer = await answering(502, { server: 'nginx/1.22.1', 'content-type': 'text/html' }, NGINX_502);
    const report = await runEngine({ serverAddress: peer.url });
    expectGatewayReport(report, 'http-bad-gateway', 502);
    expect(report.title).toBe('Bad gateway: nginx got no valid answer from the key manager behind it');
    expect(report.message).toContain('answered HTTP 502 Bad Gateway from nginx (its error page)');
    expect(report.hint).toMatch(/upstream \(backend\) configuration/);
    expect(step(report, 'http')?.detail).toBe('GET → HTTP 502 Bad Gateway; server: nginx/1.22.1; answered by nginx (its error page)');
  });

  it('503 from HAProxy: no server available behind it, in its own words', async () => {
    const peer = await answering(503, { 'content-type': 'text/html', 'cache-control': 'no-cache' }, HAPROXY_503);
    const report = await runEngine({ serverAddress: peer.url });
    expectGatewayReport(report, 'http-service-unavailable', 503);
    expect(report.title).toBe('Service unavailable: HAProxy has no key manager available behind it');
    expect(report.message).toContain('Its page says: "No server is available to handle this request."');
    expect(report.hint).toMatch(/service is running.*backend \(upstream\) configuration, its health checks/);
  });

  it('503 with nothing naming a gateway: what the server answered, and both possibilities', async () => {
    const peer = await servers.httpsPeer((_req, res) => json(res, 503, { message: 'Down for maintenance' }, { 'retry-after': '300' }));
    const report = await runEngine({ serverAddress: peer.url });
    expectGatewayReport(report, 'http-service-unavailable', 503);
    expect(report.title).toBe('Service unavailable');
    expect(report.message).toMatch(/answered HTTP 503 Service Unavailable: the key manager is overloaded or down for maintenance, or a gateway or proxy in front of it has no server available/);
    expect(report.message).toContain('after 300 s');
    expect(report.message).toContain('The server said: "Down for maintenance"');
    expect(report.message).not.toMatch(/ from [A-Z]/);
  });

  it('504 passed on by Varnish (Via), and by AWS ELB (Server)', async () => {
    const varnish = await answering(504, { via: '1.1 varnish (Varnish/7.1)', 'content-type': 'text/html' }, '<html><body>timeout</body></html>');
    const report = await runEngine({ serverAddress: varnish.url });
    expectGatewayReport(report, 'http-gateway-timeout', 504);
    expect(report.title).toBe('Gateway timeout: Varnish got no answer from the key manager in time');
    expect(report.message).toContain('from Varnish (Via: 1.1 varnish (Varnish/7.1))');
    const elb = await answering(504, { server: 'awselb/2.0', 'content-type': 'text/html' }, AWSELB_502.replace(/502 Bad Gateway/g, '504 Gateway Time-out'));
    expect((await runEngine({ serverAddress: elb.url })).message).toContain('from AWS Elastic Load Balancing (Server: awselb/2.0)');
  });

  it("shows a hostile Server header bounded and without control characters, and without the token", async () => {
    // Node sends obs-text as latin-1 bytes: \x9b arrives as U+009B, a terminal's CSI.
    const peer = await answering(502, { server: `gw\x9b31m ${TOKEN} ${'x'.repeat(400)}` }, '');
    const report = await runEngine({ serverAddress: peer.url });
    expectGatewayReport(report, 'http-bad-gateway', 502);
    const shown = [report.title, report.message, report.hint, ...report.steps.map((s) => s.detail)].join(' | ');
    expect(shown).not.toMatch(CONTROL);
    expect(shown).not.toContain(TOKEN);
    expect(step(report, 'http')?.detail.length).toBeLessThan(160);
    expect(report.message.length).toBeLessThan(500);
  });

  it('names the proxy the test went through in what to check', async () => {
    const peer = await answering(502, { server: 'nginx', 'content-type': 'text/html' }, NGINX_502);
    const proxy = await servers.connectProxy();
    const report = await runEngine({ serverAddress: peer.url, proxy: proxy.url });
    expectGatewayReport(report, 'http-bad-gateway', 502);
    expect(report.hint).toContain(`went through the proxy ${new URL(proxy.url).host}`);
    expect(report.hint).toContain('Proxy tab');
  });

  it('a gateway error in the Passportal key exchange is the Request step too', async () => {
    const peer = await answering(503, { 'content-type': 'text/html' }, HAPROXY_503);
    const report = await runEngine({ serverAddress: peer.url, endpoint: PRESETS.passportal.endpoint, auth: { method: 'passportal-hmac', accessKeyId: 'AKID-1', secretAccessKey: 'PassportalSecretAccessKey0123' } });
    expectGatewayReport(report, 'http-service-unavailable', 503);
    expect(step(report, 'http')?.detail).toMatch(/^POST \/api\/v2\/auth\/client_token → HTTP 503 Service Unavailable; answered by HAProxy/);
  });

  it("any other server error is the Request step's as well: the credentials were never judged", async () => {
    const peer = await servers.httpsPeer((_req, res) => json(res, 500, { message: 'NullPointerException' }));
    const report = await runEngine({ serverAddress: peer.url });
    expect(report.verdict).toBe('http-server-error');
    expect(step(report, 'http')).toMatchObject({ status: 'failed', detail: 'GET → HTTP 500; NullPointerException' });
    expect(step(report, 'auth')?.status).toBe('skipped');
  });

  it('every gateway verdict has a headline, a message and a hint that read without a gateway too', () => {
    for (const verdict of ['http-bad-gateway', 'http-service-unavailable', 'http-gateway-timeout'] as const) {
      const text = VERDICT_TEXTS[verdict];
      const context = { host: 'km.example', port: 443, url: 'https://km.example/api/v3/', status: 502 };
      expect(text.headline?.(context)).toBeTruthy();
      expect(text.message(context)).toMatch(/^km\.example:443 answered HTTP 50[234]/);
      expect(text.hint(context)).not.toContain('undefined');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Real gateways from Debian

const GATEWAYS: GatewayName[] = ['nginx', 'haproxy', 'apache'];
let materials: StackMaterials;
const running = new Map<GatewayName, RunningGateway | { skip: string }>();

beforeAll(async () => {
  materials = await makeStackMaterials();
  await Promise.all(GATEWAYS.map(async (name) => running.set(name, await startGateway(name, materials))));
}, 60_000);
afterAll(async () => {
  await Promise.all([...running.values()].map((gateway) => ('close' in gateway ? gateway.close() : undefined)));
});

interface GatewayCase {
  gateway: GatewayName;
  upstream: Upstream;
  verdict: Verdict;
  status: number;
  check: (report: TestReport) => void;
}

const REAL: GatewayCase[] = [
  {
    gateway: 'nginx',
    upstream: 'dead',
    verdict: 'http-bad-gateway',
    status: 502,
    check: (r) => {
      expect(r.title).toBe('Bad gateway: nginx got no valid answer from the key manager behind it');
      expect(r.message).toContain('from nginx (its error page)');
    },
  },
  {
    gateway: 'nginx',
    upstream: 'silent',
    verdict: 'http-gateway-timeout',
    status: 504,
    check: (r) => {
      expect(r.title).toBe('Gateway timeout: nginx got no answer from the key manager in time');
      expect(r.hint).toMatch(/proxy_read_timeout/);
    },
  },
  {
    gateway: 'haproxy',
    upstream: 'dead',
    verdict: 'http-service-unavailable',
    status: 503,
    check: (r) => {
      expect(r.title).toBe('Service unavailable: HAProxy has no key manager available behind it');
      expect(r.message).toContain('"No server is available to handle this request."');
    },
  },
  {
    gateway: 'haproxy',
    upstream: 'silent',
    verdict: 'http-gateway-timeout',
    status: 504,
    check: (r) => expect(r.message).toContain(`from HAProxy (its error page): the gateway or proxy in front of the key manager waited for it and got no answer in time. Its page says: "The server didn't respond in time."`),
  },
  {
    gateway: 'apache',
    upstream: 'dead',
    verdict: 'http-service-unavailable',
    status: 503,
    // Apache is also a web server of its own: both readings are given.
    check: (r) => {
      expect(r.title).toBe('Service unavailable, answered by Apache HTTP Server');
      // Debian's Apache sends no signature line on its pages unless told to: its Server header names it.
      expect(r.message).toMatch(/from Apache HTTP Server \(Server: Apache\/2\.4.*?\): if Apache HTTP Server is a gateway or proxy in front of the key manager, it has no key manager available behind it; if it is the key manager's own web server/);
    },
  },
  {
    gateway: 'apache',
    upstream: 'closing',
    verdict: 'http-bad-gateway',
    status: 502,
    check: (r) => expect(r.message).toContain('Its page says: "The proxy server received an invalid response from an upstream server."'),
  },
];

describe('real gateways (Debian packages) in front of a key manager that is down', () => {
  it('covers every upstream each gateway is started with', () => {
    for (const name of GATEWAYS) expect(REAL.filter((c) => c.gateway === name).map((c) => c.upstream)).toEqual(GATEWAY_UPSTREAMS[name]);
  });

  it.concurrent.for(REAL.map((c) => [`${c.gateway}, upstream ${c.upstream}: ${c.status}`, c] as const))('%s', async ([, c], context) => {
    const gateway = running.get(c.gateway);
    if (!gateway) throw new Error(`${c.gateway} did not start`);
    if ('skip' in gateway) {
      if (REQUIRED) throw new Error(gateway.skip);
      context.skip(gateway.skip);
      return;
    }
    const report = await runConnectionTest({
      serverAddress: `https://localhost:${gateway.ports[c.upstream]}`,
      auth: { method: 'bearer', token: TOKEN },
      trust: { verifyCertificate: true, extraCaPem: [materials.rootCa.certPem] },
      proxy: null,
      timeoutMs: 15_000,
    });
    expectGatewayReport(report, c.verdict, c.status);
    expect(report.ok).toBe(false);
    expect(report.tls?.trustSource).toBe('custom CA');
    c.check(report);
  });
});

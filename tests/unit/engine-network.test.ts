// The network under the engine: a closed port, a server that never answers, a reset, a port that
// does not speak (usable) TLS, plain http://, and proxies (explicit, refusing, from the
// environment). Real servers on 127.0.0.1 (tests/support/engine-servers.ts).
import https from 'node:https';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { runConnectionTest } from '../../src/main/core/connection-test/run-test';
import { runEngine, TOKEN, useEngineServers } from '../support/engine-servers';
import { closedPort, httpPeer, json, silentPeer } from '../support/peers';

const servers = useEngineServers();

describe('network failures', () => {
  it('says connection refused for a closed port', async () => {
    const port = await closedPort();
    const report = await runEngine({ serverAddress: `https://127.0.0.1:${port}` });
    expect(report.verdict).toBe('connection-refused');
    expect(report.message).toContain(`127.0.0.1:${port}`);
  });

  it('names the phase when a server accepts and never answers', async () => {
    const peer = servers.track(await silentPeer());
    const report = await runEngine({ serverAddress: peer.url, timeoutMs: 600 });
    expect(report.verdict).toBe('timeout');
    expect(report.message).toMatch(/TLS handshake/);
    expect(report.durationMs).toBeLessThan(5_000);
  });

  it('says connection reset when the server drops the connection', async () => {
    const { url } = await servers.listen(net.createServer((socket) => socket.resetAndDestroy()));
    const report = await runEngine({ serverAddress: url });
    expect(report.verdict).toBe('connection-reset');
  });
});

describe('a port that does not speak TLS Keybridge can use', () => {
  it('recognises plain HTTP on the port', async () => {
    const peer = servers.track(await httpPeer((_req, res) => json(res, 200, {})));
    const report = await runEngine({ serverAddress: `https://127.0.0.1:${peer.port}` });
    expect(report.verdict).toBe('tls-not-tls');
    expect(peer.seen).toHaveLength(0);
  });

  it('says the TLS version is not supported by a TLS 1.0-only server', async () => {
    const { leaf } = servers;
    const server = https.createServer({ cert: leaf.certPem, key: leaf.keyPem, maxVersion: 'TLSv1', minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }, (_q, r) => r.end());
    const { url } = await servers.listen(server);
    const report = await runEngine({ serverAddress: url });
    expect(report.verdict).toBe('tls-protocol-version');
  });
});

describe('plain http://', () => {
  it('refuses to send a token over http://', async () => {
    const peer = servers.track(await httpPeer((_req, res) => json(res, 200, {})));
    const report = await runEngine({ serverAddress: peer.url });
    expect(report.verdict).toBe('insecure-http-refused');
    expect(peer.seen).toHaveLength(0);
  });

  it('sends over plain http:// only when allowed, and warns', async () => {
    const peer = servers.track(await httpPeer((_req, res) => json(res, 200, {})));
    const report = await runEngine({ serverAddress: peer.url, allowInsecureHttp: true });
    expect(report.verdict).toBe('ok');
    expect(report.steps.find((s) => s.id === 'tls')?.status).toBe('skipped');
    expect(report.warnings.join(' ')).toMatch(/unencrypted/);
    expect(peer.seen[0]?.authorization).toBe(`Bearer ${TOKEN}`);
  });
});

describe('proxies', () => {
  const connectProxy = (refuse = false) => servers.connectProxy(refuse);

  it('tunnels through a proxy, with a proxy step, and keeps the proxy password out of the report', async () => {
    const { demo } = servers;
    const proxy = await connectProxy();
    const url = new URL(proxy.url);
    const report = await runEngine({ serverAddress: demo.url, auth: { method: 'bearer', token: demo.token }, proxy: `http://ops:Pr0xyPass@${url.host}` });
    expect(report.verdict).toBe('ok');
    expect(report.steps.map((s) => s.id)).toEqual(['address', 'dns', 'tcp', 'proxy', 'tls', 'http', 'auth']);
    expect(report.steps.find((s) => s.id === 'proxy')?.detail).toContain(`via ${url.host}`);
    expect(proxy.requests).toEqual([`127.0.0.1:${demo.port} auth=Basic ${Buffer.from('ops:Pr0xyPass').toString('base64')}`]);
    expect(JSON.stringify(report)).not.toContain('Pr0xyPass');
  });

  it('reports a proxy that refuses the tunnel', async () => {
    const proxy = await connectProxy(true);
    const report = await runEngine({ serverAddress: servers.demo.url, proxy: proxy.url });
    expect(report.verdict).toBe('proxy-failure');
    expect(report.message).toContain('HTTP 403');
  });

  it('honours HTTPS_PROXY and NO_PROXY from the environment', async () => {
    const { demo } = servers;
    const proxy = await connectProxy();
    const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, NO_PROXY: process.env.NO_PROXY };
    try {
      process.env.HTTPS_PROXY = proxy.url;
      process.env.NO_PROXY = 'example.invalid';
      // No proxy setting at all (not runEngine's "never a proxy"): the environment decides.
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

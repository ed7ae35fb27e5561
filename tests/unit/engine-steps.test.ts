// The engine's steps (address, DNS, TCP, TLS, HTTP, auth) with their evidence and timings, the
// address step on its own, a fresh connection for every test, and cancelling a test that runs.
// Real servers on 127.0.0.1 (tests/support/engine-servers.ts).
import https from 'node:https';
import type tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { duration, reportSections } from '../../src/shared/report-sections';
import type { TestStep } from '../../src/shared/types';
import { runEngine, useEngineServers } from '../support/engine-servers';
import { json, silentPeer } from '../support/peers';

const servers = useEngineServers();

describe('steps and timings', () => {
  it('reports every step with its evidence, and phase timings from the same test', async () => {
    const { demo } = servers;
    const report = await runEngine({ serverAddress: `localhost:${demo.port}`, auth: { method: 'bearer', token: demo.token } });
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
    const report = await runEngine({ serverAddress: servers.demo.url, trust: { verifyCertificate: true } });
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
});

describe("the Request step's time", () => {
  it('is one measurement: the step, the live progress and the first-byte phase show the same figure, and the evidence none of its own', async () => {
    const peer = await servers.httpsPeer((_req, res) => setTimeout(() => json(res, 200, { ok: true }), 40));
    const live: TestStep[] = [];
    const report = await runEngine({ serverAddress: peer.url, onStep: (step) => live.push(step) });
    expect(report.verdict).toBe('ok');
    const request = report.steps.find((s) => s.id === 'http');
    expect(request?.status).toBe('passed');
    // The wait for the answer: the server's 40 ms, measured to a tenth of a millisecond.
    expect(request?.ms).toBeGreaterThanOrEqual(39);
    expect(request?.ms).toBe(report.timings.firstByte);
    expect(live.filter((s) => s.id === 'http').at(-1)?.ms).toBe(request?.ms);
    // The column gives the time (one decimal, as every duration); the evidence does not repeat it in another rounding.
    expect(request?.detail).toBe('GET → HTTP 200');
    expect(request?.detail).not.toMatch(/\d\s*ms\b/);
    const sections = reportSections(report);
    const shown = sections.steps.find((s) => s.id === 'http')?.duration;
    expect(shown).toBe(duration(report.timings.firstByte));
    expect(sections.timings).toContain(`first byte ${shown}`);
  });

  it('is the same figure when the answer is a failure (a 502)', async () => {
    const peer = await servers.httpsPeer((_req, res) => setTimeout(() => res.writeHead(502, { server: 'nginx' }).end(), 20));
    const report = await runEngine({ serverAddress: peer.url });
    const request = report.steps.find((s) => s.id === 'http');
    expect(request).toMatchObject({ status: 'failed', ms: report.timings.firstByte });
    expect(request?.ms).toBeGreaterThanOrEqual(19);
  });
});

describe('the address', () => {
  it('accepts an address typed without scheme and a pasted API URL alike', async () => {
    const { demo } = servers;
    const auth = { method: 'bearer', token: demo.token } as const;
    const bare = await runEngine({ serverAddress: `127.0.0.1:${demo.port}`, auth });
    const full = await runEngine({ serverAddress: `${demo.url}/api/v3/`, auth });
    expect(bare.verdict).toBe('ok');
    expect(full.verdict).toBe('ok');
    expect(full.url).toBe(bare.url);
  });

  it('reports an unparseable address without trying the network', async () => {
    const report = await runEngine({ serverAddress: 'ftp://keymanager.example.com' });
    expect(report.verdict).toBe('invalid-address');
    expect(report.message).toMatch(/https/);
    expect(report.url).toBeNull();
  });
});

describe('fresh connections', () => {
  it('opens a new connection with a full handshake for every test: no keep-alive, no session reuse', async () => {
    const handshakes: boolean[] = [];
    const server = https.createServer({ cert: servers.leaf.certPem, key: servers.leaf.keyPem }, (_req, res) => json(res, 200, {}));
    server.on('secureConnection', (socket: tls.TLSSocket) => handshakes.push(socket.isSessionReused()));
    const { url } = await servers.listen(server);
    for (let i = 0; i < 3; i++) expect((await runEngine({ serverAddress: url })).verdict).toBe('ok');
    expect(handshakes).toEqual([false, false, false]);
  });
});

describe('cancelling', () => {
  it('can be cancelled while it runs', async () => {
    const peer = servers.track(await silentPeer());
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const report = await runEngine({ serverAddress: peer.url, signal: controller.signal, timeoutMs: 10_000 });
    expect(report.verdict).toBe('test-cancelled');
    expect(report.durationMs).toBeLessThan(2_000);
  });
});

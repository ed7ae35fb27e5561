// What the engine sends and how it reads the answer: HTTP statuses, redirects (never followed), a
// secret echoed back (redacted), a flood of a body (bounded), the authentication methods (bearer,
// named header, Basic, the Passportal key exchange), success rules, and the request got sends.
// Real servers on 127.0.0.1 (tests/support/engine-servers.ts).
import { createHmac } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { runEngine, useEngineServers } from '../support/engine-servers';
import { json, type Peer } from '../support/peers';
import { PRESETS } from '../../src/shared/presets';

const servers = useEngineServers();

describe('HTTP answers', () => {
  it('reports a wrong token as rejected, with the server\'s own words', async () => {
    const report = await runEngine({ serverAddress: servers.demo.url, auth: { method: 'bearer', token: 'WrongTokenWrongTokenWrong' } });
    expect(report.verdict).toBe('http-unauthorized');
    expect(report.httpStatus).toBe(401);
    expect(report.message).toContain('API token missing or not valid');
  });

  it.each([
    [403, 'http-forbidden'],
    [404, 'http-not-found'],
    [500, 'http-server-error'],
    [418, 'http-unexpected-status'],
  ] as const)('maps %i to %s', async (status, verdict) => {
    const peer = await servers.httpsPeer((_req, res) => json(res, status, { message: `status ${status}` }));
    const report = await runEngine({ serverAddress: peer.url });
    expect(report.verdict).toBe(verdict);
    expect(report.httpStatus).toBe(status);
  });

  it('never follows a redirect: the token does not reach the other origin', async () => {
    const elsewhere = await servers.httpsPeer((_req, res) => json(res, 200, {}));
    const peer = await servers.httpsPeer((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/api/v3/?session=abc` });
      res.end();
    });
    const report = await runEngine({ serverAddress: peer.url, auth: { method: 'bearer', token: 'SecretTokenSecretToken42' } });
    expect(report.verdict).toBe('http-redirect');
    expect(report.message).toContain(`${elsewhere.url}/api/v3/`);
    expect(report.message).not.toContain('session=abc');
    expect(elsewhere.seen).toHaveLength(0);
  });

  it('redacts a token that a hostile server echoes back', async () => {
    const token = 'EchoedTokenEchoedToken99';
    const peer = await servers.httpsPeer((req, res) => json(res, 401, { message: `bad token ${req.headers.authorization}` }));
    const report = await runEngine({ serverAddress: peer.url, auth: { method: 'bearer', token } });
    expect(report.verdict).toBe('http-unauthorized');
    expect(JSON.stringify(report)).not.toContain(token);
    expect(report.message).toContain('[redacted]');
  });

  it('keeps the answer as received (#17, item 6): status, headers in order, the body; a token it echoes redacted, cookies never shown', async () => {
    const token = 'EchoedTokenEchoedToken98';
    const peer = await servers.httpsPeer((req, res) => {
      res.setHeader('X-Request-Id', 'req-42');
      res.setHeader('Set-Cookie', ['SESSION=topsecretcookievalue; HttpOnly', 'other=also-secret']);
      res.setHeader('X-Echo', `${req.headers.authorization}`);
      json(res, 403, { error: 'forbidden', yours: req.headers.authorization });
    });
    const report = await runEngine({ serverAddress: peer.url, auth: { method: 'bearer', token } });
    expect(report.verdict).toBe('http-forbidden');
    const response = report.response!;
    expect(response.status).toBe(403);
    expect(response.headers).toContainEqual(['x-request-id', 'req-42']);
    expect(response.headers.find(([name]) => name === 'set-cookie')?.[1]).toBe('[redacted]');
    expect(response.headers.find(([name]) => name === 'x-echo')?.[1]).toContain('[redacted]');
    expect(JSON.parse(response.body.replace(/\[redacted\]/g, 'R'))).toMatchObject({ error: 'forbidden' });
    const all = JSON.stringify(report);
    for (const secret of [token, 'topsecretcookievalue', 'also-secret']) expect(all).not.toContain(secret);
  });

  it('reads at most a bounded part of a flood of a body', async () => {
    const peer = await servers.httpsPeer((_req, res) => {
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
    const report = await runEngine({ serverAddress: peer.url });
    expect(report.verdict).toBe('http-server-error');
    expect(report.message.length).toBeLessThan(400);
    expect(report.response!.body.length).toBeLessThanOrEqual(16 * 1024 + 1);
  });

  it('warns when a 200 is not JSON (a portal page, not the API)', async () => {
    const peer = await servers.httpsPeer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>login</html>');
    });
    const report = await runEngine({ serverAddress: peer.url });
    expect(report.verdict).toBe('ok');
    expect(report.warnings.join(' ')).toMatch(/not with JSON/);
  });
});

describe('authentication methods', () => {
  it('sends an API key in a named header (apikey, AUTHTOKEN)', async () => {
    const peer = await servers.httpsPeer((req, res) => json(res, req.headers.apikey === 'StaKeyStaKeyStaKey' ? 200 : 401, {}));
    const report = await runEngine({ serverAddress: peer.url, endpoint: '/api/v1/tenants/ABC/users', auth: { method: 'header', headerName: 'apikey', key: 'StaKeyStaKeyStaKey' } });
    expect(report.verdict).toBe('ok');
    expect(peer.seen[0]).toMatchObject({ url: '/api/v1/tenants/ABC/users', authorization: undefined });
  });

  it('sends HTTP Basic credentials', async () => {
    const expected = `Basic ${Buffer.from('svc-portal:s3cret pass').toString('base64')}`;
    const peer = await servers.httpsPeer((req, res) => json(res, req.headers.authorization === expected ? 200 : 401, {}));
    const report = await runEngine({ serverAddress: peer.url, auth: { method: 'basic', username: 'svc-portal', password: 's3cret pass' } });
    expect(report.verdict).toBe('ok');
  });

  describe('Passportal access key exchange', () => {
    const SECRET = 'PassportalSecretAccessKey0123';
    let passportal: Peer;
    const contents: string[] = [];
    beforeAll(async () => {
      passportal = await servers.httpsPeer((req, res) => {
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
      });
    });

    it('exchanges the signed content for an access token, uses it, and reports its expiry', async () => {
      // The endpoint comes from the product, as the service and the CLI pass it (the engine has no product defaults).
      const report = await runEngine({ serverAddress: passportal.url, endpoint: PRESETS.passportal.endpoint, auth: { method: 'passportal-hmac', accessKeyId: 'AKID-1', secretAccessKey: SECRET } });
      expect(report.verdict).toBe('ok');
      expect(report.accessTokenExpiresAt).toBe(new Date(1_900_000_000_000).toISOString());
      expect(report.url).toBe(`${passportal.url}/api/v2/documents?resultsPerPage=1`);
      const again = await runEngine({ serverAddress: passportal.url, endpoint: PRESETS.passportal.endpoint, auth: { method: 'passportal-hmac', accessKeyId: 'AKID-1', secretAccessKey: SECRET } });
      expect(again.verdict).toBe('ok');
      expect(new Set(contents).size).toBe(contents.length);
      expect(JSON.stringify([report, again])).not.toMatch(/IssuedAccessToken42|PassportalSecret/);
    });

    it('reports a wrong secret with the server\'s message', async () => {
      const report = await runEngine({ serverAddress: passportal.url, endpoint: PRESETS.passportal.endpoint, auth: { method: 'passportal-hmac', accessKeyId: 'AKID-1', secretAccessKey: 'WrongSecretWrongSecret' } });
      expect(report.verdict).toBe('http-unauthorized');
      expect(report.message).toContain('Key verification failed');
    });
  });
});

describe('success rules', () => {
  it('reads a 200 with operation.result.status "Failed" as rejected (ManageEngine)', async () => {
    const peer = await servers.httpsPeer((_req, res) =>
      json(res, 200, { operation: { name: 'GET RESOURCES', result: { status: 'Failed', message: 'User is not allowed to access from this host' } } }),
    );
    const report = await runEngine({ serverAddress: peer.url, endpoint: '/restapi/json/v1/resources', auth: { method: 'header', headerName: 'AUTHTOKEN', key: 'PmpKeyPmpKeyPmpKey' } });
    expect(report.verdict).toBe('auth-rejected');
    expect(report.message).toContain('User is not allowed to access from this host');
    expect(report.steps.find((s) => s.id === 'auth')).toMatchObject({ status: 'failed' });
  });

  it('applies an explicit success rule', async () => {
    const peer = await servers.httpsPeer((_req, res) => json(res, 200, { state: 'locked' }));
    const report = await runEngine({ serverAddress: peer.url, successRule: { jsonPath: 'state', equals: 'active' } });
    expect(report.verdict).toBe('auth-rejected');
  });
});

describe('the request got sends', () => {
  it('carries only the headers Keybridge chose: no default User-Agent, no Accept-Encoding, no keep-alive', async () => {
    let seen: Record<string, string | string[] | undefined> = {};
    const peer = await servers.httpsPeer((req, res) => {
      seen = req.headers;
      json(res, 200, { ok: true });
    });
    const report = await runEngine({ serverAddress: peer.url }, { userAgent: 'Keybridge/9.9' });
    expect(report.verdict).toBe('ok');
    expect(Object.keys(seen).sort()).toEqual(['accept', 'authorization', 'connection', 'host', 'user-agent']);
    expect(seen).toMatchObject({ accept: 'application/json', 'user-agent': 'Keybridge/9.9', connection: 'close' });
  });
});

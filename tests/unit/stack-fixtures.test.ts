// The real-server stack fixture (tests/support/stacks) checks itself with plain Node clients, not
// the Keybridge engine: every stack starts, serves the certificate each case names, answers the
// routes through the real server, asks for the client certificate where it should, speaks only
// TLS 1.0/1.1 on legacy-only, and records what reached the HTTP layer. A stack whose software is
// missing is skipped with one line naming the Debian package.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import https from 'node:https';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeStackMaterials, type Issued, type StackMaterials } from '../support/stacks/materials';
import { STACK_CASES, STACK_NAMES, stackSkipReason, startStack, type CaseName, type RunningStack, type StackName } from '../support/stacks/stacks';

let materials: StackMaterials;
const started = new Map<StackName, Promise<RunningStack>>();

beforeAll(async () => {
  materials = await makeStackMaterials();
  // All stacks at once (a few seconds on two cores); each describe below awaits its own.
  for (const name of STACK_NAMES) {
    if (stackSkipReason(name)) continue;
    const start = startStack(name, materials).then((s) => {
      if ('skip' in s) throw new Error(s.skip);
      return s;
    });
    start.catch(() => undefined);
    started.set(name, start);
  }
  await Promise.allSettled(started.values());
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([...started.values()].map(async (s) => (await s).close()));
  materials?.remove();
}, 20_000);

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  protocol: string | null;
}

function get(port: number, path: string, options: { token?: string; client?: Issued; tls12?: boolean; ca?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: '127.0.0.1', port, path, method: 'GET', servername: 'localhost', agent: false,
      ca: options.ca ?? materials.rootCa.certPem,
      headers: { host: 'localhost', 'user-agent': `stack-fixture-check/${path}`, ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }) },
      ...(options.client ? { cert: options.client.certPem, key: options.client.keyPem } : {}),
      ...(options.tls12 ? { maxVersion: 'TLSv1.2' as const } : {}),
      timeout: 8_000,
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, protocol: (res.socket as tls.TLSSocket).getProtocol?.() ?? null }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

interface Handshake {
  protocol: string | null;
  chain: string[];   // fingerprint256 of each certificate the server sent, leaf first
  authorizationError: string | null;
}

function handshake(port: number, options: tls.ConnectionOptions = {}): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ca: materials.rootCa.certPem, ...options }, () => {
      // The chain as Node built it, less the root (which none of the servers sends).
      const chain: string[] = [];
      let cert: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
      while (cert?.fingerprint256 && !chain.includes(cert.fingerprint256)) {
        chain.push(cert.fingerprint256);
        cert = cert.issuerCertificate;
      }
      if (chain.length > 1 && chain.at(-1) === fp(materials.rootCa)) chain.pop();
      const result = { protocol: socket.getProtocol(), chain, authorizationError: socket.authorizationError ? String(socket.authorizationError) : null };
      socket.destroy();
      resolve(result);
    });
    socket.setTimeout(8_000, () => socket.destroy(new Error('timed out')));
    socket.on('error', reject);
  });
}

const fp = (issued: Issued) => new X509Certificate(issued.certPem).fingerprint256;

/** The CA names of the server's CertificateRequest, as openssl s_client prints them. */
function requestedCaNames(port: number, version: '-tls1_2' | '-tls1_3'): Promise<string[]> {
  return new Promise((resolve) => {
    const child = execFile('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, version], { timeout: 8_000 }, (_e, stdout) => {
      const after = stdout.split('Acceptable client certificate CA names\n')[1]?.split('\n') ?? [];
      const end = after.findIndex((l) => !/^\/?[A-Z]+ ?=/.test(l));
      resolve(after.slice(0, end < 0 ? after.length : end));
    });
    child.stdin?.end();
  });
}

const hasOpenssl = await new Promise<boolean>((resolve) => execFile('openssl', ['version'], (e) => resolve(!e)));

for (const name of STACK_NAMES) {
  const skip = stackSkipReason(name);
  const cases = STACK_CASES[name];
  const has = (c: CaseName) => cases.includes(c);
  describe.skipIf(skip !== undefined).concurrent(skip ? `${name} — skipped: ${skip}` : name, () => {
    let stack: RunningStack;
    let token: string;
    const port = (c: CaseName) => stack.ports[c] as number;
    beforeAll(async () => {
      stack = await (started.get(name) as Promise<RunningStack>);
      token = materials.token;
    });

    it('runs the real binary and lists a port for every case it supports', () => {
      expect(stack.version).toMatch(/\d+\.\d+/);
      expect(Object.keys(stack.ports).sort()).toEqual([...cases].sort());
    });

    it('good: 200 with the token, 401 with another or none; the backend saw both tokens', async () => {
      const ok = await get(port('good'), '/api/v3/', { token });
      expect(ok.status).toBe(200);
      expect(ok.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(ok.body)).toEqual({ ok: true });
      const wrong = await get(port('good'), '/api/v3/', { token: 'not-the-token' });
      expect(wrong.status).toBe(401);
      expect(JSON.parse(wrong.body)).toEqual({ error: 'invalid API token' });
      expect((await get(port('good'), '/api/v3/')).status).toBe(401);
      const good = stack.seen.filter((s) => s.case === 'good' && s.url === '/api/v3/');
      expect(good.map((s) => s.authorization)).toEqual(expect.arrayContaining([`Bearer ${token}`, 'Bearer not-the-token', undefined]));
      expect(good.every((s) => s.stack === name && s.method === 'GET' && s.userAgent === 'stack-fixture-check//api/v3/')).toBe(true);
    });

    it('redirects /redirect to another origin and answers 404 elsewhere', async () => {
      const r = await get(port('good'), '/redirect', { token });
      expect(r.status).toBe(302);
      expect(r.headers.location).toBe('https://other.invalid:8443/api/v3/');
      const missing = await get(port('good'), '/nothing-here');
      expect(missing.status).toBe(404);
      expect(missing.headers['content-type']).toMatch(/^application\/json/);
    });

    it('serves the certificate (and chain) each case names', async () => {
      const full = (leaf: Issued) => [fp(leaf), fp(materials.intermediate)];
      const expected: Array<[CaseName, string[], string | null, tls.ConnectionOptions]> = [
        ['good', full(materials.good), null, { servername: 'localhost' }],
        ['self-signed', [fp(materials.selfSigned)], 'DEPTH_ZERO_SELF_SIGNED_CERT', { servername: 'localhost' }],
        ['expired', full(materials.expired), 'CERT_HAS_EXPIRED', { servername: 'localhost' }],
        ['wrong-host', full(materials.wrongHost), 'ERR_TLS_CERT_ALTNAME_INVALID', { servername: 'localhost' }],
        ['incomplete-chain', [fp(materials.good)], 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', { servername: 'localhost' }],
        ['ip-cert', full(materials.ipOnly), null, {}],
        ['ip-cert', full(materials.ipOnly), 'ERR_TLS_CERT_ALTNAME_INVALID', { servername: 'localhost' }],
        ['dns-only-cert', full(materials.dnsOnly), null, { servername: 'localhost' }],
        ['dns-only-cert', full(materials.dnsOnly), 'ERR_TLS_CERT_ALTNAME_INVALID', {}],
        ['wrong-host', full(materials.wrongHost), 'ERR_TLS_CERT_ALTNAME_INVALID', {}],
      ];
      const results = await Promise.all(expected.map(([c, , , o]) => handshake(port(c), o)));
      results.forEach((r, i) => {
        const [c, chain, error] = expected[i] as (typeof expected)[number];
        expect({ case: c, chain: r.chain, error: r.authorizationError }).toEqual({ case: c, chain, error });
      });
    });

    it('client-cert-13 / client-cert-12: the client certificate gets 200 over TLS 1.3 / 1.2; another CA\'s does not', async () => {
      const c13 = await get(port('client-cert-13'), '/api/v3/', { token, client: materials.client });
      expect([c13.status, c13.protocol]).toEqual([200, 'TLSv1.3']);
      const c12 = await get(port('client-cert-12'), '/api/v3/', { token, client: materials.client });
      expect([c12.status, c12.protocol]).toEqual([200, 'TLSv1.2']);
      // The server offers at most TLS 1.2 there.
      expect((await handshake(port('client-cert-12'), { cert: materials.client.certPem, key: materials.client.keyPem })).protocol).toBe('TLSv1.2');
      for (const c of ['client-cert-13', 'client-cert-12'] as const) {
        const other = await get(port(c), '/api/v3/', { token, client: materials.otherClient }).then((a) => a.status, (e: Error) => e.message);
        expect(other).not.toBe(200);
      }
      expect(stack.seen.filter((s) => s.case === 'client-cert-13' || s.case === 'client-cert-12').length).toBe(2);
    });

    it.skipIf(!hasOpenssl)('client-cert: the CertificateRequest names the client CA (lighttpd with GnuTLS names none)', async () => {
      const names = await Promise.all([requestedCaNames(port('client-cert-13'), '-tls1_3'), requestedCaNames(port('client-cert-12'), '-tls1_2')]);
      // lighttpd's mod_gnutls adds the CAs to its GnuTLS trust list without GNUTLS_TL_USE_IN_TLS,
      // so its CertificateRequest carries no certificate_authorities at all.
      const expected = name === 'lighttpd' ? [] : [expect.stringMatching(/CN ?= ?Keybridge Test Client CA/)];
      expect(names).toEqual([expected, expected]);
    });

    it.skipIf(!has('legacy-only'))('legacy-only: a TLS 1.0+ client gets TLS 1.0 or 1.1 and 200; a TLS 1.2+ client is refused before HTTP', async () => {
      const legacy = await new Promise<{ protocol: string | null; status: string }>((resolve, reject) => {
        const socket = tls.connect({ host: '127.0.0.1', port: port('legacy-only'), servername: 'localhost', ca: materials.rootCa.certPem, minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }, () => {
          socket.write(`GET /api/v3/ HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`);
        });
        let data = '';
        socket.setEncoding('utf8');
        socket.on('data', (d: string) => { data += d; });
        socket.on('end', () => resolve({ protocol: socket.getProtocol(), status: data.split('\r\n')[0] ?? '' }));
        socket.on('error', reject);
        socket.setTimeout(8_000, () => socket.destroy(new Error('timed out')));
      });
      expect(['TLSv1', 'TLSv1.1']).toContain(legacy.protocol);
      expect(legacy.status).toMatch(/^HTTP\/1\.[01] 200/);
      const before = stack.seen.filter((s) => s.case === 'legacy-only').length;
      await expect(handshake(port('legacy-only'), { servername: 'localhost' })).rejects.toThrow();
      expect(stack.seen.filter((s) => s.case === 'legacy-only').length).toBe(before);
      expect(before).toBe(1);
    });

    it.skipIf(!has('pha'))('pha: Apache asks for the certificate only under /api/: 403 from Apache over TLS 1.3 (no post-handshake auth), 200 after renegotiation over TLS 1.2', async () => {
      const noCert = await get(port('pha'), '/api/v3/', { token });
      expect([noCert.status, noCert.protocol]).toEqual([403, 'TLSv1.3']);
      const redirect = await get(port('pha'), '/redirect', { token });
      expect(redirect.status).toBe(302);
      const renegotiated = await get(port('pha'), '/api/v3/', { token, client: materials.client, tls12: true });
      expect([renegotiated.status, renegotiated.protocol]).toEqual([200, 'TLSv1.2']);
      const seen = stack.seen.filter((s) => s.case === 'pha');
      expect(seen.map((s) => s.url).sort()).toEqual(['/api/v3/', '/redirect']);
    });
  });
}

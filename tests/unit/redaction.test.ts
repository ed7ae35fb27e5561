// A hostile server echoes the secrets it was sent, in every place and spelling it can: the Server
// header, a redirect's target, a JSON status value, base64 (inside a longer base64 run), hex,
// URL-encoding, split by a zero-width character, or at the point where a long message is cut.
// The secret must be absent from the report, the records, the audit log and the CLI's output.
import { createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli';
import { runConnectionTest, type TestTarget } from '../../src/main/core/connection-test/run-test';
import { secretSpellings, stringCleaner } from '../../src/main/core/connection-test/redact';
import { createKeybridgeService } from '../../src/main/core/service';
import { issueCertificate, type Issued } from '../../tools/certificates';
import { httpsPeer, json, type Peer } from '../support/peers';
import { TestCipher } from '../support/test-cipher';

const TOKEN = 'Wg7ASgddKzXwEStPoUvMDzwYO3NDFjEcho';
const PASSWORD = 'p@ss/w0rd+x=1&y%z';
const PASSPORTAL_SECRET = 'PassportalSecretAccessKey0123';
const ISSUED = 'IssuedAccessToken4242';
const PASSPHRASE = 'client key passphrase 77';
const b64 = (text: string): string => Buffer.from(text).toString('base64');
/** A token with the characters URL encoders disagree about: _ ~ . - * ! ( ) / + = */
const PUNCT_TOKEN = 'kb_Live-Tok~en.x*Y_42!(z)/+=';

/** Each UTF-8 byte as %XX, upper or lower case. */
const everyByte = (text: string, upper = true): string => [...Buffer.from(text)].map((b) => `%${b.toString(16).padStart(2, '0')}`).map((e) => (upper ? e.toUpperCase() : e)).join('');
/** URL-encoding that keeps some characters as they are (the rest: %XX of each UTF-8 byte); `space` for a space. */
const encodeKeeping = (keep: RegExp, space?: string) => (text: string): string =>
  [...text].map((c) => (keep.test(c) ? c : c === ' ' && space ? space : everyByte(c))).join('');
/** The encodings servers and their libraries write a value in. */
const ENCODERS: Record<string, (text: string) => string> = {
  'every-byte': (t) => everyByte(t),
  'every-byte-lower': (t) => everyByte(t, false),
  // encodeURIComponent, then _ too (as some encoders do)
  'underscore-escaped': (t) => encodeURIComponent(t).replace(/_/g, '%5F'),
  // Python's urllib.parse.quote(s): letters, digits, _ . - ~ and / kept
  'python-quote': encodeKeeping(/^[A-Za-z0-9_.\-~/]$/),
  // Java's URLEncoder.encode(s, UTF_8): letters, digits, . - * _ kept, a space as +
  'java-urlencoder': encodeKeeping(/^[A-Za-z0-9.\-*_]$/, '+'),
  'double-encoded': (t) => encodeURIComponent(encodeURIComponent(t)),
  'json-unicode': (t) => [...t].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
  'html-entities': (t) => [...t].map((c, i) => (i % 2 ? `&#${c.charCodeAt(0)};` : `&#x${c.charCodeAt(0).toString(16)};`)).join(''),
};

/** What the request carried: the bearer token, the API-key header, or Basic's password. */
function secretOf(req: IncomingMessage): string {
  const auth = req.headers.authorization ?? '';
  if (auth.startsWith('Bearer ')) return auth.slice(7);
  if (auth.startsWith('Basic ')) return Buffer.from(auth.slice(6), 'base64').toString().split(':').slice(1).join(':');
  return String(req.headers['x-access-token'] ?? req.headers.apikey ?? '');
}

/** The echoes, by path. Each answers with the secret it received, in its own place and spelling. */
const ECHOES: Record<string, (secret: string, req: IncomingMessage, res: ServerResponse) => void> = {
  'server-header': (s, _req, res) => json(res, 200, { ok: true }, { server: `km/${s}` }),
  redirect: (s, _req, res) => {
    res.writeHead(302, { location: `https://collector.invalid/${s}/next?x=${s}` }).end();
  },
  'json-status': (s, _req, res) => json(res, 200, { operation: { result: { status: s, message: `no ${s}` } } }),
  'base64-in-base64': (_s, req, res) => json(res, 401, { message: `seen ${b64(`header=${req.headers.authorization ?? ''};`)}` }),
  hex: (s, _req, res) => json(res, 403, { message: `hex ${Buffer.from(s).toString('hex').toUpperCase()}` }),
  'url-encoded': (s, _req, res) => json(res, 400, { error: `bad ?token=${encodeURIComponent(s).toLowerCase()}` }),
  'zero-width': (s, _req, res) => json(res, 401, { message: `token ${s.slice(0, 8)}\u200b${s.slice(8)} \u202eeulav` }),
  'cut-message': (s, _req, res) => json(res, 401, { message: `${'x'.repeat(185)} ${s}` }),
  passphrase: (_s, _req, res) => json(res, 401, { message: `cannot use ${PASSPHRASE}` }),
  'huge-status': (s, _req, res) => json(res, 200, { operation: { result: { status: `${'F'.repeat(9_000)}${s}`, message: 'x'.repeat(5_000) } } }),
  // The secret in each encoding, in the Server header and in the message.
  ...Object.fromEntries(
    Object.entries(ENCODERS).map(([name, encode]) => [
      `encoded-${name}`,
      (s: string, _req: IncomingMessage, res: ServerResponse) => json(res, 400, { error: `bad token=${encode(s)}` }, { server: `km/${encode(s)}` }),
    ]),
  ),
};

let leaf: Issued;
let peer: Peer;
let dir: string;

beforeAll(async () => {
  leaf = await issueCertificate({ commonName: 'echo' });
  peer = await httpsPeer(leaf, (req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      // Passportal: the exchange issues an access token, which the documents call then echoes.
      if (req.url === '/api/v2/auth/client_token') {
        const { content } = JSON.parse(body) as { content: string };
        const ok = req.headers['x-hash'] === createHmac('sha256', PASSPORTAL_SECRET).update(content).digest('hex');
        return json(res, ok ? 200 : 401, ok ? { success: true, access_token: ISSUED, expiry_time: 1_900_000_000 } : { success: false });
      }
      if (req.url?.startsWith('/api/v2/documents')) {
        return json(res, 401, { message: `access token ${ISSUED} for key ${PASSPORTAL_SECRET} (${b64(PASSPORTAL_SECRET)}) expired` });
      }
      const echo = ECHOES[(req.url ?? '').split('/')[2] ?? ''];
      if (echo) echo(secretOf(req), req, res);
      else json(res, 404, {});
    });
  });
  dir = mkdtempSync(path.join(os.tmpdir(), 'keybridge-redaction-'));
});
afterAll(async () => {
  await peer.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The secret in any spelling the redaction knows, plus long pieces of it (a cut must not leave one). */
function expectAbsent(text: string, secret: string): void {
  for (const spelling of secretSpellings([secret])) expect(text.toLowerCase()).not.toContain(spelling.toLowerCase());
  for (let i = 0; i + 12 <= secret.length; i++) expect(text).not.toContain(secret.slice(i, i + 12));
}

const run = (endpoint: string, more: Partial<TestTarget> = {}) =>
  runConnectionTest({ serverAddress: peer.url, endpoint, auth: { method: 'bearer', token: TOKEN }, trust: { verifyCertificate: false }, timeoutMs: 5_000, ...more });

describe('a server that echoes the secret', () => {
  it.each(Object.keys(ECHOES).filter((e) => e !== 'passphrase' && e !== 'huge-status'))('%s: the bearer token is redacted everywhere in the report', async (echo) => {
    const report = await run(`/echo/${echo}`);
    const text = JSON.stringify(report);
    expect(text).toContain('[redacted]'); // the server really did echo it
    expectAbsent(text, TOKEN);
    expect(text).not.toMatch(/[\u200b\u202e]/);
  });

  it('HTTP Basic: the password and user:password, also URL-encoded and in base64', async () => {
    for (const echo of ['url-encoded', 'base64-in-base64', 'json-status', 'redirect']) {
      const report = await run(`/echo/${echo}`, { auth: { method: 'basic', username: 'svc-portal', password: PASSWORD } });
      const text = JSON.stringify(report);
      expect(text, echo).toContain('[redacted]');
      expectAbsent(text, PASSWORD);
      expectAbsent(text, `svc-portal:${PASSWORD}`);
    }
  });

  it('Passportal: the secret access key and the access token it was issued', async () => {
    const report = await run('/api/v2/documents?resultsPerPage=1', { auth: { method: 'passportal-hmac', accessKeyId: 'AKID-1', secretAccessKey: PASSPORTAL_SECRET } });
    expect(report.verdict).toBe('http-unauthorized');
    const text = JSON.stringify(report);
    expect(text).toContain('[redacted]');
    expectAbsent(text, ISSUED);
    expectAbsent(text, PASSPORTAL_SECRET);
  });

  it.each(Object.keys(ENCODERS))('%s: a token with _ ~ . - * ! ( ) / + = is redacted in the Server header and the message', async (name) => {
    const encoded = ENCODERS[name]?.(PUNCT_TOKEN) ?? '';
    const report = await run(`/echo/encoded-${name}`, { auth: { method: 'bearer', token: PUNCT_TOKEN } });
    const text = JSON.stringify(report);
    expect(report.steps.find((step) => step.id === 'http')?.detail).toContain('server: km/[redacted]');
    expect(report.message).toContain('bad token=[redacted]');
    expect(text).not.toContain(encoded);
    expect(text.toLowerCase()).not.toContain(encoded.toLowerCase());
    expectAbsent(text, PUNCT_TOKEN);
  });

  it('a 2-character Basic password is redacted where the server echoes it; the report keeps its own words and codes', async () => {
    const basic = { auth: { method: 'basic' as const, username: 'svc-portal', password: 'ed' } };
    const report = await run('/echo/json-status', { ...basic, successRule: { jsonPath: 'operation.result.status', equals: 'Success' } });
    expect(report.verdict).toBe('auth-rejected');
    expect(report.title).toBe('Credentials rejected'); // "ed" twice: not garbled, which would spell it out
    expect(report.message).toContain('The server said: "no [redacted]"');
    expect(report.steps.find((step) => step.id === 'auth')?.detail).toContain('is "[redacted]"');
    for (const step of report.steps) expect(['passed', 'failed', 'skipped']).toContain(step.status);
    const text = JSON.stringify(report);
    expect(text).not.toMatch(/"ed"|no ed|\\"ed\\"/);
    const header = await run('/echo/server-header', basic);
    expect(header.steps.find((step) => step.id === 'http')?.detail).toContain('server: km/[redacted]');
    expect(JSON.stringify(header)).not.toContain('km/ed');
  });

  it("the client certificate key's passphrase", async () => {
    const client = await issueCertificate({ commonName: 'workstation' });
    const report = await run('/echo/passphrase', { clientCertificate: { certPem: client.certPem, keyPem: client.keyPem, passphrase: PASSPHRASE } });
    expect(report.verdict).toBe('http-unauthorized');
    expect(JSON.stringify(report)).toContain('[redacted]');
    expectAbsent(JSON.stringify(report), PASSPHRASE);
  });

  it('the full server message is kept (bounded at 16 KiB), redacted, when the report had to shorten it', async () => {
    const report = await run('/echo/cut-message');
    expect(report.message.length).toBeLessThan(400);
    expect(report.serverMessageFull).toMatch(/^x{185} \[redacted\]$/);
  });

  it('every step detail is bounded, however much the server sends', async () => {
    const report = await run('/echo/huge-status');
    expect(report.verdict).toBe('auth-rejected');
    for (const step of report.steps) expect(step.detail.length).toBeLessThanOrEqual(300);
    for (const value of [report.message, report.hint, report.title]) expect(value.length).toBeLessThanOrEqual(2000);
  });
});

describe('redaction does not eat ordinary text', () => {
  it('a short secret is redacted only as it is spelled; its short encodings are not looked for', () => {
    const clean = stringCleaner(['test']);
    expect(clean('the password test was echoed')).toBe('the password [redacted] was echoed');
    expect(clean('Test again')).toBe('Test again');
    expect(clean('pin sha256/dGVzdA+Kq9')).toBe('pin sha256/dGVzdA+Kq9'); // base64 of it, too short to look for
    expect(clean('hex 74657374')).toBe('hex [redacted]'); // its hex is 8 characters: looked for
  });

  it('every encoding of a secret is redacted as a whole, and only it', () => {
    const clean = stringCleaner([PASSWORD, PUNCT_TOKEN]);
    for (const secret of [PASSWORD, PUNCT_TOKEN]) {
      for (const [name, encode] of Object.entries(ENCODERS)) expect(clean(`a=${encode(secret)}; b=1`), name).toBe('a=[redacted]; b=1');
      expect(clean(`x ${everyByte(secret).replace(/%/g, '%2525')} y`)).toBe('x [redacted] y'); // encoded three times
      expect(clean(`x ${JSON.stringify(secret).slice(1, -1)} y`)).toBe('x [redacted] y');
    }
    // Escapes of other text, and a secret's encoding with one character changed, are kept.
    expect(clean('path=%2Fapi%2Fv3%2F&q=a+b &amp; \\u0041')).toBe('path=%2Fapi%2Fv3%2F&q=a+b &amp; \\u0041');
    const changed = everyByte(PASSWORD).replace('%40', '%41');
    expect(clean(changed)).toBe(changed);
  });

  it('a secret of 1 to 3 characters is redacted where it stands alone, also escaped, and not inside words', () => {
    const clean = stringCleaner(['ed', 'x']);
    expect(clean('Credentials rejected: ed')).toBe('Credentials rejected: [redacted]');
    expect(clean('password=%65%64&user=x')).toBe('password=[redacted]&user=[redacted]');
    expect(clean('km/ed (ed)')).toBe('km/[redacted] ([redacted])');
    expect(clean('expired, 0x1')).toBe('expired, 0x1');
  });

  it('cleaning twice changes nothing more', () => {
    const clean = stringCleaner(['redacted', 'dact']);
    const once = clean('redacted token, dact');
    expect(once).toBe('[redacted] token, [redacted]');
    expect(clean(once)).toBe(once);
  });
});

describe('the echoed secret is absent where reports are kept and printed', () => {
  it('the saved last result, the records, the audit log and the live progress', async () => {
    const service = createKeybridgeService({ dataDir: dir, cipher: new TestCipher() }, { testTimeoutMs: 5_000 });
    const progress: string[] = [];
    service.onTestProgress((p) => progress.push(JSON.stringify(p)));
    for (const echo of ['server-header', 'redirect', 'json-status', 'base64-in-base64', 'hex', 'encoded-every-byte', 'encoded-double-encoded']) {
      const { report } = await service.saveAndTestConnection({ name: echo, serverAddress: peer.url, endpoint: `/echo/${echo}`, apiToken: TOKEN, verifyCertificate: false });
      expect(JSON.stringify(report), echo).toContain('[redacted]');
    }
    const written = readdirSync(dir).map((f) => readFileSync(path.join(dir, f), 'utf8')).join('\n');
    expect(written).toContain('[redacted]');
    expectAbsent(written, TOKEN);
    expectAbsent(JSON.stringify(await service.listConnections()), TOKEN);
    expect(progress.some((p) => p.includes('"id":"http"') && p.includes('[redacted]'))).toBe(true); // the Server header echo
    expectAbsent(progress.join('\n'), TOKEN);
  });

  it("the CLI's text and JSON", async () => {
    for (const format of [[], ['--json']]) {
      for (const echo of ['server-header', 'redirect', 'json-status', 'hex', 'cut-message', 'encoded-every-byte', 'encoded-double-encoded']) {
        const out: string[] = [];
        const code = await runCli(['test', peer.url, '--token-env', 'KM', '--no-verify', '--endpoint', `/echo/${echo}`, ...format], {
          out: (t) => out.push(t),
          err: (t) => out.push(t),
          env: { KM: TOKEN },
        });
        const text = out.join('\n');
        expect(code, text).toBeLessThanOrEqual(1);
        expect(text, `${echo} ${format.join('')}`).toContain('[redacted]');
        expectAbsent(text, TOKEN);
      }
    }
  });
});

describe('a secret that itself looks escaped (second review)', () => {
  it.each([`Adm1n\\"pass!`, 'Pa\\\\ss-w0rd!', 'k3y\\/v4lue#Z', 'Tok&amp;en#2024', 'x&lt;y=Z9!abc', 'K&#65;y9-pass!'])('%j echoed once escaped, as JSON or HTML, is redacted', (secret) => {
    const clean = stringCleaner([secret]);
    const html = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
    for (const echo of [JSON.stringify({ password: secret }), `<p>${html}</p>`, secret]) {
      const out = clean(echo);
      expect(out, echo).toContain('[redacted]');
      expect(out).not.toContain(secret);
    }
  });
});

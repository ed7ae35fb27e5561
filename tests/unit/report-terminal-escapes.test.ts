// A hostile server writes terminal escape sequences where a report will repeat its words: in its
// certificate's names (shown even when the certificate is refused), in its Server header and in its
// error message. None may reach the admin's terminal as a control: no window title set (OSC 0), no
// screen cleared (CSI 2J), no hidden link planted (OSC 8), nothing through the 8-bit C1 controls
// (U+009B CSI, U+009D OSC) that --json would otherwise keep; nor the window, the saved result or the
// live progress.
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata polyfill.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli';
import { formatReport } from '../../src/cli/format-report';
import { createKeybridgeService } from '../../src/main/core/service';
import type { TestReport } from '../../src/shared/types';
import * as x509 from '@peculiar/x509';
import { TestCipher } from '../support/test-cipher';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ESC = '\u001b';
const BEL = '\u0007';
/** Set the window title, clear the screen, a hidden OSC 8 link, C1 CSI and OSC, DEL, a line rewritten by CR. */
const HOSTILE = `${ESC}]0;pwned${BEL}${ESC}[2J${ESC}]8;;https://evil.invalid${BEL}click${ESC}]8;;${BEL}\u009b31m\u009d0;c1title\u009c\u007f\rOK`;
/** The same, in the bytes an HTTP header can carry through Node's parser (latin-1: C1 yes, C0 no). */
const HOSTILE_HEADER = '\u009b2J\u009d0;pwned\u009c\u009b31mred\u0085';
/** Any control character but the line break (which only the full server message keeps, and JSON escapes). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const TOKEN = 'TerminalEscapesToken0123456789';

let server: tls.Server;
let url: string;
let dir: string;

/** A self-signed certificate whose subject (and so issuer) and a DNS name hold `text` as UTF8String, exactly. */
async function hostileCertificate(text: string): Promise<{ cert: string; key: string }> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: new x509.Name([{ CN: [{ utf8String: `km ${text}` }] }, { O: [{ utf8String: `org ${text}` }] }]),
    keys,
    signingAlgorithm: alg,
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 86_400_000),
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'ip', value: '127.0.0.1' }, { type: 'dns', value: `km${text}.invalid` }])],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { cert: cert.toString('pem'), key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}

/** An HTTPS server written by hand, so that its header bytes are exactly the ones given. */
beforeAll(async () => {
  const leaf = await hostileCertificate(HOSTILE);
  server = tls.createServer({ cert: leaf.cert, key: leaf.key }, (socket) => {
    let head = '';
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      const body = JSON.stringify({ message: `denied ${HOSTILE}\nsecond line ${ESC}[1A` });
      const header = [
        'HTTP/1.1 401 Unauthorized',
        `Server: km/${HOSTILE_HEADER}`,
        'Content-Type: application/json',
        `Content-Length: ${Buffer.byteLength(body)}`,
        'Connection: close',
        '',
        '',
      ].join('\r\n');
      socket.end(Buffer.concat([Buffer.from(header, 'latin1'), Buffer.from(body, 'utf8')]));
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(path.join(os.tmpdir(), 'keybridge-escapes-'));
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

/** Every string inside a value (a parsed report), with where it is. */
function strings(value: unknown, at = ''): [string, string][] {
  if (typeof value === 'string') return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((item, i) => strings(item, `${at}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => strings(item, `${at}.${key}`));
  return [];
}

/** No control character in any string of the report; a line break only in the server's full message. */
function expectNoControls(report: TestReport): void {
  for (const [where, text] of strings(report)) {
    expect(text, where).not.toMatch(CONTROL);
    if (where !== '.serverMessageFull') expect(text, where).not.toContain('\n');
  }
}

async function cli(args: string[]): Promise<{ code: number; text: string }> {
  const out: string[] = [];
  const code = await runCli(['test', url, '--token-env', 'KM', ...args], { out: (t) => out.push(t), err: (t) => out.push(t), env: { KM: TOKEN } });
  return { code, text: out.join('\n') };
}

describe('escape sequences from the server', () => {
  it('the CLI prints the names of a refused certificate without a control character', async () => {
    const { code, text } = await cli([]);
    expect(code).toBe(1);
    expect(text).toContain('Self-signed certificate');
    // Shown, never applied; the name's own ';' escaped as RFC 4514 writes it.
    expect(text).toContain('Certificate: CN=km ␛]0\\;pwned␇␛[2J␛]8\\;\\;https://evil.invalid␇click␛]8\\;\\;␇�31m�0\\;c1title�␡ OK');
    expect(text).not.toMatch(CONTROL);
  });

  it('the CLI prints the Server header, the certificate and the message without a control character, in text and JSON', async () => {
    const { code, text } = await cli(['--no-verify']);
    expect(code).toBe(1);
    expect(text).toContain('server: km/�2J�0;pwned��31mred\n');
    expect(text).toContain('denied ␛]0;pwned␇');
    expect(text).not.toMatch(CONTROL);

    const json = await cli(['--no-verify', '--json']);
    expect(json.text).not.toMatch(CONTROL);
    const report = JSON.parse(json.text) as TestReport;
    expect(report.verdict).toBe('http-unauthorized');
    expectNoControls(report);
    expect(report.certificate?.subject).toContain('␛]8\\;\\;https://evil.invalid␇click');
    expect(report.serverMessageFull).toMatch(/^denied \W*0;pwned.*c1title.*\nsecond line \W*1A$/); // its line break kept
  });

  it('the window, the saved last result and the live progress get no control character either', async () => {
    const service = createKeybridgeService({ dataDir: dir, cipher: new TestCipher() }, { testTimeoutMs: 5_000 });
    const progress: unknown[] = [];
    service.onTestProgress((p) => progress.push(p));
    const { report } = await service.saveAndTestConnection({ name: 'hostile', serverAddress: url, apiToken: TOKEN, verifyCertificate: false });
    expect(report.verdict).toBe('http-unauthorized');
    expectNoControls(report);
    const listed = await service.listConnections();
    for (const [where, text] of strings(listed)) expect(text, where).not.toMatch(CONTROL);
    for (const [where, text] of strings(progress)) expect(text, where).not.toMatch(CONTROL);
    expect(progress.length).toBeGreaterThan(0);
    const written = readdirSync(dir).map((f) => readFileSync(path.join(dir, f), 'utf8')).join('\n');
    expect(written).toContain('pwned');
    for (const [where, text] of strings(JSON.parse(readFileSync(path.join(dir, 'connections.json'), 'utf8')))) expect(text, where).not.toMatch(CONTROL);
  });

  it("the CLI's text output has no control character even for a report that was never cleaned", () => {
    const report: TestReport = {
      ok: false,
      verdict: 'tls-self-signed',
      title: `Self-signed ${ESC}]0;t${BEL}`,
      message: `m\u009b2J`,
      hint: `h\r`,
      url: null,
      httpStatus: null,
      warnings: [`w${ESC}[2J`],
      certificate: { subject: `CN=${HOSTILE}`, issuer: 'CN=x', subjectAltNames: [`DNS:a${ESC}b`], validFrom: 'a', validTo: 'b', sha256: 'AA', spkiSha256: 'sha256/x', selfSigned: true },
      tls: null,
      steps: [{ id: 'tls', status: 'failed', ms: 1, detail: `d${ESC}]8;;https://evil.invalid${BEL}` }],
      timings: { dns: null, tcp: null, tls: null, firstByte: null, total: 1 },
      durationMs: 1,
      testedAt: 'now',
    };
    const text = formatReport(report);
    expect(text).not.toMatch(CONTROL);
    expect(text).toContain('Certificate: CN=␛]0;pwned␇');
  });
});

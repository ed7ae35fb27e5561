// Copy report (Markdown) goes into tickets, where everyone who opens them sees it rendered. What a
// server said (its message, its certificate's names, its Server header) must show there as the text
// it is: no link, no image (a tracking pixel), no HTML, no heading or table. The test gets a real
// report from a server on 127.0.0.1 that puts Markdown and HTML everywhere it can, and checks the
// Markdown against CommonMark's rules for code spans and backslash escapes (no CommonMark
// implementation is installed, so the checks are written out here).
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConnectionTest } from '../../src/main/core/connection-test/run-test';
import { markdownCode, markdownText } from '../../src/shared/report-markdown';
import { reportText } from '../../src/shared/report-text';
import type { TestReport } from '../../src/shared/types';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const PIXEL = '![x](https://tracker.invalid/p.png)';
const LINK = '[click](https://evil.invalid)';
const HTML = '<img src="https://tracker.invalid/i.png"><script>alert(1)</script>';
const MARKUP = `${PIXEL} ${LINK} ${HTML} \`tick\` \`\`two\`\` | a | b | **bold** _em_ ~~gone~~ &lt;b&gt; www.evil.invalid admin@evil.invalid <https://evil.invalid/auto> @everyone`;
const TOKEN = 'MarkdownReportToken0123456789';

let server: https.Server;
let url: string;

async function certificate(text: string): Promise<{ cert: string; key: string }> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: new x509.Name([{ CN: [{ utf8String: `km ${text}` }] }]),
    keys,
    signingAlgorithm: alg,
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 86_400_000),
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'ip', value: '127.0.0.1' }, { type: 'dns', value: 'www.evil.invalid' }])],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { cert: cert.toString('pem'), key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}

beforeAll(async () => {
  const leaf = await certificate(`${PIXEL} ${HTML} \`x\``);
  server = https.createServer({ cert: leaf.cert, key: leaf.key }, (req, res) => {
    res.writeHead(401, { 'content-type': 'application/json', server: `km ${PIXEL} ${HTML}` });
    res.end(JSON.stringify({ message: `# Heading\n${MARKUP}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/**
 * The Markdown's text outside code spans, with its backslash escapes taken out (CommonMark: a
 * backtick string opens a code span that the next backtick string of the same length closes; inside
 * it, nothing is markup). Throws when a code span is not closed.
 */
function outsideCode(markdown: string): string {
  let out = '';
  let i = 0;
  while (i < markdown.length) {
    const char = markdown.charAt(i);
    if (char === '\\' && /[!-/:-@[-`{-~]/.test(markdown.charAt(i + 1))) {
      out += '·'; // an escaped character: shown as itself, starts nothing
      i += 2;
      continue;
    }
    if (char === '`') {
      const fence = /^`+/.exec(markdown.slice(i))?.[0] ?? '`';
      let close = i + fence.length;
      for (;;) {
        const found = markdown.indexOf(fence, close);
        if (found < 0) throw new Error(`an unclosed code span at ${i}: ${markdown.slice(i, i + 40)}`);
        if (markdown.charAt(found + fence.length) !== '`' && markdown.charAt(found - 1) !== '`') {
          close = found;
          break;
        }
        close = found + 1;
      }
      out += ' ';
      i = close + fence.length;
      continue;
    }
    out += char;
    i++;
  }
  return out;
}

/** What CommonMark (and GitHub's flavour) would turn into markup, outside code spans. */
function expectInert(markdown: string): void {
  const lines = markdown.split('\n');
  for (const line of lines) {
    // The report's own markup: its headings, list items and bold labels.
    const text = outsideCode(line.replace(/^- \*\*[\w -]+\*\*: /, '- '));
    expect(text, line).not.toMatch(/[<>[\]`*|&~!]/); // HTML, links, images, code, emphasis, tables, entities, strikethrough
    expect(text, line).not.toMatch(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/u); // emphasis (an _ inside a word is none)
    expect(text, line).not.toMatch(/https?:\/\/|www\.|@\w/); // autolinks
    // Where a block could start (a line, or a list item's text): no heading, quote, list, setext line, thematic break, HTML, table, code block.
    const start = /^#{1,6} |^- \*\*[\w -]+\*\*: /.test(line) ? '' : line.replace(/^- /, '');
    expect(start, line).not.toMatch(/^(?:\s|[-+*>#=|<]|\d{1,9}[.)](?:\s|$))/);
  }
  const headings = lines.filter((line) => /^#{1,6} /.test(line));
  expect(headings.map((line) => line.replace(/:.*/, ''))).toEqual(['## Keybridge connection test', '### Steps', '### Request']);
  const items = lines.filter((line) => /^- /.test(line));
  expect(items.length).toBeGreaterThan(8); // the steps and the facts, each its own item
}

describe('Copy report (Markdown) of a server that sends Markdown and HTML', () => {
  it('shows its message, certificate and Server header as text: no link, image, HTML, heading or table', async () => {
    const report = await runConnectionTest({ serverAddress: url, endpoint: '/api/v3/', auth: { method: 'bearer', token: TOKEN }, trust: { verifyCertificate: false }, timeoutMs: 5_000 });
    expect(report.verdict).toBe('http-unauthorized');
    expect(report.message).toContain(PIXEL);
    expect(report.certificate?.subject).toContain(PIXEL);
    const markdown = reportText(report, { connectionName: 'Evil [name](https://evil.invalid) <b>', appVersion: '0.1.0' }, 'markdown');
    expectInert(markdown);
    // The server's words are all there, to be read as they are.
    // The subject as the engine writes it (RFC 4514: <, =, " and > escaped), inside a code span.
    const escapedName = (text: string): string => text.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`);
    expect(markdown).toContain(`- **Certificate**: \`\` CN=km ${escapedName(PIXEL)} ${escapedName(HTML)} \`x\` \`\` (self-signed)`);
    expect(markdown).toContain('- **Names**: `IP Address:127.0.0.1`, `DNS:www.evil.invalid`');
    // The Server header is cut at 80 characters (gateway-signature.ts); what is shown stays inert.
    expect(markdown).toContain('server: km \\!\\[x\\](`https://tracker.invalid/p.png`) \\<img src="`https://tracker.invalid/i.png`"');
    expect(markdown).toContain(
      'The server said: "\\# Heading \\!\\[x\\](`https://tracker.invalid/p.png`) \\[click\\](`https://evil.invalid`) \\<img src="`https://tracker.invalid/i.png`"\\>\\<script\\>alert(1)\\</script\\> \\`tick\\` \\`\\`two\\`\\` \\| a \\| b \\| \\*\\*bold\\*\\* \\_em\\_ \\~\\~gone\\~\\~ \\&lt;b\\&gt',
    );
    expect(markdown).toContain('## Keybridge connection test: Evil \\[name\\](`https://evil.invalid`) \\<b\\>');
    expect(markdown).toContain(`- **Tested**: GET \`${url}/api/v3/\``);
    expect(markdown).toContain('- ✓ Certificate and TLS: TLSv1.3 TLS_AES_'); // an _ inside a word stays as it is
    // Plain text is the text itself.
    expect(reportText(report, { connectionName: 'x', appVersion: '0.1.0' }, 'text')).toContain(`The server said: "# Heading ${MARKUP.slice(0, 150)}`);
  });

  it('a code span is as long as it must be, and a line cannot start a block', () => {
    expect(markdownCode('a`b')).toBe('``a`b``');
    expect(markdownCode('``x``')).toBe('``` ``x`` ```');
    expect(markdownCode('`')).toBe('`` ` ``');
    expect(markdownCode('a\nb')).toBe('`a b`');
    for (const start of ['# h', '> q', '- l', '+ l', '1. o', '2) o', '=====', '---', '***', '    code', '<div>', '| a | b |']) {
      expect(markdownText(start), start).not.toMatch(/^(?:\s|[-+*>#=|<]|\d{1,9}[.)](?:\s|$))/);
    }
    expect(markdownText('10.0.0.1 answered')).toBe('10.0.0.1 answered'); // a number is not a list unless . or ) follows it
    expect(markdownText(MARKUP)).toBe(
      '\\!\\[x\\](`https://tracker.invalid/p.png`) \\[click\\](`https://evil.invalid`) \\<img src="`https://tracker.invalid/i.png`"\\>\\<script\\>alert(1)\\</script\\> ' +
        '\\`tick\\` \\`\\`two\\`\\` \\| a \\| b \\| \\*\\*bold\\*\\* \\_em\\_ \\~\\~gone\\~\\~ \\&lt;b\\&gt; `www.evil.invalid` `admin@evil.invalid` \\<`https://evil.invalid/auto`\\> `@everyone`',
    );
  });

  it('a report with markup in every string the server could have set stays inert', () => {
    const hostile = `x ${MARKUP}\n=====\n- item`;
    const report: TestReport = {
      ok: false,
      verdict: 'http-unexpected-status',
      title: hostile,
      message: hostile,
      hint: hostile,
      url: `https://127.0.0.1/${PIXEL}`,
      httpStatus: 418,
      warnings: [hostile],
      certificate: { subject: hostile, issuer: `\`\`\`${hostile}`, subjectAltNames: [hostile, '`'], validFrom: hostile, validTo: hostile, sha256: hostile, spkiSha256: hostile, selfSigned: false },
      tls: { protocol: hostile, cipher: hostile, trustSource: 'not verified', chain: [] },
      steps: [{ id: 'http', status: 'failed', ms: 1, detail: hostile }],
      timings: { dns: null, tcp: null, tls: null, firstByte: null, total: 1 },
      accessTokenExpiresAt: hostile,
      durationMs: 1,
      testedAt: hostile,
    };
    expectInert(reportText(report, { connectionName: hostile, appVersion: hostile }, 'markdown'));
  });
});

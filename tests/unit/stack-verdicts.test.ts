// The engine's verdicts against the server software key managers run on (Debian packages started
// on 127.0.0.1 by tests/support/stacks): the same certificates and cases on every stack, each case
// where the software can do it. Where a package is missing the stack's cases skip with one line
// naming it; KEYBRIDGE_REQUIRE_STACKS=1 (.ci/run, the GitHub workflow) turns that into a failure.
// The GitHub workflow runs this file a second time under Electron's Node (BoringSSL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli';
import { runConnectionTest, type TestTarget } from '../../src/main/core/connection-test/run-test';
import { reportText } from '../../src/shared/report-text';
import type { TestReport, Verdict } from '../../src/shared/types';
import { makeStackMaterials, type StackMaterials } from '../support/stacks/materials';
import { startStack, type CaseName, type RunningStack, type StackName } from '../support/stacks/stacks';

const STACKS: StackName[] = ['nginx', 'apache', 'caddy', 'haproxy', 'lighttpd', 'java-httpsserver', 'java-sslsocket'];
const REQUIRED = process.env.KEYBRIDGE_REQUIRE_STACKS === '1';

let materials: StackMaterials;
const running = new Map<StackName, RunningStack | { skip: string }>();

beforeAll(async () => {
  materials = await makeStackMaterials();
  // Every stack starts once, all at the same time; their cases then run concurrently.
  await Promise.all(STACKS.map(async (name) => running.set(name, await startStack(name, materials))));
}, 90_000);
afterAll(async () => {
  await Promise.all([...running.values()].map((stack) => ('close' in stack ? stack.close() : undefined)));
});

interface Case {
  name: string;
  port: CaseName;
  host?: string;
  target?: (m: StackMaterials) => Partial<TestTarget>;
  verdict: Verdict;
  check?: (report: TestReport, stack: StackName) => unknown;
  /** The token must (not) have reached the HTTP layer. */
  tokenArrives: boolean;
}

const withCa = (m: StackMaterials): Partial<TestTarget> => ({ trust: { verifyCertificate: true, extraCaPem: [m.rootCa.certPem] } });
const withClient = (m: StackMaterials, which: 'client' | 'otherClient'): Partial<TestTarget> => ({
  ...withCa(m),
  clientCertificate: { certPem: m[which].certPem, keyPem: m[which].keyPem },
});
const step = (report: TestReport, id: string): string => report.steps.find((s) => s.id === id)?.detail ?? '';

const CASES: Case[] = [
  { name: 'good chain with a CA file', port: 'good', target: withCa, verdict: 'ok', tokenArrives: true },
  { name: 'good chain, CA not trusted', port: 'good', target: () => ({ trust: { verifyCertificate: true } }), verdict: 'tls-untrusted-root', tokenArrives: false },
  { name: 'self-signed, Verify certificate Yes', port: 'self-signed', target: () => ({ trust: { verifyCertificate: true } }), verdict: 'tls-self-signed', tokenArrives: false },
  {
    name: 'self-signed, Verify certificate No',
    port: 'self-signed',
    target: () => ({ trust: { verifyCertificate: false } }),
    verdict: 'ok',
    check: (r) => expect(r.warnings.join(' ')).toMatch(/not checked/),
    tokenArrives: true,
  },
  { name: 'expired', port: 'expired', target: withCa, verdict: 'tls-expired', tokenArrives: false },
  { name: 'wrong host', port: 'wrong-host', target: withCa, verdict: 'tls-hostname-mismatch', tokenArrives: false },
  {
    name: 'incomplete chain',
    port: 'incomplete-chain',
    target: withCa,
    verdict: 'tls-incomplete-chain',
    check: (r) => expect(r.tls?.chain.length).toBe(1),
    tokenArrives: false,
  },
  ...(['client-cert-13', 'client-cert-12'] as const).flatMap((port): Case[] => [
    {
      name: `${port}: client certificate required, none configured`,
      port,
      target: withCa,
      verdict: 'tls-client-cert-required',
      // lighttpd's GnuTLS module names no CA in its request (upstream too): nothing to show there.
      check: (r, name) => name !== 'lighttpd' && expect(r.message).toContain('This server accepts client certificates issued by CN=Keybridge Test Client CA'),
      tokenArrives: false,
    },
    { name: `${port}: client certificate given`, port, target: (m) => withClient(m, 'client'), verdict: 'ok', tokenArrives: true },
    {
      name: `${port}: client certificate from another CA`,
      port,
      target: (m) => withClient(m, 'otherClient'),
      verdict: 'tls-client-cert-rejected',
      check: (r, name) =>
        expect(r.message).toMatch(name === 'lighttpd' ? /Yours is issued by CN=Other Client CA/ : /issued by CN=Keybridge Test Client CA; yours is issued by CN=Other Client CA/),
      tokenArrives: false,
    },
  ]),
  {
    name: 'old protocol only (TLS 1.0/1.1)',
    port: 'legacy-only',
    target: withCa,
    verdict: 'tls-protocol-version',
    check: (r) => {
      expect(r.message).toMatch(/speaks only TLS 1\.[01]/);
      expect(step(r, 'tls')).toMatch(/offering only TLS 1\.0 and 1\.1 \(no secret sent\) was answered with TLS 1\.[01]/);
    },
    tokenArrives: false,
  },
  { name: 'IP-address certificate reached by IP', port: 'ip-cert', host: '127.0.0.1', target: withCa, verdict: 'ok', tokenArrives: true },
  {
    name: 'certificate naming only a DNS name, reached by IP',
    port: 'dns-only-cert',
    host: '127.0.0.1',
    target: withCa,
    verdict: 'tls-hostname-mismatch',
    check: (r) => expect(r.message).toMatch(/localhost.*127\.0\.0\.1|127\.0\.0\.1.*localhost/),
    tokenArrives: false,
  },
  {
    name: 'wrong token',
    port: 'good',
    target: (m) => ({ ...withCa(m), auth: { method: 'bearer', token: 'not-the-token-0000' } }),
    verdict: 'http-unauthorized',
    tokenArrives: false,
  },
  { name: 'redirect to another origin', port: 'good', target: (m) => ({ ...withCa(m), endpoint: '/redirect' }), verdict: 'http-redirect', tokenArrives: true },
  {
    name: 'client certificate asked per location over TLS 1.2 (renegotiation), none configured',
    port: 'pha-12',
    target: withCa,
    verdict: 'tls-client-cert-required',
    check: (r) => expect(r.steps.find((s) => s.id === 'http')?.detail).toMatch(/renegotiat/),
    tokenArrives: false,
  },
  { name: 'client certificate asked per location over TLS 1.2 (renegotiation), certificate given', port: 'pha-12', target: (m) => withClient(m, 'client'), verdict: 'ok', tokenArrives: true },
  {
    name: 'client certificate asked after a TLS 1.3 handshake (post-handshake auth), none configured',
    port: 'pha',
    target: withCa,
    verdict: 'tls-client-cert-required',
    check: (r) => expect(r.message).toMatch(/asked after the handshake/),
    tokenArrives: false,
  },
  {
    name: 'client certificate asked after a TLS 1.3 handshake (post-handshake auth), one from another CA: refused in the renegotiation',
    port: 'pha',
    target: (m) => withClient(m, 'otherClient'),
    verdict: 'tls-client-cert-rejected',
    check: (r) => expect(r.warnings.join(' ')).toMatch(/tested again over TLS 1\.2/),
    tokenArrives: false,
  },
  {
    name: 'client certificate asked after a TLS 1.3 handshake (post-handshake auth), certificate configured: again over TLS 1.2',
    port: 'pha',
    target: (m) => withClient(m, 'client'),
    verdict: 'ok',
    check: (r) => {
      expect(r.tls?.protocol).toBe('TLSv1.2');
      expect(r.warnings.join(' ')).toMatch(/post-handshake authentication.*tested again over TLS 1\.2/);
      expect(step(r, 'http')).toMatch(/again over TLS 1\.2/);
    },
    tokenArrives: true,
  },
];

it('runs on the TLS library it says it does', () => {
  const electron = process.versions.electron;
  console.log(`verdicts tested on ${electron ? `Electron ${electron}'s Node ${process.version} (BoringSSL)` : `Node ${process.version} (OpenSSL ${process.versions.openssl})`}`);
  // The workflow's second run under ELECTRON_RUN_AS_NODE: make sure it is not plain Node after all.
  if (process.env.KEYBRIDGE_EXPECT_ELECTRON === '1') expect(electron).toBeDefined();
});

describe.each(STACKS)('%s', (name) => {
  it.concurrent.for(CASES.map((c) => [c.name, c] as const))('%s', async ([, c], context) => {
    const stack = running.get(name);
    if (!stack) throw new Error(`${name} did not start`);
    if ('skip' in stack) {
      if (REQUIRED) throw new Error(stack.skip);
      context.skip(stack.skip);
      return;
    }
    const port = stack.ports[c.port];
    if (port === undefined) {
      context.skip(`${name} cannot do this case`);
      return;
    }
    const agent = `keybridge-stack-test-${CASES.indexOf(c)}`;
    const report = await runConnectionTest({
      serverAddress: `https://${c.host ?? 'localhost'}:${port}`,
      auth: { method: 'bearer', token: materials.token },
      trust: { verifyCertificate: true },
      proxy: null,
      timeoutMs: 15_000,
      ...c.target?.(materials),
    }, { userAgent: agent });
    expect(report.verdict, `${report.verdict}: ${report.message} | ${report.steps.map((s) => `${s.id}: ${s.detail}`).join(' | ')}`).toBe(c.verdict);
    c.check?.(report, name);
    // The token reached the HTTP layer only where the server was accepted.
    const arrived = stack.seen.filter((s) => s.userAgent === agent && s.authorization === `Bearer ${materials.token}`);
    expect(arrived.length > 0, 'the token reached the server').toBe(c.tokenArrives);
  });
});

describe('the window\'s copied report, the CLI and --json say the same new facts', () => {
  const stackFor = (name: StackName): RunningStack | null => {
    const stack = running.get(name);
    return stack && 'close' in stack ? stack : null;
  };
  const cli = async (args: string[]) => {
    const out: string[] = [];
    const code = await runCli(args, { out: (t) => out.push(t), err: (t) => out.push(t), env: { KB_TOKEN: materials.token } });
    return { code, out: out.join('\n') };
  };

  it('what the server asked for, and the issuer sent', async (context) => {
    const stack = stackFor('apache');
    if (!stack) return context.skip('apache is not running (apt-get install apache2)');
    const address = `https://localhost:${stack.ports['client-cert-12']}`;
    const common = ['test', address, '--token-env', 'KB_TOKEN', '--ca', materials.files.rootCa.cert, '--no-proxy'];
    const human = await cli(common);
    expect(human.code).toBe(1);
    expect(human.out).toMatch(/no client certificate is configured, and the server sent handshake_failure \(40\); the server asked for a client certificate issued by CN=Keybridge Test Client CA/);
    expect(human.out).toContain('This server accepts client certificates issued by CN=Keybridge Test Client CA.');
    const other = await cli([...common, '--client-cert', materials.files.otherClient.cert, '--client-key', materials.files.otherClient.key, '--json']);
    const report = JSON.parse(other.out) as TestReport;
    expect(report.verdict).toBe('tls-client-cert-rejected');
    expect(report.message).toContain('yours is issued by CN=Other Client CA');
    expect(report.steps.find((s) => s.id === 'tls')?.detail).toMatch(/the one sent is issued by CN=Other Client CA/);
    expect(report.message).not.toContain(materials.token);

    // Accepted: the request is a fact of the TLS details, in the copied report and the CLI's text.
    const given = await cli([...common, '--client-cert', materials.files.client.cert, '--client-key', materials.files.client.key]);
    expect(given.code).toBe(0);
    expect(given.out).toMatch(/Client certificate requested by the server: accepts certificates issued by CN=Keybridge Test Client CA; sent one issued by CN=Keybridge Test Client CA/);
    const direct = await runConnectionTest({
      serverAddress: address,
      auth: { method: 'bearer', token: materials.token },
      trust: { verifyCertificate: true, extraCaPem: [materials.rootCa.certPem] },
      clientCertificate: { certPem: materials.client.certPem, keyPem: materials.client.keyPem },
      proxy: null,
    });
    expect(direct.tls?.clientCertificateRequest).toEqual({
      acceptedIssuers: ['CN=Keybridge Test Client CA'],
      sent: true,
      clientIssuer: 'CN=Keybridge Test Client CA',
      clientIssuerAccepted: true,
    });
    expect(reportText(direct, { appVersion: 'test', connectionName: 'apache' }, 'text')).toMatch(/Client cert +requested by the server: accepts certificates issued by CN=Keybridge Test Client CA/);
  });

  it('the legacy probe and the TLS 1.2 retry', async (context) => {
    const stack = stackFor('apache');
    if (!stack) return context.skip('apache is not running (apt-get install apache2)');
    const legacy = JSON.parse((await cli(['test', `https://localhost:${stack.ports['legacy-only']}`, '--token-env', 'KB_TOKEN', '--ca', materials.files.rootCa.cert, '--no-proxy', '--json'])).out) as TestReport;
    expect(legacy.verdict).toBe('tls-protocol-version');
    expect(legacy.steps.find((s) => s.id === "tls")?.detail, JSON.stringify(legacy.steps)).toMatch(/answered with TLS 1\.0 and TLS 1\.1/);
    const pha = await cli(['test', `https://localhost:${stack.ports.pha}`, '--token-env', 'KB_TOKEN', '--ca', materials.files.rootCa.cert, '--no-proxy', '--client-cert', materials.files.client.cert, '--client-key', materials.files.client.key]);
    expect(pha.code).toBe(0);
    expect(pha.out).toMatch(/tested again over TLS 1\.2/);
  });
});

// The headless CLI, in process, against the demo key manager and real token files.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli';
import { startDemoKeyManager, type DemoKeyManager } from '../../tools/demo-key-manager';

let demo: DemoKeyManager;
let dir: string;
beforeAll(async () => {
  demo = await startDemoKeyManager();
  dir = mkdtempSync(path.join(os.tmpdir(), 'keybridge-cli-'));
});
afterAll(async () => {
  await demo.close();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('keybridge test', () => {
  it('exits 0 and prints a checklist-like report on success', async () => {
    const run = await cli(['test', demo.url, '--token-file', demo.tokenFile, '--no-verify']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('✓ Connection successful  [ok]');
    expect(run.out).toMatch(/✓ tls +[\d.]+ ms {2}TLSv1\.3/);
    expect(run.out).toContain(demo.fingerprint);
    expect(run.out).not.toContain(demo.token);
  });

  it('exits 1 with the verdict when the test fails, and --json carries no secret', async () => {
    const run = await cli(['test', demo.url, '--token-env', 'KM_TOKEN', '--json'], { KM_TOKEN: demo.token });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.out);
    expect(report).toMatchObject({ ok: false, verdict: 'tls-self-signed' });
    expect(run.out).not.toContain(demo.token);
  });

  it.each([
    [['test'], /Missing the server address/],
    [['probe', 'x'], /Unknown command "probe"/],
    [['test', 'x', '--token-file', 'a', '--token-env', 'B'], /exactly one of/],
    [['test', 'x', '--token-env', 'T', '--pin', 'abc'], /--pin takes/],
    [['test', 'x', '--token-env', 'T', '--auth', 'header:Host'], /cannot carry/],
    [['test', 'x', '--auth', 'basic', '--user', 'u'], /--password-env/],
    [['test', 'x', '--token-env', 'T', '--ca', '/etc/hostname'], /not PEM|Cannot read/],
    [['test', 'x', '--token-file', '/nonexistent/token.txt'], /Cannot read the API token file/],
    [['test', 'x', '--token-env', 'UNSET_VAR'], /UNSET_VAR is not set/],
    [['test', 'x', '--token-env', 'T', '--timeout', 'soon'], /--timeout takes/],
    [['test', 'x', '--bogus'], /Unknown option/],
    // The window's rules (shared/connection-profile.ts), in this command's words.
    [['test', 'x', '--preset', 'privx', '--auth', 'basic', '--user', 'u'], /PrivX Key Manager does not use --auth basic/],
    [['test', 'x', '--auth', 'basic'], /--auth basic needs --user/],
    [['test', 'x', '--auth', 'passportal-hmac', '--secret-file', '/etc/hostname'], /needs --access-key-id/],
    [['test', 'x', '--auth', 'passportal-hmac', '--access-key-id', 'AKID', '--scope', 'docs api'], /A scope is letters, digits/],
    [['test', 'x', '--preset', 'cipherinsights', '--token-env', 'T'], /does not document the header/],
    [['test', 'x', '--auth', 'digest', '--token-env', 'T'], /Unknown --auth "digest"/],
  ])('exits 2 on bad usage: %j', async (args, message) => {
    const run = await cli(args, { T: 'abc' });
    expect(run.code).toBe(2);
    expect(run.err).toMatch(message);
  });

  // The command line is readable in the process list: a proxy password comes from HTTPS_PROXY, as
  // a Basic password comes from --password-env. The proxy given (127.0.0.1:1) is never reached.
  it.each([
    'http://proxyuser:Pr0xyS3cretPw@127.0.0.1:1',
    'proxyuser:Pr0xyS3cretPw@127.0.0.1:1',
    'HTTP://proxyuser:Pr0xyS3cretPw%21@127.0.0.1:1/',
    'http://Pr0xyS3cretPw@127.0.0.1:1',
    'http://proxyuser:Pr0xyS3cretPw@127.0.0.1:99999',
  ])('refuses credentials in --proxy (%s) without echoing them', async (proxy) => {
    const run = await cli(['test', demo.url, '--token-env', 'T', '--no-verify', '--proxy', proxy], { T: demo.token });
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/--proxy takes the proxy address without a user name or password \(a proxy password is never taken on the command line\): give them in HTTPS_PROXY/);
    expect(`${run.out}\n${run.err}`).not.toMatch(/Pr0xyS3cretPw|proxyuser/);
  });

  it('takes a --proxy without credentials, and says where credentials go in --help', async () => {
    const run = await cli(['test', demo.url, '--token-env', 'T', '--no-verify', '--json', '--proxy', 'http://127.0.0.1:1'], { T: demo.token });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.out)).toMatchObject({ ok: false, verdict: 'connection-refused' });
    expect((await cli(['--help'])).out).toMatch(/--proxy URL +http:\/\/ proxy without credentials \(a proxy password is never taken\s+on the command line: give it in HTTPS_PROXY\)/);
    expect((await cli(['test', demo.url, '--token-env', 'T', '--proxy', 'https://127.0.0.1:1'], { T: demo.token })).err).toMatch(/--proxy: Keybridge uses http:\/\/ proxies/);
  });

  it.each([
    ['empty.txt', '\n', /empty/],
    ['binary.txt', Buffer.from([0x57, 0x00, 0x01, 0x02]), /binary/],
    ['cert.pem', '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n', /PEM/],
    ['big.txt', 'A'.repeat(70 * 1024), /larger than 64 KiB/],
    ['two.txt', 'FirstTokenFirstToken\nSecondTokenSecondToken\n', /spaces or line breaks/],
  ])('refuses an odd token file (%s) without echoing it', async (name, content, message) => {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    const run = await cli(['test', demo.url, '--token-file', file]);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(message);
    expect(run.err).not.toContain('SecondToken');
    expect(run.err).not.toContain('MIIBszCCAVmgAwIBAgIU');
  });
});

describe('usage errors do not pass escapes to the terminal', () => {
  it('a file name with ESC, BEL and C1 controls is shown with them made visible', async () => {
    const err: string[] = [];
    const name = path.join(os.tmpdir(), 'no-such-\u001b]0;owned\u0007-\u009b2J-\u202eevil.token');
    const code = await runCli(['test', 'km.example.com', '--token-file', name], { out: () => undefined, err: (t) => err.push(t), env: {} });
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(/no-such-/);
    // eslint-disable-next-line no-control-regex
    expect(err.join('\n')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  });
});

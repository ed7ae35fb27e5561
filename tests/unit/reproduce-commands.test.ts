// Copy as curl and as openssl s_client (#17, item 5): the commands are run, as an admin would paste
// them into a shell, against the demo key manager on 127.0.0.1 (self-signed, its key pinned or not
// verified), with the secret in $KEYBRIDGE_TOKEN and never in the command.
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curlCommand, opensslCommand, shellWord, type ReproduceInput } from '../../src/shared/reproduce-commands';
import { startDemoKeyManager, type DemoKeyManager } from '../../tools/demo-key-manager';

const run = promisify(execFile);
/** A tool the admin's shell has (curl, openssl, bash); a test of one that is missing says so and skips. */
const missing = (tool: string): string | false => (spawnSync(tool, [tool === 'openssl' ? 'version' : '--version']).status === 0 ? false : `${tool} is not installed here`);
const noCurl = missing('bash') || missing('curl');
const noOpenssl = missing('bash') || missing('openssl');
if (noCurl) console.log(`reproduce-commands: curl cases skipped: ${noCurl}`);
if (noOpenssl) console.log(`reproduce-commands: openssl cases skipped: ${noOpenssl}`);
let demo: DemoKeyManager;
beforeAll(async () => {
  demo = await startDemoKeyManager();
});
afterAll(async () => {
  await demo.close();
});

const input = (more: Partial<ReproduceInput> = {}): ReproduceInput => ({
  url: `${demo.url}/api/v3/`,
  authMethod: 'bearer',
  authIdentity: null,
  verifyCertificate: false,
  pinnedSpki: null,
  hasExtraCa: false,
  hasClientCertificate: false,
  proxy: 'none',
  ...more,
});

/** Runs a command line in bash with the token in the environment only; the exit code and output. */
async function shell(command: string, token = demo.token): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run('bash', ['-c', command], { env: { PATH: process.env.PATH, KEYBRIDGE_TOKEN: token }, timeout: 20_000 });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe.skipIf(Boolean(noCurl))('Copy as curl', () => {
  it('Verify certificate No: the same request succeeds, and the command holds no secret', async () => {
    const command = curlCommand(input())!;
    expect(command).not.toContain(demo.token);
    expect(command).toContain('"Authorization: Bearer $KEYBRIDGE_TOKEN"');
    expect(command).toContain(' -k ');
    const { code, out } = await shell(command);
    expect(code).toBe(0);
    expect(out).toMatch(/^HTTP\/1\.1 200/m);
    // With another token, the key manager says no: the token is what the command sends.
    expect((await shell(command, 'not-the-token-not-the-token')).out).toMatch(/^HTTP\/1\.1 401/m);
  });

  it('a pinned key: curl checks exactly that key, and refuses another', async () => {
    const command = curlCommand(input({ verifyCertificate: true, pinnedSpki: demo.pin }))!;
    expect(command).toContain(`--pinnedpubkey ${shellWord(demo.pin.replace('sha256/', 'sha256//'))}`);
    expect((await shell(command)).out).toMatch(/^HTTP\/1\.1 200/m);
    const wrong = curlCommand(input({ verifyCertificate: true, pinnedSpki: 'sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' }))!;
    expect((await shell(wrong)).code).toBe(90); // CURLE_SSL_PINNEDPUBKEYNOTMATCH
  });

  it('Verify certificate Yes without a pin: curl refuses the self-signed certificate, as Keybridge does', async () => {
    const { code } = await shell(curlCommand(input({ verifyCertificate: true }))!);
    expect(code).toBe(60); // CURLE_PEER_FAILED_VERIFICATION
  });

  it('the other methods, the files and the proxy are said as curl takes them; Passportal has no one command', () => {
    expect(curlCommand(input({ authMethod: 'header', authIdentity: 'X-API-Key' }))).toContain('-H "X-API-Key: $KEYBRIDGE_TOKEN"');
    expect(curlCommand(input({ authMethod: 'basic', authIdentity: 'api"user' }))).toContain('-u "api\\"user:$KEYBRIDGE_TOKEN"');
    expect(curlCommand(input({ verifyCertificate: true, hasExtraCa: true, hasClientCertificate: true }))).toContain('--cacert keybridge-ca.pem --cert keybridge-client.pem --key keybridge-client-key.pem');
    expect(curlCommand(input({ proxy: 'http://proxy.example:3128' }))).toContain("-x http://proxy.example:3128");
    expect(curlCommand(input({ proxy: '' }))).not.toMatch(/--noproxy|-x /);
    expect(curlCommand(input({ authMethod: 'passportal-hmac' }))).toBeNull();
    // A URL with shell characters stays one word.
    expect(curlCommand(input({ url: "https://km.example/api/v1/it's;rm -rf ~" }))).toContain("'https://km.example/api/v1/it'\\''s;rm -rf ~'");
  });
});

describe.skipIf(Boolean(noOpenssl))('Copy as openssl s_client', () => {
  it('shows the handshake and the certificates the server sends', async () => {
    const command = opensslCommand(input());
    expect(command).toBe(`openssl s_client -connect 127.0.0.1:${demo.port} -showcerts </dev/null`);
    const { code, out } = await shell(command);
    expect(code).toBe(0);
    expect(out).toContain('-----BEGIN CERTIFICATE-----');
    expect(out).toMatch(/Protocol *: *TLSv1\.[23]|New, TLSv1\.[23]/);
  });

  it('with Verify certificate Yes it verifies the name and the chain, and fails where Keybridge does', async () => {
    const command = opensslCommand(input({ verifyCertificate: true }));
    expect(command).toContain(`-verify_return_error -verify_ip 127.0.0.1`);
    expect((await shell(command)).code).not.toBe(0);
    expect(opensslCommand(input({ url: 'https://km.example.com:8443/api/', verifyCertificate: true, hasExtraCa: true, hasClientCertificate: true }))).toBe(
      'openssl s_client -connect km.example.com:8443 -servername km.example.com -showcerts -verify_return_error -verify_hostname km.example.com -CAfile keybridge-ca.pem -cert keybridge-client.pem -key keybridge-client-key.pem </dev/null',
    );
  });
});

// Every key manager product against its emulator (tools/emulators.ts), as an admin sets it up:
// the product's key file imported, the product chosen, then Save and test connection: success, a
// rejected key, and each product's own failure, with the product's hint. And the same from the CLI.
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli';
import type { KeybridgeService } from '../../src/main/core/service';
import { PRESET_IDS, PRESETS, staAddress, type PresetId } from '../../src/shared/presets';
import { startDemoKeyManager, type DemoKeyManager, type DemoOptions } from '../../tools/demo-key-manager';
import { useServiceHarness } from '../support/service-harness';

const harness = useServiceHarness();
const servers: DemoKeyManager[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function emulator(preset: PresetId, more: DemoOptions = {}): Promise<DemoKeyManager> {
  const demo = await startDemoKeyManager({ preset, ...more });
  servers.push(demo);
  return demo;
}

/** As the window does it: import the product's key file, then save and test with the product chosen. */
async function saveAndTest(service: KeybridgeService, demo: DemoKeyManager, more: Record<string, unknown> = {}) {
  const imported = await service.importTokenText({ fileName: path.basename(demo.tokenFile), text: readFileSync(demo.tokenFile, 'utf8') });
  return service.saveAndTestConnection({ name: PRESETS[demo.preset].product, serverAddress: demo.address, preset: demo.preset, tokenImportId: imported.importId, verifyCertificate: false, ...more });
}

const service = () => harness.service();
const identity: Partial<Record<PresetId, string>> = { cipherinsights: 'X-API-Key' };

describe('each product, set up as its documentation says', () => {
  it.each(PRESET_IDS)('%s: Save and test connection succeeds', async (preset) => {
    const demo = await emulator(preset);
    const { connection, report } = await saveAndTest(service(), demo, identity[preset] ? { authIdentity: identity[preset] } : {});
    expect(report.verdict, report.message).toBe('ok');
    expect(connection.preset).toBe(preset);
    expect(connection.authMethod).toBe(PRESETS[preset].auth);
    expect(report.url).toContain(preset === 'thales-sta' ? '/api/v1/tenants/ACME1234/scim/v2/Users?startIndex=1&count=1' : PRESETS[preset].endpoint.split('?')[0]);
  });

  it.each(PRESET_IDS)('%s: a rejected key is reported with the product\'s hint', async (preset) => {
    const demo = await emulator(preset);
    const s = service();
    const saved = await saveAndTest(s, demo, identity[preset] ? { authIdentity: identity[preset] } : {});
    // Rotate to a wrong key: the test fails, and says why in the product's words.
    const wrong = preset === 'passportal' ? `Access key ID: ${demo.accessKeyId}\nSecret access key: WrongSecretWrongSecret1234\n` : 'WrongKeyWrongKeyWrongKey1234';
    const imported = await s.importTokenText({ fileName: preset === 'thales-sta' ? 'APIKey-old-2026-01-01.key' : 'key.txt', text: wrong });
    const { rotated, report } = await s.rotateToken({ id: saved.connection.id, tokenImportId: imported.importId });
    expect(rotated).toBe(false);
    const expected: Record<PresetId, [string, RegExp]> = {
      privx: ['http-unauthorized', /Accounts → API tokens/],
      generic: ['http-unauthorized', /mistyped, expired/], // no product hint: the general one
      passportal: ['http-unauthorized', /Access key ID and the Secret access key belong together/],
      'thales-sta': ['http-unauthorized', /Settings → API Keys/],
      cipherinsights: ['http-unauthorized', /OpenAPI specification names/],
      'manageengine-pmp': ['auth-rejected', /bound to one host/],
    };
    expect(report.verdict).toBe(expected[preset][0]);
    expect(report.hint).toMatch(expected[preset][1]);
  });
});

describe("each product's own failures", () => {
  it('Passportal: "Key verification failed" with its message; each exchange signs fresh content (a replay is refused)', async () => {
    const demo = await emulator('passportal');
    const s = service();
    const { connection, report } = await saveAndTest(s, demo);
    expect(report.accessTokenExpiresAt).toBeDefined();
    // A second test works too: the emulator refuses replayed content, so the content was fresh.
    expect((await s.testConnection({ id: connection.id })).verdict).toBe('ok');
    const wrongId = await s.saveAndTestConnection({ id: connection.id, name: 'Passportal', serverAddress: demo.address, preset: 'passportal', authIdentity: 'AKIDWRONG', verifyCertificate: false });
    expect(wrongId.report.verdict).toBe('http-unauthorized');
    expect(wrongId.report.message).toContain('Key verification failed');
  });

  it('Thales STA: a tenant the key has no access to is refused with the SCIM error; the address is built from zone and tenant', async () => {
    const demo = await emulator('thales-sta');
    const { report } = await saveAndTest(service(), demo, { serverAddress: demo.address.replace('ACME1234', 'OTHER999') });
    expect(report.verdict).toBe('http-forbidden');
    expect(report.message).toContain('The API key has no access to this tenant');
    expect(report.hint).toMatch(/service account has no access to this tenant/);
    expect(staAddress('eu', 'ACME1234')).toEqual({ ok: true, address: 'https://api.eu.safenetid.com/api/v1/tenants/ACME1234/' });
    expect(staAddress('eu.evil.com/', 'x')).toMatchObject({ ok: false });
  });

  it('CipherInsights: a locked key gets its own hint', async () => {
    const demo = await emulator('cipherinsights', { locked: true });
    const { report } = await saveAndTest(service(), demo, { authIdentity: 'X-API-Key' });
    expect(report.verdict).toBe('http-forbidden');
    expect(report.hint).toMatch(/locked .*Unlock/);
  });

  it('Password Manager Pro: HTTP 200 "Failed" for a user bound to another host names this workstation', async () => {
    const demo = await emulator('manageengine-pmp', { boundHost: 'build-07.example.com' });
    const { report } = await saveAndTest(service(), demo);
    expect(report.verdict).toBe('auth-rejected');
    expect(report.message).toContain('User is not allowed to access from this host');
    expect(report.hint).toContain(`This workstation is ${os.hostname()}`);
    // The key went in the AUTHTOKEN header, never in the URL.
    expect(report.url).not.toMatch(/AUTHTOKEN/i);
  });

  it('Password Manager Pro: port 7272 when the address names none', async () => {
    const s = service();
    const imported = await s.importTokenText({ fileName: 'pmp-api-key.txt', text: 'Wg7ASgddKzXwEStPoUvMDzwYO3NDFjPmp' });
    const saved = await s.saveConnection({ name: 'PMP', serverAddress: '127.0.0.1', preset: 'manageengine-pmp', tokenImportId: imported.importId, verifyCertificate: false });
    const report = await s.testConnection({ id: saved.id });
    expect(report.url).toBe('https://127.0.0.1:7272/restapi/json/v1/resources');
  });

  it('Passportal: the scope is docs_api by default and can be changed', async () => {
    const demo = await emulator('passportal');
    const s = service();
    const { connection } = await saveAndTest(s, demo, { authScope: 'users_api' });
    expect(connection.authScope).toBe('users_api');
    expect(connection.lastTest?.verdict).toBe('ok');
    const refused = await s.saveAndTestConnection({ id: connection.id, name: 'Passportal', serverAddress: demo.address, verifyCertificate: false, authScope: 'billing_api' });
    expect(refused.report.verdict).toBe('http-forbidden');
    expect(refused.report.message).toContain('Scope not allowed for this key');
    await expect(s.saveConnection({ id: connection.id, name: 'Passportal', serverAddress: demo.address, verifyCertificate: false, authScope: 'docs api!' })).rejects.toThrow(/A scope is letters/);
  });

  it('Other REST API: a success rule the admin types (typed JSON values), and one that is not a rule', async () => {
    const demo = await emulator('generic');
    const s = service();
    const ok = await saveAndTest(s, demo, { successRule: 'status=OK' });
    expect(ok.report.verdict).toBe('ok');
    expect(ok.connection.successRule).toBe('status=OK');
    const down = await s.saveAndTestConnection({ id: ok.connection.id, name: 'x', serverAddress: demo.address, verifyCertificate: false, successRule: 'apiVersion=3' });
    expect(down.report.verdict).toBe('auth-rejected');
    expect(down.report.steps.find((step) => step.id === 'auth')?.detail).toContain('apiVersion is "v3", not 3');
    await expect(s.saveConnection({ id: ok.connection.id, name: 'x', serverAddress: demo.address, verifyCertificate: false, successRule: 'no rule' })).rejects.toThrow(/A success rule is PATH=VALUE/);
  });

  it('a product refuses an authentication method it does not use', async () => {
    await expect(service().saveConnection({ name: 'x', serverAddress: 'km.example.com', preset: 'privx', authMethod: 'basic', authIdentity: 'u', apiToken: 'Wg7ASgddKzXwEStPoUvMDzwYO3NDFj', verifyCertificate: true })).rejects.toThrow(/PrivX Key Manager does not use this authentication method/);
  });
});

describe('keybridge --preset', () => {
  async function cli(args: string[], env: Record<string, string> = {}) {
    const out: string[] = [];
    const code = await runCli(args, { out: (t) => out.push(t), err: (t) => out.push(t), env });
    return { code, out: out.join('\n') };
  }

  it.each(PRESET_IDS)('%s: success, then a rejected key, from the product key file', async (preset) => {
    const demo = await emulator(preset);
    const extra = preset === 'cipherinsights' ? ['--auth', 'header:X-API-Key'] : [];
    const ok = await cli(['test', demo.address, '--preset', preset, '--token-file', demo.tokenFile, '--no-verify', ...extra]);
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toContain('✓ Connection successful');
    const wrongFile = path.join(harness.files, preset === 'thales-sta' ? 'APIKey-x-2026-01-01.key' : 'wrong.txt');
    writeFileSync(wrongFile, preset === 'passportal' ? `Access key ID: ${demo.accessKeyId}\nSecret access key: WrongSecretWrongSecret1234\n` : 'WrongKeyWrongKeyWrongKey1234\n');
    const bad = await cli(['test', demo.address, '--preset', preset, '--token-file', wrongFile, '--no-verify', ...extra]);
    expect(bad.code).toBe(1);
    expect(bad.out).not.toContain(demo.token);
  });

  it('lists the products; --zone/--tenant build the STA address; typed --expect-json', async () => {
    const listed = await cli(['presets']);
    expect(listed.code).toBe(0);
    for (const preset of PRESET_IDS) expect(listed.out).toContain(PRESETS[preset].product);
    expect(listed.out).toContain('header AUTHTOKEN; tests /restapi/json/v1/resources; port 7272');
    const built = await cli(['test', '--zone', 'e u', '--tenant', 'ACME1234', '--preset', 'thales-sta', '--token-env', 'K'], { K: 'Wg7ASgddKzXwEStPoUvMDzwYO3NDFj' });
    expect(built.code).toBe(2);
    expect(built.out).toMatch(/The zone is the part of your STA address/);
    const noHeader = await cli(['test', 'hub.example.com', '--preset', 'cipherinsights', '--token-env', 'K'], { K: 'Wg7ASgddKzXwEStPoUvMDzwYO3NDFj' });
    expect(noHeader.code).toBe(2);
    expect(noHeader.out).toMatch(/does not document the header .*--auth header:<Name>, or --openapi/);
    const demo = await emulator('passportal');
    const typed = await cli(['test', demo.address, '--preset', 'passportal', '--token-file', demo.tokenFile, '--no-verify', '--expect-json', 'resultsPerPage=1']);
    expect(typed.code, typed.out).toBe(0);
    const wrongType = await cli(['test', demo.address, '--preset', 'passportal', '--token-file', demo.tokenFile, '--no-verify', '--expect-json', 'resultsPerPage="1"']);
    expect(wrongType.code).toBe(1);
    expect(wrongType.out).toMatch(/resultsPerPage is 1, not "1"/);
  });
});

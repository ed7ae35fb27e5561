// A product's OpenAPI specification (CipherInsights, seed 003), in JSON or YAML: the header that
// carries the key, the base address, and the GET operations that make test requests.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli';
import { readOpenApi } from '../../src/main/core/openapi/read-spec';
import { CIPHERINSIGHTS_OPENAPI } from '../../tools/emulators';
import { useServiceHarness } from '../support/service-harness';

const harness = useServiceHarness({ demoKeyManager: { preset: 'cipherinsights' } });

describe('reading an OpenAPI specification', () => {
  it.each([
    ['JSON', JSON.stringify(CIPHERINSIGHTS_OPENAPI)],
    ['YAML', stringify(CIPHERINSIGHTS_OPENAPI)],
  ])('%s: the API key header and the GET operations without required parameters', async (_format, text) => {
    const read = await readOpenApi(text);
    expect(read).toEqual({
      ok: true,
      summary: { title: 'CipherInsights REST API (emulated)', auth: { method: 'header', headerName: 'X-API-Key' }, serverUrl: null, endpoints: ['/api/v1/assessments'] },
    });
  });

  it('bearer and basic schemes, an absolute server, and what is not a specification', async () => {
    const spec = (scheme: object, servers: object[] = []) => JSON.stringify({ openapi: '3.1.0', servers, components: { securitySchemes: { s: scheme } }, paths: {} });
    expect(await readOpenApi(spec({ type: 'http', scheme: 'bearer' }))).toMatchObject({ ok: true, summary: { auth: { method: 'bearer' } } });
    expect(await readOpenApi(spec({ type: 'http', scheme: 'Basic' }, [{ url: '/v1' }, { url: 'https://hub.example.com/api' }]))).toMatchObject({ ok: true, summary: { auth: { method: 'basic' }, serverUrl: 'https://hub.example.com/api' } });
    expect(await readOpenApi(spec({ type: 'oauth2' }))).toMatchObject({ ok: true, summary: { auth: null } });
    expect(await readOpenApi(spec({ type: 'apiKey', in: 'header', name: 'Bad Header' }))).toMatchObject({ ok: true, summary: { auth: null } });
    expect(await readOpenApi('<html>Login</html>')).toMatchObject({ ok: false, message: expect.stringMatching(/not an OpenAPI specification/) });
    expect(await readOpenApi('a: &a [*a, *a]')).toMatchObject({ ok: false });
  });

  it('the window imports it through the file dialog in main; a file that is not one is refused with its name', async () => {
    const { dialogs } = harness;
    const service = harness.service();
    dialogs.open = path.join(harness.files, 'cipherinsights-openapi.yaml');
    writeFileSync(dialogs.open, stringify(CIPHERINSIGHTS_OPENAPI));
    expect(await service.importOpenApi()).toMatchObject({ auth: { method: 'header', headerName: 'X-API-Key' } });
    writeFileSync(dialogs.open, 'just text');
    await expect(service.importOpenApi()).rejects.toThrow(/cipherinsights-openapi\.yaml: This is not an OpenAPI specification/);
  });

  it('downloads it from the server over a judged connection: a self-signed server is refused unless trusted', async () => {
    const { demo } = harness;
    const service = harness.service();
    const url = `${demo.url}/openapi.json`;
    expect(await service.importOpenApi({ url, verifyCertificate: false })).toMatchObject({ auth: { method: 'header', headerName: 'X-API-Key' }, endpoints: ['/api/v1/assessments'] });
    await expect(service.importOpenApi({ url, verifyCertificate: true })).rejects.toThrow(/could not be downloaded from .*: Self-signed certificate/);
    await expect(service.importOpenApi({ url: url.replace('https:', 'http:') })).rejects.toThrow(/https:\/\/ only/);
    // With a saved connection, its own trust settings (here: Verify certificate No).
    const saved = await service.saveConnection({ name: 'Hub', serverAddress: demo.address, preset: 'cipherinsights', authIdentity: 'X-API-Key', apiToken: demo.token, verifyCertificate: false });
    expect(await service.importOpenApi({ url, id: saved.id })).toMatchObject({ title: 'CipherInsights REST API (emulated)' });
  });

  it('the CLI takes the header and the test request from --openapi', async () => {
    const { demo } = harness;
    const file = path.join(harness.files, 'spec.json');
    writeFileSync(file, JSON.stringify(CIPHERINSIGHTS_OPENAPI));
    const out: string[] = [];
    const code = await runCli(['test', demo.address, '--preset', 'cipherinsights', '--openapi', file, '--token-file', demo.tokenFile, '--no-verify'], { out: (t) => out.push(t), err: (t) => out.push(t), env: {} });
    expect(code, out.join('\n')).toBe(0);
    expect(out.join('\n')).toContain('/api/v1/assessments');
    const fromUrl: string[] = [];
    const urlCode = await runCli(['test', demo.address, '--preset', 'cipherinsights', '--openapi', `${demo.url}/openapi.json`, '--token-file', demo.tokenFile, '--no-verify'], {
      out: (t) => fromUrl.push(t),
      err: (t) => fromUrl.push(t),
      env: {},
    });
    expect(urlCode, fromUrl.join('\n')).toBe(0);
    // Another origin (same machine, another name): --no-verify is the server's, not the spec host's.
    const elsewhere: string[] = [];
    const otherCode = await runCli(['test', demo.address, '--preset', 'cipherinsights', '--openapi', `${demo.url.replace('127.0.0.1', 'localhost')}/openapi.json`, '--token-file', demo.tokenFile, '--no-verify'], {
      out: (t) => elsewhere.push(t),
      err: (t) => elsewhere.push(t),
      env: {},
    });
    expect(otherCode, elsewhere.join('\n')).toBe(2);
    expect(elsewhere.join('\n')).toMatch(/could not be downloaded .*Self-signed certificate/);
  });
});

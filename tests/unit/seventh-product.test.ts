// Adding a product is a preset entry (shared/presets.ts) and nothing else of the window, the service
// or the CLI: here a seventh product exists only in this file's copy of the presets, and the service
// saves and tests it, the CLI tests it by its id, and the form's product rule applies to it.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { issueCertificate, type Issued } from '../../tools/certificates';
import { httpsPeer, json, type Peer } from '../support/peers';
import { useServiceHarness } from '../support/service-harness';

const KEY = 'AcmeVaultKey-0123456789abcdef';

vi.mock('../../src/shared/presets', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/shared/presets')>();
  const acme: import('../../src/shared/presets').Preset = {
    id: 'acme-vault' as never,
    product: 'Acme Vault',
    vendor: 'Acme',
    auth: 'header',
    methods: ['header', 'bearer'],
    headerName: 'X-Acme-Key',
    endpoint: '/acme/v1/ping?probe=1',
    successRule: { jsonPath: 'health.state', equals: 'green', messagePath: 'health.reason' },
    secretLabel: 'Vault key',
    keyFrom: 'the key shown under Settings → Keys',
    setup: ['Create a key under Settings → Keys.'],
    hints: { 'auth-rejected': 'Acme Vault says the vault is not green: check its health page.' },
  };
  // The generic product stays last, as in the real table.
  const ids = [...real.PRESET_IDS.filter((id) => id !== 'generic'), 'acme-vault', 'generic'];
  return { ...real, PRESET_IDS: ids, PRESETS: { ...real.PRESETS, 'acme-vault': acme } };
});

const { runCli } = await import('../../src/cli/run-cli');
const { afterProductChange } = await import('../../src/shared/connection-profile');
const { PRESETS, PRESET_IDS } = await import('../../src/shared/presets');

let cert: Issued;
let peer: Peer;
let state = 'green';
beforeAll(async () => {
  cert = await issueCertificate({ commonName: 'acme.test' });
  peer = await httpsPeer(cert, (req, res) => {
    if (req.url !== '/acme/v1/ping?probe=1') return json(res, 404, { error: 'no such path' });
    if (req.headers['x-acme-key'] !== KEY) return json(res, 401, { error: 'bad key' });
    json(res, 200, { health: { state, reason: state === 'green' ? 'all good' : 'sealed' } });
  });
});
afterAll(() => peer.close());

const harness = useServiceHarness();

describe('a seventh product, added as a preset only', () => {
  it('is in the product list the window and the CLI offer', () => {
    expect(PRESET_IDS).toContain('acme-vault');
  });

  it('the service saves it with its header and tests its endpoint with its success rule and hints', async () => {
    const service = harness.service();
    const saved = await service.saveAndTestConnection({ preset: 'acme-vault' as never, name: 'Acme', serverAddress: peer.url, apiToken: KEY, verifyCertificate: false });
    expect(saved.connection).toMatchObject({ preset: 'acme-vault', authMethod: 'header', authIdentity: 'X-Acme-Key' });
    expect(saved.report.verdict).toBe('ok');
    expect(peer.seen.at(-1)?.url).toBe('/acme/v1/ping?probe=1');
    state = 'sealed';
    const failed = await service.testConnection({ id: saved.connection.id });
    state = 'green';
    expect(failed.verdict).toBe('auth-rejected');
    expect(failed.hint).toBe('Acme Vault says the vault is not green: check its health page.');
    expect(failed.message).toContain('sealed');
  });

  it('the CLI tests it by its id, and refuses a method it does not offer', async () => {
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(t), env: { K: KEY } };
    expect(await runCli(['test', peer.url, '--preset', 'acme-vault', '--token-env', 'K', '--no-verify'], io)).toBe(0);
    expect(out.join('\n')).toContain('/acme/v1/ping?probe=1');
    out.length = 0;
    expect(await runCli(['test', peer.url, '--preset', 'acme-vault', '--auth', 'basic', '--user', 'u', '--password-env', 'K'], io)).toBe(2);
    expect(out.join('\n')).toContain('Acme Vault does not use --auth basic');
  });

  it('no product is named in the engine, the service or the CLI outside the product modules', () => {
    // Product code lives in its own modules (the Passportal exchange, the product hints); migrations name the products of old files.
    const allowed = new Set(['passportal-exchange.ts', 'product-hints.ts', 'migrations.ts']);
    const files = ['src/main/core', 'src/cli', 'src/renderer'].flatMap((dir) =>
      readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tsx?$/.test(f) && !allowed.has(path.basename(f))).map((f) => path.join(dir, f)),
    );
    expect(files.length).toBeGreaterThan(40);
    const named = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return PRESET_IDS.filter((id) => id !== 'generic' && new RegExp(`['"\`]${id}['"\`]`).test(text)).map((id) => `${file}: ${id}`);
    });
    expect(named).toEqual([]);
  });

  it("the form's product change takes its header", () => {
    expect(afterProductChange(PRESETS.privx, PRESETS['acme-vault' as never], { method: 'bearer', identity: '' })).toEqual({ method: 'header', identity: 'X-Acme-Key' });
  });
});

// An address is reached as shown: `https://127.0.0.1:<port>\@km.corp.example` reads as km.corp.example
// but the WHATWG parser sends it to 127.0.0.1:<port>, so it is refused by the CLI, the test engine
// and the service; an internationalised host reaches the window as punycode beside its Unicode
// spelling. Only the demo key manager on 127.0.0.1 is ever contacted.
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli';
import type { KeybridgeService } from '../../src/main/core/service';
import { useServiceHarness } from '../support/service-harness';

const harness = useServiceHarness({ demoKeyManager: true });
let service: KeybridgeService;
beforeEach(() => {
  service = harness.service();
});

/** Reads as the key manager km.corp.example; the parser reaches the demo server on 127.0.0.1. */
const disguised = () => `${harness.demo.url}\\@km.corp.example`;

describe('an address with a backslash', () => {
  it('is refused by the CLI before anything is reached', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['test', disguised(), '--token-env', 'T', '--no-verify', '--json'], { out: (t) => out.push(t), err: (t) => err.push(t), env: { T: harness.demo.token } });
    expect(err).toEqual([]);
    expect(code).toBe(1);
    const report = JSON.parse(out.join('\n'));
    expect(report).toMatchObject({ ok: false, verdict: 'invalid-address' });
    expect(JSON.stringify(report)).toMatch(/backslash/);
    expect(report.steps.filter((s: { status: string }) => s.status !== 'skipped').map((s: { id: string }) => s.id)).toEqual(['address']);
    expect(out.join('\n')).not.toContain(harness.demo.token);
  });

  it('is not saved by the service: a clear message, nothing written', async () => {
    await expect(service.saveConnection({ name: 'Corp', serverAddress: disguised(), apiToken: harness.demo.token, verifyCertificate: false })).rejects.toThrow(/backslash/);
    expect(await service.listConnections()).toEqual([]);
  });
});

describe('what the window gets for an address', () => {
  it('an internationalised host: punycode, as reached, beside its Unicode spelling', async () => {
    const view = await service.saveConnection({ name: 'IDN', serverAddress: 'https://bücher.example:8443/pkm', apiToken: harness.demo.token, verifyCertificate: true });
    expect(view.reaches).toEqual({ address: 'https://xn--bcher-kva.example:8443/pkm', asciiHost: 'xn--bcher-kva.example', unicodeHost: 'bücher.example' });
    const lookalike = await service.saveConnection({ name: 'Look-alike', serverAddress: 'https://\u0430pple.example', apiToken: harness.demo.token, verifyCertificate: true });
    expect(lookalike.reaches).toEqual({ address: 'https://xn--pple-43d.example', asciiHost: 'xn--pple-43d.example', unicodeHost: '\u0430pple.example' });
    expect((await service.listConnections()).map((c) => c.reaches?.asciiHost)).toEqual(['xn--bcher-kva.example', 'xn--pple-43d.example']);
  });

  it.each([
    ['KM.Corp.Example/pkm/../api/', 'https://km.corp.example/api/'],
    ['0x7f.1:8443', 'https://127.0.0.1:8443'],
    ['ｋｍ.corp.example', 'https://km.corp.example'],
    ['https://km.corp.example', 'https://km.corp.example'],
  ])('%j is shown as the address it reaches, %s', async (typed, reached) => {
    const view = await service.saveConnection({ name: 'Shown', serverAddress: typed, apiToken: harness.demo.token, verifyCertificate: true });
    // Stored as typed (an older record) the view says where it leads; stored as parsed, it is the address itself.
    expect(view.reaches?.address ?? view.serverAddress).toBe(reached);
    expect(view.reaches?.unicodeHost ?? null).toBeNull();
  });

  it('the address a test reaches is the one shown', async () => {
    const typed = `${harness.demo.url.replace('https://', 'HTTPS://')}/`;
    const saved = await service.saveConnection({ name: 'Demo', serverAddress: typed, apiToken: harness.demo.token, verifyCertificate: false });
    const report = await service.testConnection({ id: saved.id });
    expect(report.ok).toBe(true);
    const shown = saved.reaches?.address ?? saved.serverAddress;
    expect(shown).toBe(harness.demo.url);
    expect(report.steps.find((s) => s.id === 'address')?.detail).toBe(`${shown}/api/v3/`);
  });
});

describe('what is stored is what is reached', () => {
  it('the record holds the parsed address, and an older record stored as typed keeps its pin on a re-save', async () => {
    const typed = ` ${harness.demo.url.replace('https://', 'HTTPS://')}/ `;
    const saved = await service.saveConnection({ name: 'Demo', serverAddress: typed, apiToken: harness.demo.token, verifyCertificate: false });
    expect(saved.serverAddress).toBe(harness.demo.url);
    expect(saved.reaches).toBeUndefined();
    const idn = await service.saveConnection({ name: 'IDN', serverAddress: 'bücher.example', apiToken: harness.demo.token, verifyCertificate: true });
    expect(idn.serverAddress).toBe('https://xn--bcher-kva.example');
    expect(idn.reaches?.unicodeHost).toBe('bücher.example');
    // Pinned, then saved again with the address spelled differently but reaching the same place.
    const { report } = await service.saveAndTestConnection({ id: saved.id, name: 'Demo', serverAddress: harness.demo.url, verifyCertificate: true });
    await service.trustCertificate({ id: saved.id, spkiSha256: report.certificate?.spkiSha256 ?? '' });
    const again = await service.saveConnection({ id: saved.id, name: 'Demo', serverAddress: `${harness.demo.url.toUpperCase().replace('HTTPS://', 'https://')}/`, verifyCertificate: true });
    expect(again.pinnedSpki).toBe(report.certificate?.spkiSha256);
  });
});

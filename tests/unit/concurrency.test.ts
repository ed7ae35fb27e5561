// Changes to one connection made while another is still under way: nothing is lost, nothing deleted
// comes back. A gate holds the vault's encryption or the server's answer open, so the interleaving
// is exact, not left to timing.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KeybridgeService } from '../../src/main/core/service';
import { issueCertificate } from '../../tools/certificates';
import { httpsPeer, json, type Peer } from '../support/peers';
import { useServiceHarness } from '../support/service-harness';

const OLD_TOKEN = 'Wg7ASgddKzXwEStPoUvMDzwYO3NDFjOld';
const NEW_TOKEN = 'Zq9BThheLaYxFTuQpVwNEaxZP4OEGkNew';

/** A promise the test releases when it chooses. */
function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

const harness = useServiceHarness();
let peer: Peer;
let answerGate: { wait: Promise<void>; open(): void } | null = null;
/** The harness's test cipher, whose encryption waits while this gate is closed. */
let cipher: { gate: { wait: Promise<void>; open(): void } | null };

beforeAll(async () => {
  const cert = await issueCertificate({ commonName: 'km' });
  // Accepts either token; holds its answer while a test's gate is closed.
  peer = await httpsPeer(cert, (req, res) => {
    const answer = (): void => json(res, [`Bearer ${OLD_TOKEN}`, `Bearer ${NEW_TOKEN}`].includes(req.headers.authorization ?? '') ? 200 : 401, { ok: true });
    if (answerGate) void answerGate.wait.then(answer);
    else answer();
  });
});
afterAll(() => peer.close());
// After the harness's own beforeEach (hooks run in the order they are registered): this test's cipher.
beforeEach(() => {
  const base = harness.cipher;
  cipher = Object.assign(base, { gate: null as { wait: Promise<void>; open(): void } | null });
  const encrypt = base.encrypt.bind(base);
  base.encrypt = async (text: string) => {
    if (cipher.gate) await cipher.gate.wait;
    return encrypt(text);
  };
  answerGate = null;
});

const makeService = (): KeybridgeService => harness.service();
const base = { name: 'KM', verifyCertificate: false };
const saved = async (service: KeybridgeService) => service.saveConnection({ ...base, serverAddress: peer.url, apiToken: OLD_TOKEN });
const onDisk = () => JSON.parse(readFileSync(path.join(harness.dir, 'connections.json'), 'utf8')).connections as { id: string; name: string; enabled: boolean }[];
const secretIds = () => Object.keys(JSON.parse(readFileSync(path.join(harness.dir, 'secrets.json'), 'utf8')).secrets as Record<string, string>);
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('changes to one connection while another is under way', () => {
  it('a disable made during a save with a new token is not undone', async () => {
    const service = makeService();
    const { id } = await saved(service);
    cipher.gate = gate();
    const save = service.saveConnection({ ...base, serverAddress: peer.url, id, apiToken: NEW_TOKEN });
    await settle();
    const disable = service.setConnectionEnabled({ id, enabled: false });
    await settle();
    cipher.gate.open();
    await Promise.all([save, disable]);
    expect(onDisk().find((c) => c.id === id)?.enabled).toBe(false);
    expect((await service.listConnections())[0]?.enabled).toBe(false);
  });

  it('a delete made during a save wins: the record and its secret stay gone', async () => {
    const service = makeService();
    const { id } = await saved(service);
    cipher.gate = gate();
    const save = service.saveConnection({ ...base, serverAddress: peer.url, id, name: 'KM renamed', apiToken: NEW_TOKEN });
    await settle();
    const deletion = service.deleteConnection({ id });
    await settle();
    cipher.gate.open();
    await save;
    expect(await deletion).toEqual({ deleted: true });
    expect(await service.listConnections()).toEqual([]);
    expect(onDisk()).toEqual([]);
    expect(secretIds()).toEqual([]);
  });

  it('a delete made during a rotation wins: its test is cancelled and nothing comes back', async () => {
    const service = makeService();
    const { id } = await saved(service);
    answerGate = gate();
    const rotation = service.rotateToken({ id, apiToken: NEW_TOKEN });
    await settle();
    expect(await service.deleteConnection({ id })).toEqual({ deleted: true });
    answerGate.open();
    const outcome = await rotation.catch((error: Error) => error);
    expect(outcome instanceof Error ? outcome.message : outcome.report.verdict).toMatch(/test-cancelled|deleted/);
    expect(await service.listConnections()).toEqual([]);
    expect(onDisk()).toEqual([]);
    expect(secretIds()).toEqual([]);
  });

  it('a rename and a disable made while a rotation is tested are both kept', async () => {
    const service = makeService();
    const { id } = await saved(service);
    answerGate = gate();
    const rotation = service.rotateToken({ id, apiToken: NEW_TOKEN });
    await settle();
    await service.saveConnection({ ...base, serverAddress: peer.url, id, name: 'KM renamed' });
    await service.setConnectionEnabled({ id, enabled: false });
    answerGate.open();
    const rotated = await rotation;
    expect(rotated.rotated).toBe(true);
    const [record] = await service.listConnections();
    expect(record).toMatchObject({ name: 'KM renamed', enabled: false, tokenHint: `••••${NEW_TOKEN.slice(-4)}` });
    expect(onDisk()[0]).toMatchObject({ name: 'KM renamed', enabled: false });
  });

  it('a rotation tested against an address that changed meanwhile is not applied', async () => {
    const service = makeService();
    const { id } = await saved(service);
    answerGate = gate();
    const rotation = service.rotateToken({ id, apiToken: NEW_TOKEN });
    await settle();
    await service.saveConnection({ ...base, id, serverAddress: `${peer.url}/elsewhere/` });
    answerGate.open();
    await expect(rotation).rejects.toThrow(/changed while the new API token was tested/);
    expect((await service.listConnections())[0]?.tokenHint).toBe(`••••${OLD_TOKEN.slice(-4)}`);
  });
});

// A saved secret goes only to the server it was entered for, and no file, failed write or crash
// makes Keybridge lose it or misreport it: an address change asks in main first; a test result lands
// only on the settings it tested; a failed record write puts the old secret back; the secrets of
// set-aside records, of a newer Keybridge's records and of an earlier keyring are never touched.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OpenStore } from '../../src/main/core/ports';
import { createKeybridgeService, type KeybridgeService } from '../../src/main/core/service';
import { openConfStore } from '../../src/main/core/store/open-store';
import { issueCertificate, type Issued } from '../../tools/certificates';
import { httpsPeer, json, type Peer } from '../support/peers';
import { scriptedDialogs, type ScriptedDialogs } from '../support/scripted-dialogs';
import { TestCipher } from '../support/test-cipher';

const TOKEN = 'Wg7ASgddKzXwEStPoUvMDzwYO3NDFjSafe';
const NEW_TOKEN = 'Zq9BThheLaYxFTuQpVwNEaxZP4OEGkSafe';

let cert: Issued;
let home: Peer;
let elsewhere: Peer;
/** While set, the home server holds its answers until the test opens it. */
let hold: Promise<void> | null = null;
let dir: string;
let cipher: TestCipher;
let dialogs: ScriptedDialogs;
let clock: Date;

beforeAll(async () => {
  cert = await issueCertificate({ commonName: 'km', altNames: ['127.0.0.1'] });
  const accept = (res: Parameters<typeof json>[0], auth: string | undefined): void =>
    json(res, [`Bearer ${TOKEN}`, `Bearer ${NEW_TOKEN}`].includes(auth ?? '') ? 200 : 401, { ok: true });
  home = await httpsPeer(cert, (req, res) => {
    if (hold) void hold.then(() => accept(res, req.headers.authorization));
    else accept(res, req.headers.authorization);
  });
  elsewhere = await httpsPeer(cert, (req, res) => accept(res, req.headers.authorization));
});
afterAll(async () => {
  await home.close();
  await elsewhere.close();
});
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'keybridge-secret-safety-'));
  cipher = new TestCipher();
  dialogs = scriptedDialogs();
  clock = new Date('2026-12-01T10:00:00Z');
  home.seen.length = 0;
  elsewhere.seen.length = 0;
  hold = null;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const makeService = (more: { dialogs?: ScriptedDialogs | undefined; openStore?: OpenStore } = { dialogs }): KeybridgeService =>
  createKeybridgeService({ dataDir: dir, cipher, now: () => clock, ...more }, { testTimeoutMs: 5_000 });
const base = { name: 'KM', verifyCertificate: false };
const secretsFile = () => readFileSync(path.join(dir, 'secrets.json'), 'utf8');
const secretIds = () => Object.keys(JSON.parse(secretsFile()).secrets as Record<string, string>);
const auditText = () => readFileSync(path.join(dir, 'audit.log'), 'utf8');
const tokensAt = (peer: Peer) => peer.seen.map((s) => s.authorization);

describe('a saved secret does not follow an address change without the admin (defect 1)', () => {
  it('without dialogs (CLI, a script): nothing is saved and the new server gets nothing', async () => {
    const service = makeService({ dialogs: undefined });
    const { id } = await service.saveConnection({ ...base, serverAddress: home.url, apiToken: TOKEN });
    await expect(service.saveConnection({ ...base, id, serverAddress: elsewhere.url })).rejects.toMatchObject({ code: 'origin-change-unconfirmed' });
    expect((await service.listConnections())[0]?.serverAddress).toBe(home.url);
    await service.testConnection({ id });
    expect(tokensAt(elsewhere)).toEqual([]);
    expect(tokensAt(home)).toEqual([`Bearer ${TOKEN}`]);
  });

  it('main asks, naming both origins; Cancel saves nothing, sends nothing, and is audited', async () => {
    const service = makeService();
    const { id } = await service.saveConnection({ ...base, serverAddress: home.url, apiToken: TOKEN });
    dialogs.confirmAnswer = false;
    await expect(service.saveAndTestConnection({ ...base, id, serverAddress: elsewhere.url })).rejects.toMatchObject({ code: 'origin-change-declined' });
    expect(dialogs.questions).toHaveLength(1);
    const question = dialogs.questions[0];
    expect(`${question?.message} ${question?.detail}`).toContain(home.url.replace(/\/$/, ''));
    expect(`${question?.message} ${question?.detail}`).toContain(elsewhere.url.replace(/\/$/, ''));
    expect(question?.detail).toMatch(/Verify certificate is No/);
    expect(question?.message).not.toContain(TOKEN);
    expect(tokensAt(elsewhere)).toEqual([]);
    expect((await service.listConnections())[0]?.serverAddress).toBe(home.url);
    expect(auditText()).toMatch(/"outcome":"failure".*refused/);
  });

  it('confirmed: the secret goes to the new origin, and the audit log says from where to where', async () => {
    const service = makeService();
    const { id } = await service.saveConnection({ ...base, serverAddress: home.url, apiToken: TOKEN });
    dialogs.confirmAnswer = true;
    const { report } = await service.saveAndTestConnection({ ...base, id, serverAddress: elsewhere.url });
    expect(report.verdict).toBe('ok');
    expect(tokensAt(elsewhere)).toEqual([`Bearer ${TOKEN}`]);
    const from = home.url.replace(/\/$/, '');
    const to = elsewhere.url.replace(/\/$/, '');
    expect(auditText()).toContain(`address ${from} → ${to}, saved API token kept (confirmed)`);
  });

  it('no question for the same origin, or when the secret is entered again; the move is still audited', async () => {
    const service = makeService();
    const { id } = await service.saveConnection({ ...base, serverAddress: home.url, apiToken: TOKEN });
    await service.saveConnection({ ...base, id, serverAddress: `${home.url.replace(/\/$/, '')}/api/v3/` });
    await service.saveConnection({ ...base, id, serverAddress: elsewhere.url, apiToken: NEW_TOKEN });
    expect(dialogs.questions).toEqual([]);
    expect(auditText()).toContain(`address ${home.url.replace(/\/$/, '')} → ${elsewhere.url.replace(/\/$/, '')}`);
  });

  it("the client certificate's key is a saved secret too: a new token does not carry it to a new origin unasked", async () => {
    const service = makeService();
    const { id, tokenHint } = await service.saveConnection({ ...base, serverAddress: home.url, apiToken: TOKEN });
    const client = await issueCertificate({ commonName: 'portal-client' });
    dialogs.open = path.join(dir, 'client.pem');
    writeFileSync(dialogs.open, `${client.certPem}\n${client.keyPem}`);
    await service.setClientCertificate({ id });
    await expect(service.saveConnection({ ...base, id, serverAddress: elsewhere.url, apiToken: NEW_TOKEN })).rejects.toMatchObject({ code: 'origin-change-declined' });
    expect(dialogs.questions[0]?.message).toMatch(/client certificate's key/);
    expect(dialogs.questions[0]?.message).not.toMatch(/API token/);
    // The new token was not stored either: nothing of the refused save happened.
    expect((await service.listConnections())[0]).toMatchObject({ tokenHint, serverAddress: home.url });
    await service.testConnection({ id });
    expect(tokensAt(home).at(-1)).toBe(`Bearer ${TOKEN}`);
  });

  it('a Basic password is asked about in its own word', async () => {
    const service = makeService();
    const { id } = await service.saveConnection({ ...base, preset: 'generic', authMethod: 'basic', authIdentity: 'portal', serverAddress: home.url, apiToken: TOKEN });
    await expect(service.saveConnection({ ...base, id, preset: 'generic', authMethod: 'basic', authIdentity: 'portal', serverAddress: elsewhere.url })).rejects.toThrow(/password/);
    expect(dialogs.questions[0]?.message).toMatch(/saved password/);
  });
});

/** Tests the connection while the server holds its answer, makes `change` meanwhile, then lets the answer go. */
async function testedAcross(service: KeybridgeService, id: string, change: () => Promise<unknown>) {
  let open!: () => void;
  hold = new Promise((resolve) => (open = resolve));
  const running = service.testConnection({ id });
  await vi.waitUntil(() => home.seen.length > 0, { timeout: 5_000 }); // the request is at the server
  await change();
  open();
  return running;
}

describe('a result lands only on the settings it tested (defect 6)', () => {
  it('a test still running when the address changes is not saved onto the new address, nor can its certificate be trusted there', async () => {
    const service = makeService();
    const { id } = await service.saveConnection({ ...base, serverAddress: home.url, apiToken: TOKEN });
    const report = await testedAcross(service, id, () => service.saveConnection({ ...base, id, serverAddress: elsewhere.url, apiToken: NEW_TOKEN }));
    expect(report.verdict).toBe('ok');
    expect(report.warnings.join(' ')).toMatch(/changed while this test ran/);
    const [listed] = await service.listConnections();
    expect(listed?.serverAddress).toBe(elsewhere.url);
    expect(listed?.lastTest).toBeNull();
    await expect(service.trustCertificate({ id, spkiSha256: report.certificate?.spkiSha256 ?? '' })).rejects.toMatchObject({ code: 'certificate-not-seen' });
    expect(auditText()).toMatch(/not saved: the settings changed during the test/);
  });

  it('a rename during the test does not make the result stale', async () => {
    const service = makeService();
    const { id } = await service.saveConnection({ ...base, serverAddress: home.url, apiToken: TOKEN });
    const report = await testedAcross(service, id, () => service.saveConnection({ ...base, id, name: 'KM renamed', serverAddress: home.url }));
    expect(report.warnings.join(' ')).not.toMatch(/changed while this test ran/);
    expect((await service.listConnections())[0]?.lastTest?.verdict).toBe('ok');
  });
});

/**
 * The connections file refuses to be written while `failing` is set (a full disk, a lost share);
 * secrets.json refuses once `secretWritesLeft` writes have been made (null: never).
 */
function failingStore(): { open: OpenStore; failing: boolean; secretWritesLeft: number | null } {
  const state = { failing: false, secretWritesLeft: null as number | null, open: undefined as unknown as OpenStore };
  const real = openConfStore(dir);
  const enospc = () => Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
  state.open = ((name, options) => {
    const conf = real(name, options);
    if (name !== 'connections' && name !== 'secrets') return conf;
    return new Proxy(conf, {
      get: (target, key) => {
        const value = Reflect.get(target, key, target) as unknown;
        if (name === 'secrets' && key === 'set') {
          return (...args: unknown[]) => {
            if (state.secretWritesLeft !== null && state.secretWritesLeft-- <= 0) throw enospc();
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
      set: (target, key, value) => {
        if (name === 'connections' && state.failing && key === 'store') throw enospc();
        return Reflect.set(target, key, value, target);
      },
    });
  }) as OpenStore;
  return state;
}

describe('a failed record write leaves vault and record agreeing (defect 8)', () => {
  it('the old token stays in use, the window shows the old state, and a restart agrees', async () => {
    const store = failingStore();
    const service = makeService({ dialogs, openStore: store.open });
    const { id, tokenHint } = await service.saveConnection({ ...base, serverAddress: home.url, apiToken: TOKEN });
    store.failing = true;
    await expect(service.saveConnection({ ...base, id, name: 'KM renamed', serverAddress: home.url, apiToken: NEW_TOKEN })).rejects.toThrow(/ENOSPC/);
    const [shown] = await service.listConnections();
    expect(shown).toMatchObject({ name: 'KM', tokenHint });
    store.failing = false;
    await service.testConnection({ id });
    expect(tokensAt(home).at(-1)).toBe(`Bearer ${TOKEN}`);
    const restarted = makeService();
    expect((await restarted.listConnections())[0]).toMatchObject({ name: 'KM', tokenHint });
    await restarted.testConnection({ id });
    expect(tokensAt(home).at(-1)).toBe(`Bearer ${TOKEN}`);
  });

  it('a failed write during a rotation keeps the old token', async () => {
    const store = failingStore();
    const service = makeService({ dialogs, openStore: store.open });
    const { id, tokenHint } = await service.saveConnection({ ...base, serverAddress: home.url, apiToken: TOKEN });
    store.failing = true;
    await expect(service.rotateToken({ id, apiToken: NEW_TOKEN })).rejects.toThrow(/ENOSPC/);
    store.failing = false;
    expect((await service.listConnections())[0]?.tokenHint).toBe(tokenHint);
    await service.testConnection({ id });
    expect(tokensAt(home).at(-1)).toBe(`Bearer ${TOKEN}`);
  });
});

describe('secrets that set-aside records still own are kept (defect 4)', () => {
  it('a corrupt connections.json: its tokens survive the next starts, and the window says why', async () => {
    const first = makeService();
    const a = await first.saveConnection({ ...base, serverAddress: home.url, apiToken: TOKEN });
    const b = await first.saveConnection({ ...base, name: 'KM 2', serverAddress: elsewhere.url, apiToken: NEW_TOKEN });
    const text = readFileSync(path.join(dir, 'connections.json'), 'utf8');
    writeFileSync(path.join(dir, 'connections.json'), text.slice(0, -20));
    makeService(); // sets the file aside
    const third = makeService(); // every record read now: the sweep runs
    expect(secretIds().sort()).toEqual([a.id, b.id].sort());
    expect((await third.getStatus()).notices.join(' ')).toMatch(/2 saved secret\(s\) belong to connections in connections\.corrupt-.*\.json/);
  });

  it('an unreadable record: its token survives the next starts', async () => {
    const first = makeService();
    const kept = await first.saveConnection({ ...base, serverAddress: home.url, apiToken: TOKEN });
    const broken = await first.saveConnection({ ...base, name: 'KM 2', serverAddress: elsewhere.url, apiToken: NEW_TOKEN });
    const file = JSON.parse(readFileSync(path.join(dir, 'connections.json'), 'utf8'));
    file.connections[1].trust = 'garbled';
    writeFileSync(path.join(dir, 'connections.json'), JSON.stringify(file));
    makeService();
    const third = makeService();
    expect(secretIds().sort()).toEqual([kept.id, broken.id].sort());
    expect((await third.getStatus()).notices.join(' ')).toMatch(/1 saved secret\(s\) belong to connections in connections\.unreadable-/);
  });

  it('a secret that no record and no set-aside file owns still goes', async () => {
    const first = makeService();
    await first.saveConnection({ ...base, serverAddress: home.url, apiToken: TOKEN });
    const secrets = JSON.parse(secretsFile());
    secrets.secrets['0b9e3b5c-2f55-4c3a-9d7e-3c1f6a8e2b11'] = secrets.secrets[Object.keys(secrets.secrets)[0] as string];
    writeFileSync(path.join(dir, 'secrets.json'), JSON.stringify(secrets));
    makeService();
    expect(secretIds()).toHaveLength(1);
  });
});

describe("a newer Keybridge's store is not changed, secrets included (defect 5)", () => {
  it('every change is refused before the vault is touched, with the reason', async () => {
    const first = makeService();
    const { id } = await first.saveConnection({ ...base, serverAddress: home.url, apiToken: TOKEN });
    const file = JSON.parse(readFileSync(path.join(dir, 'connections.json'), 'utf8'));
    writeFileSync(path.join(dir, 'connections.json'), JSON.stringify({ ...file, schemaVersion: 99 }));
    const secretsBefore = secretsFile();
    const service = makeService();
    const refused = { code: 'read-only-store', message: expect.stringMatching(/newer Keybridge.*Update Keybridge/) };
    await expect(service.deleteConnection({ id })).rejects.toMatchObject(refused);
    await expect(service.saveConnection({ ...base, id, serverAddress: home.url, apiToken: NEW_TOKEN })).rejects.toMatchObject(refused);
    await expect(service.rotateToken({ id, apiToken: NEW_TOKEN })).rejects.toMatchObject(refused);
    await expect(service.removeClientCertificate({ id })).rejects.toMatchObject(refused);
    await expect(service.setSecretPolicy({ allowObfuscated: true })).rejects.toMatchObject(refused);
    expect(secretsFile()).toBe(secretsBefore);
    expect(tokensAt(home)).toEqual([]); // the refused rotation did not test the new token either
    // Reading and testing still work.
    expect((await service.testConnection({ id })).verdict).toBe('ok');
  });
});

describe('turning off stored obfuscated tokens touches only what this run moved (defect 9)', () => {
  it("a keyring-encrypted token from an earlier run stays on disk; this run's obfuscated token moves to memory", async () => {
    const keyringRun = makeService();
    const fromKeyring = await keyringRun.saveConnection({ ...base, serverAddress: home.url, apiToken: TOKEN });
    await keyringRun.setSecretPolicy({ allowObfuscated: true });
    // Next run: no keyring (basic_text), so the keyring's ciphertext cannot be opened here.
    cipher.mode = 'obfuscated';
    cipher.forget();
    const basicText = makeService();
    const obfuscated = await basicText.saveConnection({ ...base, name: 'KM 2', serverAddress: elsewhere.url, apiToken: NEW_TOKEN });
    expect(secretIds().sort()).toEqual([fromKeyring.id, obfuscated.id].sort());
    await basicText.setSecretPolicy({ allowObfuscated: false });
    expect(secretIds()).toEqual([fromKeyring.id]);
    expect((await basicText.listConnections()).find((c) => c.id === obfuscated.id)?.tokenState).toBe('session-only');
  });
});

describe('pending key files expire by the injected clock (defect 16)', () => {
  it('an imported key file not saved within 30 minutes of the clock is gone', async () => {
    const service = makeService();
    const imported = await service.importTokenText({ fileName: 'token.txt', text: TOKEN });
    clock = new Date(clock.getTime() + 31 * 60 * 1000);
    await expect(service.saveConnection({ ...base, serverAddress: home.url, tokenImportId: imported.importId })).rejects.toMatchObject({ code: 'import-expired' });
  });

  it('a pending key file survives a Cancel of the address question', async () => {
    const service = makeService();
    const { id } = await service.saveConnection({ ...base, serverAddress: home.url, apiToken: TOKEN });
    const client = await issueCertificate({ commonName: 'portal-client' });
    dialogs.open = path.join(dir, 'client.pem');
    writeFileSync(dialogs.open, `${client.certPem}\n${client.keyPem}`);
    await service.setClientCertificate({ id });
    const imported = await service.importTokenText({ fileName: 'token.txt', text: NEW_TOKEN });
    await expect(service.saveConnection({ ...base, id, serverAddress: elsewhere.url, tokenImportId: imported.importId })).rejects.toMatchObject({ code: 'origin-change-declined' });
    dialogs.confirmAnswer = true;
    await service.saveConnection({ ...base, id, serverAddress: elsewhere.url, tokenImportId: imported.importId });
    await service.testConnection({ id });
    expect(tokensAt(elsewhere)).toEqual([`Bearer ${NEW_TOKEN}`]);
  });
});

describe('what a hostile review found after the first fix', () => {
  it('an import never inherits the secret a set-aside record left under the same id', async () => {
    const first = makeService();
    const original = await first.saveConnection({ ...base, serverAddress: home.url, apiToken: TOKEN });
    dialogs.save = path.join(dir, 'export.json');
    await first.exportConnections({ includeSecrets: false });
    const file = JSON.parse(readFileSync(path.join(dir, 'connections.json'), 'utf8'));
    file.connections[0].trust = 'garbled';
    writeFileSync(path.join(dir, 'connections.json'), JSON.stringify(file));
    const second = makeService(); // the record is set aside, its token kept
    const secretsBefore = secretsFile();
    dialogs.open = dialogs.save;
    const preview = await second.previewImport({});
    await second.importConnections({ previewId: preview?.previewId ?? '' });
    const [imported] = await second.listConnections();
    expect(imported?.id).not.toBe(original.id);
    expect(imported?.tokenState).toBe('missing');
    expect(secretsFile()).toBe(secretsBefore);
    await second.testConnection({ id: imported?.id ?? '' });
    expect(tokensAt(home)).toEqual([]);
  });

  it('with Verify certificate No, another proxy (or turning verification off) asks before the saved token goes that way', async () => {
    const service = makeService();
    const { id } = await service.saveConnection({ ...base, verifyCertificate: true, serverAddress: home.url, apiToken: TOKEN });
    await expect(service.saveConnection({ ...base, id, serverAddress: home.url })).rejects.toMatchObject({ code: 'unchecked-route-declined' });
    expect(dialogs.questions[0]?.message).toMatch(/without checking its certificate/);
    dialogs.confirmAnswer = true;
    await service.saveConnection({ ...base, id, serverAddress: home.url });
    dialogs.confirmAnswer = false;
    await service.saveConnection({ ...base, id, name: 'KM renamed', serverAddress: home.url }); // nothing that matters changed: no question
    expect(dialogs.questions).toHaveLength(2);
    await expect(service.saveConnection({ ...base, id, serverAddress: home.url, proxy: 'http://127.0.0.1:9' })).rejects.toMatchObject({ code: 'unchecked-route-declined' });
    expect(dialogs.questions[2]?.detail).toContain('http://127.0.0.1:9');
    expect((await service.listConnections())[0]?.proxy).toBe('');
    // Entering the token again is the admin's own choice: no question.
    await service.saveConnection({ ...base, id, serverAddress: home.url, proxy: 'none', apiToken: TOKEN });
    expect(dialogs.questions).toHaveLength(3);
  });

  it("a product change that moves the port drops the pin and the last result", async () => {
    const service = makeService();
    const { id } = await service.saveConnection({ ...base, verifyCertificate: true, serverAddress: 'https://127.0.0.1', apiToken: TOKEN, preset: 'generic' });
    dialogs.confirmAnswer = true;
    const file = JSON.parse(readFileSync(path.join(dir, 'connections.json'), 'utf8'));
    file.connections[0].trust.pinnedSpki = 'sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
    writeFileSync(path.join(dir, 'connections.json'), JSON.stringify(file));
    const reopened = makeService();
    const moved = await reopened.saveConnection({ ...base, id, verifyCertificate: true, serverAddress: 'https://127.0.0.1', preset: 'manageengine-pmp' });
    expect(dialogs.questions[0]?.message).toContain('https://127.0.0.1:7272');
    expect(moved.pinnedSpki).toBeNull();
  });

  it('a secret stored under an upper-case id is kept with its set-aside record', async () => {
    const first = makeService();
    const { id } = await first.saveConnection({ ...base, serverAddress: home.url, apiToken: TOKEN });
    const upper = id.toUpperCase();
    const file = JSON.parse(readFileSync(path.join(dir, 'connections.json'), 'utf8'));
    file.connections[0].id = upper;
    file.connections[0].trust = 'garbled';
    writeFileSync(path.join(dir, 'connections.json'), JSON.stringify(file));
    const secrets = JSON.parse(secretsFile());
    writeFileSync(path.join(dir, 'secrets.json'), JSON.stringify({ secrets: { [upper]: secrets.secrets[id] } }));
    makeService();
    makeService();
    expect(secretIds()).toEqual([upper]);
  });

  it("a newer Keybridge's folder: an unreadable secrets.json and records this version cannot read are left exactly as they are", async () => {
    const first = makeService();
    await first.saveConnection({ ...base, serverAddress: home.url, apiToken: TOKEN });
    const file = JSON.parse(readFileSync(path.join(dir, 'connections.json'), 'utf8'));
    file.connections[0].trust = { kind: 'from-the-future' };
    writeFileSync(path.join(dir, 'connections.json'), JSON.stringify({ ...file, schemaVersion: 99 }));
    writeFileSync(path.join(dir, 'secrets.json'), '{"format":2,"vault":');
    const before = readdirNames();
    const service = makeService();
    expect(readdirNames()).toEqual(before);
    expect(secretsFile()).toBe('{"format":2,"vault":');
    expect((await service.getStatus()).notices.join(' ')).toMatch(/secrets\.json could not be read by this version of Keybridge; it was left as it is/);
  });

  it('when the disk also refuses to put the old secret back, this run still uses the old one', async () => {
    const store = failingStore();
    const service = makeService({ dialogs, openStore: store.open });
    const { id } = await service.saveConnection({ ...base, serverAddress: home.url, apiToken: TOKEN });
    store.failing = true;
    store.secretWritesLeft = 1; // the new token is written; putting the old one back is refused
    await expect(service.saveConnection({ ...base, id, serverAddress: home.url, apiToken: NEW_TOKEN })).rejects.toThrow(/ENOSPC/);
    store.failing = false;
    store.secretWritesLeft = null;
    await service.testConnection({ id });
    expect(tokensAt(home).at(-1)).toBe(`Bearer ${TOKEN}`);
  });

  it("the name in main's question cannot reorder it (bidirectional controls removed)", async () => {
    const service = makeService();
    const { id } = await service.saveConnection({ ...base, name: 'KM \u202eevil\u202c', serverAddress: home.url, apiToken: TOKEN });
    await expect(service.saveConnection({ ...base, id, name: 'KM', serverAddress: elsewhere.url })).rejects.toMatchObject({ code: 'origin-change-declined' });
    expect(dialogs.questions[0]?.message).toContain('"KM evil"');
  });

  it('a set-aside file too large to read at start keeps every secret (no sweep)', async () => {
    const first = makeService();
    await first.saveConnection({ ...base, serverAddress: home.url, apiToken: TOKEN });
    const secrets = JSON.parse(secretsFile());
    secrets.secrets['0b9e3b5c-2f55-4c3a-9d7e-3c1f6a8e2b11'] = secrets.secrets[Object.keys(secrets.secrets)[0] as string];
    writeFileSync(path.join(dir, 'secrets.json'), JSON.stringify(secrets));
    writeFileSync(path.join(dir, 'connections.corrupt-2026-01-01T00-00-00-000Z.json'), Buffer.alloc(9 * 1024 * 1024, 0x20));
    makeService();
    expect(secretIds()).toHaveLength(2);
  });
});

function readdirNames(): string[] {
  return readdirSync(dir).filter((name) => name !== 'audit.log').sort();
}

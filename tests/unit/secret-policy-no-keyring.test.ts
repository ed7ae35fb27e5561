// Where safeStorage would only obfuscate (Linux without a keyring, basic_text): no secret is stored
// until the admin opts in, the choice is remembered for this machine, and opting out takes the
// secrets off the disk again. The demo key manager on 127.0.0.1; the service through
// tests/support/service-harness.ts. (Without any encryption, and a keyring reset: service.test.ts.)
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useServiceHarness } from '../support/service-harness';

const harness = useServiceHarness({ demoKeyManager: true });
const { service } = harness;

describe('secret policy without a keyring (basic_text)', () => {
  it('stores nothing until the admin opts in, then persists; opting out takes secrets off the disk', async () => {
    harness.cipher.mode = 'obfuscated';
    const s = service();
    const saved = await s.saveConnection({ name: 'Demo', serverAddress: harness.demo.url, verifyCertificate: false, apiToken: harness.demo.token });
    expect(saved.tokenState).toBe('session-only');
    expect(JSON.parse(readFileSync(s.files.secrets, 'utf8')).secrets).toEqual({});
    const status = await s.setSecretPolicy({ allowObfuscated: true });
    expect(status.allowObfuscatedSecrets).toBe(true);
    expect(Object.keys(JSON.parse(readFileSync(s.files.secrets, 'utf8')).secrets)).toEqual([saved.id]);
    // Remembered for this machine.
    expect((await service().getStatus()).allowObfuscatedSecrets).toBe(true);
    expect((await service().testConnection({ id: saved.id })).verdict).toBe('ok');
    await s.setSecretPolicy({ allowObfuscated: false });
    expect(JSON.parse(readFileSync(s.files.secrets, 'utf8')).secrets).toEqual({});
    expect((await s.testConnection({ id: saved.id })).verdict).toBe('ok');
  });
});

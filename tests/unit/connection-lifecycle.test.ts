// A connection's life after it is saved: disabled (never used, secret kept) and enabled again,
// renewed (a new expiry date, and when the warnings start), and its token rotated only to one that
// passes the test. The demo key manager on 127.0.0.1; the service through tests/support/service-harness.ts.
import { describe, expect, it } from 'vitest';
import { expiryOf } from '../../src/main/core/service';
import { useServiceHarness } from '../support/service-harness';

const harness = useServiceHarness({ demoKeyManager: true });
const { service } = harness;
const withDemo = (more: Record<string, unknown> = {}) => ({ name: 'Demo', serverAddress: harness.demo.url, verifyCertificate: false, ...more });

describe('lifecycle', () => {
  it('a disabled connection is never used, and keeps its secret', async () => {
    const s = service();
    const saved = await s.saveConnection(withDemo({ apiToken: harness.demo.token }));
    const disabled = await s.setConnectionEnabled({ id: saved.id, enabled: false });
    expect(disabled.enabled).toBe(false);
    await expect(s.testConnection({ id: saved.id })).rejects.toThrow(/disabled/);
    expect(disabled.tokenState).toBe('saved');
    await s.setConnectionEnabled({ id: saved.id, enabled: true });
    expect((await s.testConnection({ id: saved.id })).verdict).toBe('ok');
  });

  it('renews: a new expiry date, with warnings from 14 days before and on expiry', async () => {
    const s = service('2026-11-23T12:00:00Z');
    const saved = await s.saveConnection(withDemo({ apiToken: harness.demo.token, expiresOn: '2026-12-01' }));
    expect(saved.expiry).toBe('expiring');
    const renewed = await s.saveConnection({ ...withDemo({ expiresOn: '2027-11-23' }), id: saved.id });
    expect(renewed.expiry).toBe('valid');
    expect(expiryOf('2026-11-23', new Date('2026-11-23T08:00:00Z'))).toBe('expired');
    expect(expiryOf('2026-12-07', new Date('2026-11-23T08:00:00Z'))).toBe('expiring');
    expect(expiryOf('2026-12-08', new Date('2026-11-23T08:00:00Z'))).toBe('valid');
    expect(expiryOf(null, new Date())).toBe('none');
  });

  it('rotates only to a token that passes the test; otherwise keeps the old one and says why', async () => {
    const { demo } = harness;
    const s = service();
    const saved = await s.saveConnection(withDemo({ apiToken: demo.token }));
    const refused = await s.rotateToken({ id: saved.id, apiToken: 'NotTheRightTokenNotTheRight' });
    expect(refused.rotated).toBe(false);
    expect(refused.report.verdict).toBe('http-unauthorized');
    expect(refused.connection.tokenHint).toBe(saved.tokenHint);
    expect((await s.testConnection({ id: saved.id })).verdict).toBe('ok');
    // The demo accepts only its own token, so "rotating" to it again is the passing case.
    const rotated = await s.rotateToken({ id: saved.id, apiToken: demo.token });
    expect(rotated.rotated).toBe(true);
    expect(rotated.connection.lastSuccessAt).not.toBeNull();
  });
});

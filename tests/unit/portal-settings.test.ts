// After a passing test, what the portal needs (#17, item 7): the seeds' words for PrivX's User
// Portal ("PKM connection"), what the portal must trust to match how Keybridge trusted the server,
// and never the secret.
import { describe, expect, it } from 'vitest';
import { portalSettings, portalSettingsText } from '../../src/shared/portal-settings';
import type { ConnectionView, TestReport, TrustSource } from '../../src/shared/types';

const connection = (more: Partial<ConnectionView> = {}): ConnectionView =>
  ({ preset: 'privx', serverAddress: 'https://km.example.com', authMethod: 'bearer', authIdentity: null, tokenHint: '••••NDFj', ...more }) as ConnectionView;
const report = (trustSource: TrustSource, ok = true): TestReport =>
  ({ ok, verdict: ok ? 'ok' : 'http-unauthorized', tls: { protocol: 'TLSv1.3', cipher: 'x', trustSource, chain: [] }, certificate: { sha256: 'AB:CD' } }) as unknown as TestReport;

describe('settings for the portal', () => {
  it("PrivX: the PKM connection page's own words, and Verify certificate No as tested with its fingerprint", () => {
    const settings = portalSettings(connection(), report('not verified'))!;
    expect(settings.where).toMatch(/Management Portal .* PKM connection/);
    expect(settings.rows.map((r) => r.label)).toEqual(['Server address', 'API Authentication Method', 'API-token', 'Verify certificate', 'Certificate fingerprint (SHA-256)']);
    expect(settings.rows[1]!.value).toBe('Token');
    expect(settings.rows[3]!.value).toMatch(/^No, as tested here/);
    const text = portalSettingsText(settings);
    expect(text).toContain('Server address: https://km.example.com');
    expect(text).not.toContain('NDFj'); // not even the masked hint
  });

  it('a certificate trusted by the built-in CAs needs nothing more: Yes, and no fingerprint', () => {
    const settings = portalSettings(connection({ preset: 'generic', authMethod: 'header', authIdentity: 'X-API-Key' }), report('built-in CAs'))!;
    expect(settings.where).toBeNull();
    expect(settings.rows).toContainEqual({ label: 'Header name', value: 'X-API-Key' });
    expect(settings.rows).toContainEqual({ label: 'Verify certificate', value: 'Yes' });
    expect(settings.rows.some((r) => r.label.includes('fingerprint'))).toBe(false);
  });

  it('a pinned key or a private CA: what the portal must be given to verify it too', () => {
    expect(portalSettings(connection(), report('pinned certificate'))!.rows.find((r) => r.label === 'Verify certificate')!.value).toMatch(/give the portal the CA certificate/);
    expect(portalSettings(connection(), report('custom CA'))!.rows.find((r) => r.label === 'Verify certificate')!.value).toMatch(/CA certificate this connection trusts installed/);
  });

  it('only after a passing test', () => {
    expect(portalSettings(connection(), report('not verified', false))).toBeNull();
  });
});

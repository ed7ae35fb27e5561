// Many saved connections, written straight into the real core (the service behind the loopback
// bridge) before the window loads: for the sidebar's end-to-end test and the window benchmark.
// Addresses are 127.0.0.1 ports nothing contacts (no test runs); names look like a real estate's,
// with long, nearly equal names so that an item must tell them apart by more than its first words.
import type { KeybridgeService } from '../../src/main/core/service';

export const SEED_TOKEN = 'Wg7ASgddKzXwEStPoUvMDzwYO3NDFj';

const SITES = ['Amsterdam', 'Frankfurt', 'Helsinki', 'Madrid', 'Stockholm', 'Vienna', 'Dublin', 'Zürich', 'Warsaw', 'Lisbon'];
const ROLES = ['Key Manager DR', 'Key Manager Production', 'Password Manager Pro', 'Trusted Access', 'Analytics Hub'];

/** The name of the i-th seeded connection (1-based), also for tests that look one up. */
export function seededName(i: number): string {
  const role = ROLES[i % ROLES.length]!;
  const site = SITES[Math.floor(i / ROLES.length) % SITES.length]!;
  return `${role} – ${site} ${String(i).padStart(3, '0')}`;
}

/** Every 7th connection does not verify the server's certificate (and pins none). */
export const unverified = (i: number): boolean => i % 7 === 0;
/** Every 25th has no API token (as an import without its secrets leaves it). */
export const tokenless = (i: number): boolean => i % 25 === 0;
/** Every 20th is disabled. */
export const disabled = (i: number): boolean => i % 20 === 0;

export async function seedConnections(service: KeybridgeService, count: number): Promise<void> {
  for (let i = 1; i <= count; i++) {
    await service.saveConnection({
      name: seededName(i),
      // Never contacted: nothing tests these (a closed port far from the demo's).
      serverAddress: `https://127.0.0.1:${20_000 + i}/api/v3/`,
      verifyCertificate: !unverified(i),
      enabled: !disabled(i),
      ...(tokenless(i) ? {} : { apiToken: SEED_TOKEN }),
    });
  }
}

/**
 * Two connections tested against the demo key manager with Verify certificate No: one as it is
 * (works, but nothing checks the server), one with the demo's key pinned (Trust this certificate).
 */
export async function seedTestedConnections(service: KeybridgeService, demo: { url: string; token: string; pin: string }): Promise<{ unchecked: string; pinned: string }> {
  const names = { unchecked: 'Demo key manager (not verified)', pinned: 'Demo key manager (pinned)' };
  const unchecked = await service.saveConnection({ name: names.unchecked, serverAddress: demo.url, verifyCertificate: false, apiToken: demo.token });
  await service.testConnection({ id: unchecked.id });
  const pinned = await service.saveConnection({ name: names.pinned, serverAddress: demo.url, verifyCertificate: false, apiToken: demo.token });
  await service.testConnection({ id: pinned.id }); // the certificate is trusted after it was seen
  await service.trustCertificate({ id: pinned.id, spkiSha256: demo.pin });
  return names;
}

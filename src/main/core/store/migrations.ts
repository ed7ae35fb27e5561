// Migrations of connections.json, one per schema version. Each takes the records of version N-1
// and returns those of version N; each has its own test (tests/unit/migrations.test.ts).
type Raw = Record<string, unknown>;

export const MIGRATIONS: Record<number, (records: Raw[]) => Raw[]> = {
  /** v1 (walking skeleton) -> v2: trust and token metadata grouped; lifecycle fields. */
  2: (records) =>
    records.map((r) => {
      const lastTest = (r.lastTest ?? null) as { testedAt?: string; ok?: boolean } | null;
      return {
        id: r.id,
        name: r.name,
        description: '',
        serverAddress: r.serverAddress,
        auth: r.auth ?? { method: 'bearer' },
        endpoint: null,
        trust: { verifyCertificate: r.verifyCertificate !== false, pinnedSpki: r.pinnedSpki ?? null, extraCaPem: [], useSystemCa: false },
        clientCertificate: null,
        proxy: '',
        token: { hint: r.tokenHint ?? null, owner: '', keyName: '', createdOn: null, expiresOn: null, boundHost: '' },
        enabled: true,
        createdAt: r.createdAt,
        updatedAt: r.updatedAt,
        lastTestedAt: lastTest?.testedAt ?? null,
        lastSuccessAt: lastTest?.ok ? (lastTest.testedAt ?? null) : null,
        lastTest,
      };
    }),
  /**
   * v2 -> v3: each connection names its key manager product. A Passportal key pair is Passportal;
   * a bearer token tested at the default path is PrivX Key Manager (seed 000); anything else is a
   * generic REST API, which keeps every setting as it was.
   */
  3: (records) =>
    records.map((r) => {
      const auth = (r.auth ?? {}) as { method?: string };
      const endpoint = r.endpoint ?? null;
      const preset =
        auth.method === 'passportal-hmac' ? 'passportal' : auth.method === 'bearer' && (endpoint === null || endpoint === '/api/v3/') ? 'privx' : 'generic';
      return { ...r, preset };
    }),
};

export function migrate(records: Raw[], from: number, to: number): Raw[] {
  let current = records;
  for (let version = from + 1; version <= to; version++) {
    const step = MIGRATIONS[version];
    if (!step) throw new Error(`no migration to version ${version}`);
    current = step(current);
  }
  return current;
}

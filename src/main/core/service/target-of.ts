// What the engine tests for a saved connection, built from the record, its secret and its client
// certificate (already read from the vault): pure, so the service's only part is the vault lookup.
import { PRESETS } from '../../../shared/presets';
import { proxyForTest } from '../../../shared/proxy-setting';
import type { AuthSpec } from '../connection-test/auth-methods';
import type { ClientCertificate, TestTarget } from '../connection-test/run-test';
import type { AuthSettings, ConnectionRecord } from '../store/connection-record';

/** How the connection reaches its server: trust settings, client certificate, proxy. */
export type ConnectionNetwork = Pick<TestTarget, 'trust' | 'clientCertificate' | 'proxy'>;

export function networkFor(record: ConnectionRecord, client: ClientCertificate | undefined): ConnectionNetwork {
  return {
    trust: {
      verifyCertificate: record.trust.verifyCertificate,
      pinnedSpki: record.trust.pinnedSpki,
      extraCaPem: record.trust.extraCaPem,
      useSystemCa: record.trust.useSystemCa,
    },
    clientCertificate: client,
    proxy: proxyForTest(record.proxy),
  };
}

/** The test of a saved connection: its network, the product's endpoint, port, success rule and hints. */
export function targetOf(record: ConnectionRecord, secret: string, client: ClientCertificate | undefined): TestTarget {
  const preset = PRESETS[record.preset];
  return {
    serverAddress: record.serverAddress,
    auth: authSpec(record.auth, secret),
    ...networkFor(record, client),
    endpoint: record.endpoint ?? preset.endpoint,
    defaultPort: preset.defaultPort,
    successRule: record.successRule ?? preset.successRule,
    hints: preset.hints,
  };
}

function authSpec(auth: AuthSettings, secret: string): AuthSpec {
  switch (auth.method) {
    case 'bearer':
      return { method: 'bearer', token: secret };
    case 'header':
      return { method: 'header', headerName: auth.headerName, key: secret };
    case 'basic':
      return { method: 'basic', username: auth.username, password: secret };
    case 'passportal-hmac':
      return { method: 'passportal-hmac', accessKeyId: auth.accessKeyId, secretAccessKey: secret, ...(auth.scope ? { scope: auth.scope } : {}) };
  }
}

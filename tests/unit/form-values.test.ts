// The connection form's mapping (src/renderer/connection-form-values.ts), without a browser: a saved
// connection into the form's values, the values back into what main is sent, and a refusal to its field.
import { describe, expect, it } from 'vitest';
import { connectionInputSchema } from '../../src/shared/contract';
import type { ConnectionView } from '../../src/shared/types';
import { VERDICTS } from '../../src/shared/types';
import {
  certificateNames,
  errorCounts,
  FIELD_OF,
  firstInvalid,
  inputOf,
  originOf,
  SECTION_OF,
  SECTIONS,
  valuesOf,
  verdictMark,
  withHost,
} from '../../src/renderer/components/connection-form/form-values';
import { formSchema } from '../../src/renderer/components/connection-form/form-schema';

const saved: ConnectionView = {
  id: '6f1c1d3e-8d2a-4c4b-9a57-1f3f6a1f0c11',
  name: 'Passportal EU',
  description: 'the MSP tenant',
  serverAddress: 'https://eu.passportalmsp.com',
  preset: 'passportal',
  verifyCertificate: false,
  pinnedSpki: null,
  pinnedAt: null,
  extraCas: [],
  useSystemCa: true,
  clientCertificate: null,
  proxy: 'http://proxy.example.com:3128',
  authMethod: 'passportal-hmac',
  authIdentity: 'AKID-1',
  endpoint: null,
  successRule: '',
  authScope: 'docs_api',
  tokenHint: '••••wxyz',
  tokenState: 'saved',
  owner: 'ops',
  keyName: 'portal',
  createdOn: null,
  expiresOn: '2027-03-01',
  expiry: 'valid',
  boundHost: '',
  enabled: true,
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
  lastTestedAt: null,
  lastSuccessAt: null,
  lastTest: null,
};

describe('the connection form values', () => {
  it('a new connection starts as the first product, bearer, Verify certificate Yes, the proxy from the environment, never expiring', () => {
    expect(valuesOf(null)).toMatchObject({ preset: 'privx', authMethod: 'bearer', verifyCertificate: 'yes', proxyMode: 'environment', proxyUrl: '', neverExpires: true, apiToken: '' });
    // An empty form is refused for its name and address, both at once.
    const empty = formSchema.safeParse(valuesOf(null));
    expect(empty.success ? [] : [...new Set(empty.error.issues.map((i) => i.path[0]))].sort()).toEqual(['name', 'serverAddress']);
    expect(formSchema.safeParse({ ...valuesOf(null), name: 'KM', serverAddress: 'km.example.com' }).success).toBe(true);
  });

  it('a saved connection shows its settings, its custom proxy split into mode and address, never a secret', () => {
    const values = valuesOf(saved);
    expect(values).toMatchObject({ preset: 'passportal', authIdentity: 'AKID-1', authScope: 'docs_api', verifyCertificate: 'no', useSystemCa: true, proxyMode: 'custom', proxyUrl: 'http://proxy.example.com:3128', neverExpires: false, expiresOn: '2027-03-01', endpoint: '' });
    expect(values.apiToken).toBe('');
    expect(valuesOf({ ...saved, proxy: 'none' })).toMatchObject({ proxyMode: 'none', proxyUrl: '' });
  });

  it('values go back to main as the same settings: unchanged values give the saved connection, and the contract accepts them', () => {
    const input = inputOf(valuesOf(saved), saved, null);
    expect(input).toMatchObject({ id: saved.id, preset: 'passportal', authMethod: 'passportal-hmac', authIdentity: 'AKID-1', authScope: 'docs_api', verifyCertificate: false, useSystemCa: true, proxy: 'http://proxy.example.com:3128', expiresOn: '2027-03-01', apiToken: '' });
    expect(connectionInputSchema.safeParse(input).success).toBe(true);
  });

  it('a pending key file is sent instead of the field; the scope only with Passportal; Never expires is null', () => {
    const values = { ...valuesOf(saved), authMethod: 'bearer' as const, neverExpires: true, apiToken: 'typed' };
    const input = inputOf(values, saved, { importId: 'imp-1', fileName: 'key.txt', kind: 'token', hint: '••••abcd' });
    expect(input).toMatchObject({ tokenImportId: 'imp-1', expiresOn: null });
    expect(input).not.toHaveProperty('apiToken');
    expect(input).not.toHaveProperty('authScope');
    expect(inputOf({ ...valuesOf(null), proxyMode: 'none' }, null, null)).toMatchObject({ proxy: 'none', id: undefined });
    expect(inputOf({ ...valuesOf(null), proxyMode: 'environment' }, null, null)).toMatchObject({ proxy: '' });
  });

  it("a refusal from main marks its field; the window's origin of an address matches main's for the dialog note", () => {
    expect(FIELD_OF['invalid-scope']).toBe('authScope');
    expect(FIELD_OF['origin-change-declined']).toBe('serverAddress');
    expect(originOf('km.example.com')).toBe('https://km.example.com');
    expect(originOf('https://km.example.com:443/api')).toBe('https://km.example.com');
    expect(originOf('http://km.example.com:8080')).toBe('http://km.example.com:8080');
  });

  it('every field is in a section; errors are counted per tab and the first is found in tab order', () => {
    for (const name of Object.keys(valuesOf(null))) expect(SECTIONS).toContain(SECTION_OF[name as keyof typeof SECTION_OF]);
    const errors = { expiresOn: {}, apiToken: {}, name: {}, proxyUrl: {} };
    expect(errorCounts(errors)).toEqual({ general: 1, authentication: 1, tls: 0, proxy: 1, details: 1 });
    expect(firstInvalid(errors)).toBe('name');
    expect(firstInvalid({ successRule: {}, authScope: {} })).toBe('authScope');
    expect(firstInvalid({})).toBeNull();
    // A refusal from main lands in a field that has a section (so its tab opens).
    for (const field of Object.values(FIELD_OF)) expect(SECTION_OF[field]).toBeDefined();
  });

  it('a verdict about a setting marks that setting, in its section; others mark nothing', () => {
    expect(verdictMark('http-unauthorized')).toEqual({ field: 'apiToken', section: 'authentication' });
    expect(verdictMark('no-token')).toEqual({ field: 'apiToken', section: 'authentication' });
    expect(verdictMark('tls-hostname-mismatch')).toEqual({ field: 'serverAddress', section: 'general' });
    expect(verdictMark('tls-client-cert-required')).toEqual({ field: 'clientCertificate', section: 'tls' });
    expect(verdictMark('tls-self-signed')?.section).toBe('tls');
    expect(verdictMark('proxy-failure')?.section).toBe('proxy');
    expect(verdictMark('http-not-found')?.field).toBe('endpoint');
    // A gateway's error, a cancelled test or a timeout is not about one of the form's settings.
    for (const verdict of ['ok', 'http-bad-gateway', 'http-service-unavailable', 'http-gateway-timeout', 'test-cancelled', 'timeout'] as const) expect(verdictMark(verdict)).toBeNull();
    for (const verdict of VERDICTS) {
      const mark = verdictMark(verdict);
      if (mark) expect(SECTIONS).toContain(mark.section);
    }
  });

  it("a hostname mismatch offers the certificate's names as addresses, keeping scheme, port and path", () => {
    expect(certificateNames(['DNS:km.example.com', 'DNS:*.example.com', 'IP Address:10.0.0.5', 'DNS:km.example.com', 'DNS:bad name<script>'])).toEqual(['km.example.com', '*.example.com', '10.0.0.5']);
    expect(withHost('https://127.0.0.1:8443/api/', 'km.example.com')).toBe('https://km.example.com:8443/api');
    expect(withHost('127.0.0.1', 'km.example.com')).toBe('km.example.com');
    expect(withHost('km.local:7272', '10.0.0.5')).toBe('10.0.0.5:7272');
    expect(withHost('https://km.local', '*.example.com')).toBeNull(); // a wildcard is not a host to use
  });
});

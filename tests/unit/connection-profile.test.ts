// Product rules shared by the window, the service and the CLI.
import { describe, expect, it } from 'vitest';
import { afterProductChange, authFor, productForMethod, specSettings, startingMethod, startingProduct } from '../../src/shared/connection-profile';
import { PRESETS } from '../../src/shared/presets';

describe('what an OpenAPI specification sets', () => {
  const summary = { title: 'API', serverUrl: null, endpoints: ['/v1/status', '/v1/keys'] };

  it('the header it names and its first request, for a product that takes a header', () => {
    expect(specSettings(PRESETS.cipherinsights, { ...summary, auth: { method: 'header', headerName: 'X-Api-Key' } })).toEqual({
      auth: { method: 'header', headerName: 'X-Api-Key' },
      endpoint: '/v1/status',
    });
  });

  it('no method the product does not offer (the window and the CLI alike)', () => {
    expect(PRESETS.privx.methods).not.toContain('basic');
    expect(specSettings(PRESETS.privx, { ...summary, auth: { method: 'basic' } })).toEqual({ endpoint: '/v1/status' });
    expect(specSettings(PRESETS.generic, { ...summary, endpoints: [], auth: null })).toEqual({});
  });
});

describe('authFor: one rule for the window, the service and the CLI', () => {
  it("starts with the product's own method and header, or Passportal's for an access key pair", () => {
    expect(authFor(PRESETS.privx, {})).toEqual({ ok: true, auth: { method: 'bearer' } });
    expect(authFor(PRESETS['thales-sta'], {})).toEqual({ ok: true, auth: { method: 'header', headerName: 'apikey' } });
    expect(authFor(PRESETS.passportal, {}, { imported: { kind: 'access-key-pair', accessKeyId: 'AKID' } })).toEqual({ ok: true, auth: { method: 'passportal-hmac', accessKeyId: 'AKID' } });
    expect(startingMethod(PRESETS.generic, { kind: 'access-key-pair' })).toBe('bearer');
  });

  it('keeps the saved method and identity while the product stays, and not across products', () => {
    const existing = { preset: 'cipherinsights', auth: { method: 'basic' as const, username: 'svc' } };
    expect(authFor(PRESETS.cipherinsights, {}, { existing })).toEqual({ ok: true, auth: { method: 'basic', username: 'svc' } });
    expect(authFor(PRESETS.generic, {}, { existing })).toEqual({ ok: true, auth: { method: 'bearer' } });
    const pair = { preset: 'passportal', auth: { method: 'passportal-hmac' as const, accessKeyId: 'AKID', scope: 'docs_api' } };
    expect(authFor(PRESETS.passportal, {}, { existing: pair })).toEqual({ ok: true, auth: { method: 'passportal-hmac', accessKeyId: 'AKID', scope: 'docs_api' } });
    expect(authFor(PRESETS.passportal, { scope: '' }, { existing: pair })).toEqual({ ok: true, auth: { method: 'passportal-hmac', accessKeyId: 'AKID' } });
  });

  it('names what is missing or wrong, with a problem code each caller words its own way', () => {
    expect(authFor(PRESETS.privx, { method: 'basic' })).toMatchObject({ ok: false, problem: 'method-not-offered', message: 'PrivX Key Manager does not use this authentication method.' });
    expect(authFor(PRESETS.cipherinsights, {})).toMatchObject({ ok: false, problem: 'missing-identity' });
    expect(authFor(PRESETS.generic, { method: 'basic', identity: '  ' })).toMatchObject({ ok: false, problem: 'missing-identity' });
    expect(authFor(PRESETS.generic, { method: 'header', identity: 'Host' })).toMatchObject({ ok: false, problem: 'invalid-header-name', message: 'The header "Host" cannot carry an API key.' });
    expect(authFor(PRESETS.passportal, { identity: 'AKID', scope: 'docs api' })).toMatchObject({ ok: false, problem: 'invalid-scope' });
    expect(authFor(PRESETS.passportal, {})).toMatchObject({ ok: false, problem: 'missing-identity', message: 'Enter the Access key ID.' });
  });

  it('a product change keeps a method and a header the admin chose, and drops the old product defaults', () => {
    // PrivX's own bearer was not a choice: CipherInsights' header is taken, its (undocumented) name empty.
    expect(afterProductChange(PRESETS.privx, PRESETS.cipherinsights, { method: 'bearer', identity: '' })).toEqual({ method: 'header', identity: '' });
    // Basic chosen on CipherInsights stays on the generic product, which offers it.
    expect(afterProductChange(PRESETS.cipherinsights, PRESETS.generic, { method: 'basic', identity: 'svc' })).toEqual({ method: 'basic', identity: 'svc' });
    // STA's apikey follows the product; a typed header name stays.
    expect(afterProductChange(PRESETS['thales-sta'], PRESETS['manageengine-pmp'], { method: 'header', identity: 'apikey' })).toEqual({ method: 'header', identity: 'AUTHTOKEN' });
    expect(afterProductChange(PRESETS['thales-sta'], PRESETS['manageengine-pmp'], { method: 'header', identity: 'X-Key' })).toEqual({ method: 'header', identity: 'X-Key' });
  });

  it('a method no generic product offers belongs to its product; a new connection starts as the first product', () => {
    expect(productForMethod('passportal-hmac')).toBe('passportal');
    expect(productForMethod('header')).toBe('generic');
    expect(startingProduct()).toBe('privx');
    expect(startingProduct({ kind: 'access-key-pair' })).toBe('passportal');
  });
});

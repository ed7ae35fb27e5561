// Product rules shared by the window, the service and the CLI.
import { describe, expect, it } from 'vitest';
import { specSettings } from '../../src/shared/connection-profile';
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

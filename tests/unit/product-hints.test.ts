// A product's own hint for a verdict; Password Manager Pro's names this workstation (injected here).
import { describe, expect, it } from 'vitest';
import { productHint } from '../../src/main/core/connection-test/product-hints';

const context = { host: 'pmp.example.com', port: 7272, url: '' };

describe('product hints', () => {
  it('Password Manager Pro\'s "not allowed to access from this host" names this workstation and its addresses', () => {
    const hint = productHint('auth-rejected', { ...context, serverMessage: 'User is not allowed to access from this host' }, undefined, () => ({
      hostname: 'ws-07',
      addresses: ['10.0.0.7', 'fe80::7', '192.168.1.7', '172.16.0.7', '10.9.9.9'],
    }));
    expect(hint).toMatch(/This workstation is ws-07 \(10\.0\.0\.7, fe80::7, 192\.168\.1\.7, 172\.16\.0\.7\)/);
  });

  it('otherwise the preset\'s own hint, or none', () => {
    expect(productHint('http-unauthorized', context, { 'http-unauthorized': 'Create a new API token.' }, () => ({ hostname: 'x', addresses: [] }))).toBe('Create a new API token.');
    expect(productHint('http-forbidden', context, undefined)).toBeUndefined();
  });
});

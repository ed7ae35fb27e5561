// The proxy setting's three meanings, decoded in one place.
import { describe, expect, it } from 'vitest';
import { proxyForTest, readProxySetting, storedProxySetting } from '../../src/shared/proxy-setting';

describe('proxy setting', () => {
  it('reads and writes the three meanings, and gives the engine what it takes', () => {
    for (const [stored, setting, forTest] of [
      ['', { kind: 'environment' }, undefined],
      ['none', { kind: 'none' }, null],
      ['http://proxy.example.com:3128', { kind: 'custom', url: 'http://proxy.example.com:3128' }, 'http://proxy.example.com:3128'],
    ] as const) {
      expect(readProxySetting(stored)).toEqual(setting);
      expect(storedProxySetting(setting)).toBe(stored);
      expect(proxyForTest(stored)).toBe(forTest);
    }
  });
});

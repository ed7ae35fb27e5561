import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // unit: the core under Node; desktop: the start and packaging paths, in a throwaway checkout.
    include: ['tests/unit/**/*.test.ts', 'tests/desktop/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Two cores: forks keep each file's servers and stores apart.
    pool: 'forks',
  },
});

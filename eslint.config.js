import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Layer boundaries are enforced by dependency-cruiser (.dependency-cruiser.cjs); the import rule
// below repeats the one that matters most, so an editor flags it while typing.
const noElectron = {
  'no-restricted-imports': [
    'error',
    { paths: [{ name: 'electron', message: 'Only src/main (glue) and src/preload may import electron.' }] },
  ],
};

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  { files: ['src/main/core/**', 'src/shared/**', 'src/renderer/**', 'src/cli/**', 'tests/**', 'tools/**'], rules: noElectron },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // The bridge is reached through api.ts, and api.ts through the store only (dependency-cruiser).
    files: ['src/renderer/**/*.{ts,tsx}'],
    ignores: ['src/renderer/api.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'window', property: 'keybridge', message: "Call main through the store (src/renderer/store/), which uses api.ts." }],
      'no-restricted-globals': ['error', { name: 'keybridge', message: "Call main through the store (src/renderer/store/), which uses api.ts." }],
    },
  },
);

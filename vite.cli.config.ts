// Builds the headless CLI (src/cli) into out/cli/index.js for Node; dependencies stay external.
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };

export default defineConfig({
  build: {
    ssr: resolve('src/cli/index.ts'),
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node22',
    minify: false,
    rolldownOptions: {
      external: [...builtinModules, /^node:/, ...Object.keys(pkg.dependencies)],
      output: { format: 'es', entryFileNames: 'index.js' },
    },
  },
});

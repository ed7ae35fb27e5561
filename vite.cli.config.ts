// Builds the headless CLI (src/cli) for Node into out/cli/index.cjs: one CommonJS file with its
// dependencies (got, proxy-from-env) inside, and yaml in a chunk of its own that only --openapi with
// a YAML specification loads. Why so (#15, a CLI that starts like a native tool; figures from
// `npm run bench`): an ES module's `import http from 'node:http'` builds a facade of every export,
// which loads undici (about 25 ms); resolving and reading got's ~60 files costs more; CommonJS
// `require` of a built-in does neither. bin/keybridge.js adds Node's compile cache.
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  ssr: { noExternal: true },
  build: {
    ssr: resolve('src/cli/index.ts'),
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node22',
    minify: false,
    rolldownOptions: {
      external: [...builtinModules, /^node:/],
      output: { format: 'cjs', entryFileNames: 'index.cjs', chunkFileNames: 'chunks/[name]-[hash].cjs' },
    },
  },
});

#!/usr/bin/env node
// The `keybridge` command: runs the CLI built by `npm run build` (out/cli/index.cjs, one CommonJS
// file: see vite.cli.config.ts for why). Node's compile cache keeps the compiled code between runs
// (in the system's temporary folder; NODE_DISABLE_COMPILE_CACHE=1 turns it off).
import { existsSync } from 'node:fs';
import module, { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../out/cli/index.cjs', import.meta.url));
if (!existsSync(built)) {
  process.stderr.write('keybridge: the CLI is not built yet. Run `npm run build` first.\n');
  process.exit(2);
}
module.enableCompileCache?.();
createRequire(import.meta.url)(built);

#!/usr/bin/env node
// The `keybridge` command: runs the CLI built by `npm run build` (out/cli/index.cjs, one CommonJS
// file: see vite.cli.config.ts for why). Node's compile cache keeps the compiled code between runs,
// in this user's own cache folder: Node's default is the system's temporary folder, which on Linux
// every user shares, so whoever made it first would own the code everyone's keybridge loads.
// NODE_COMPILE_CACHE names another folder; NODE_DISABLE_COMPILE_CACHE=1 turns it off.
import { existsSync } from 'node:fs';
import module, { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../out/cli/index.cjs', import.meta.url));
if (!existsSync(built)) {
  process.stderr.write('keybridge: the CLI is not built yet. Run `npm run build` first.\n');
  process.exit(2);
}
const cacheRoot = process.platform === 'win32' ? (process.env.LOCALAPPDATA ?? os.tmpdir()) : (process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'));
module.enableCompileCache?.(process.env.NODE_COMPILE_CACHE ?? path.join(cacheRoot, 'keybridge', 'node-compile-cache'));
createRequire(import.meta.url)(built);

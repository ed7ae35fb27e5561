#!/usr/bin/env node
// The `keybridge` command: runs the CLI built by `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../out/cli/index.js', import.meta.url));
if (!existsSync(built)) {
  process.stderr.write('keybridge: the CLI is not built yet. Run `npm run build` first.\n');
  process.exit(2);
}
await import(built);

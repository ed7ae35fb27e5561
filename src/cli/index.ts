// Entry of the `keybridge` command (built to out/cli/index.cjs by `npm run build`).
import { runCli } from './run-cli';

// Ctrl-C cancels the running test; the report then says so.
const cancel = new AbortController();
process.once('SIGINT', () => cancel.abort());

runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  signal: cancel.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Unexpected: name the kind only, since an error's text could hold anything.
    process.stderr.write(`keybridge: unexpected error (${error instanceof Error ? error.name : typeof error})\n`);
    process.exitCode = 2;
  },
);

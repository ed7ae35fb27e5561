// Runs `npm <args>` in a throwaway checkout, as a user would, with no Electron or npm settings
// inherited from the test runner's own environment; output is collected, the run is bounded.
import { spawn } from 'node:child_process';

export interface NpmRun {
  code: number | null;
  out: string;
}

export function runNpm(cwd: string, args: string[], env: Record<string, string>, timeoutMs = 180_000): Promise<NpmRun> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/electron|^npm_|^csc_/i.test(key)));
  return new Promise((resolve) => {
    const child = spawn('npm', args, {
      cwd,
      env: { ...base, NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

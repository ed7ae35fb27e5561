// The data folder: readable by its owner only, and cleared of what a crash can leave behind.
import { chmodSync, mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';

/** Creates the folder owner-only (0700), or tightens one that others can read. POSIX modes only. */
export function ensurePrivateFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32' && (statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

// The temporary files of atomic writes (electron-store / Conf, through `atomically`): <file>.tmp-<10 digits><6 hex>.
const TEMP_FILE = /\.tmp-\d{10}[a-f0-9]{6}$/;
// Only files old enough that no write can still be under way.
const TEMP_AGE_MS = 60_000;

/** Removes the temporary files that writes interrupted by a crash left behind. Returns how many. */
export function removeCrashTempFiles(dir: string, now: Date): number {
  let removed = 0;
  for (const name of readdirSync(dir)) {
    if (!TEMP_FILE.test(name)) continue;
    const file = path.join(dir, name);
    try {
      if (now.getTime() - statSync(file).mtimeMs < TEMP_AGE_MS) continue;
      unlinkSync(file);
      removed++;
    } catch {
      // Gone already, or not ours to remove: leave it.
    }
  }
  return removed;
}

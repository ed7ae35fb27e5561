// Reads a small file whole, after checking that it is a regular file no larger than `max` bytes,
// so a mistaken choice (a directory, a device, a huge log) is refused before it is read.
import { readFile, stat } from 'node:fs/promises';

export type BoundedRead = { ok: true; bytes: Buffer } | { ok: false; reason: 'unreadable' | 'too-large' };

export async function readBoundedFile(file: string, max: number): Promise<BoundedRead> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return { ok: false, reason: 'unreadable' };
    if (info.size > max) return { ok: false, reason: 'too-large' };
    return { ok: true, bytes: await readFile(file) };
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
}

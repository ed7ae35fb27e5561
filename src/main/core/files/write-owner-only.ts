// Writes a file the admin chose (an export) readable by its owner only. `mode` in writeFile applies
// only when the file is created: writing over an existing file keeps that file's mode (0644, say),
// so the mode is set explicitly after writing.
import { chmod, writeFile } from 'node:fs/promises';

export async function writeOwnerOnly(file: string, content: string): Promise<void> {
  await writeFile(file, content, { mode: 0o600 });
  if (process.platform !== 'win32') await chmod(file, 0o600);
}

// Opens a store file, and keeps going when the file is corrupt or hand-edited badly: the bad
// file is set aside (never deleted) and reported, and the store starts again from its defaults.
import { existsSync, mkdtempSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import type { OpenStore, StoreData } from '../ports';
import type { Options as ConfOptions } from 'conf';

export const openConfStore =
  (dataDir: string): OpenStore =>
  <T extends StoreData>(name: string, options: Pick<ConfOptions<T>, 'defaults' | 'schema' | 'configFileMode'>) =>
    new Conf<T>({
      ...options,
      configName: name,
      cwd: dataDir,
      projectName: 'keybridge',
      clearInvalidConfig: false,
      watch: false,
    });

export interface OpenedStore<T extends StoreData> {
  store: Conf<T>;
  /** Set when the previous file could not be read and was moved aside. */
  notice: string | null;
}

export function openStoreSafely<T extends StoreData>(
  open: OpenStore,
  dataDir: string,
  name: string,
  options: Pick<ConfOptions<T>, 'defaults' | 'schema' | 'configFileMode'>,
  now: () => Date,
  /** Read-only (a newer Keybridge's data folder): a file that cannot be read is left exactly as it is. */
  leaveBadFile = false,
): OpenedStore<T> {
  try {
    return { store: open<T>(name, options), notice: null };
  } catch (error) {
    const file = path.join(dataDir, `${name}.json`);
    if (!existsSync(file)) throw error;
    if (leaveBadFile) {
      // Its defaults live in a throwaway folder: nothing is written in the data folder in this state.
      return {
        store: openConfStore(mkdtempSync(path.join(os.tmpdir(), 'keybridge-read-only-')))<T>(name, options),
        notice: `${name}.json could not be read by this version of Keybridge; it was left as it is.`,
      };
    }
    const stamp = now().toISOString().replace(/[:.]/g, '-');
    const aside = path.join(dataDir, `${name}.corrupt-${stamp}.json`);
    renameSync(file, aside);
    const reason = error instanceof SyntaxError ? 'it is not valid JSON' : 'its content does not match what Keybridge expects';
    return {
      store: open<T>(name, options),
      notice: `${name}.json could not be read (${reason}). It was kept as ${path.basename(aside)} and Keybridge started with an empty ${name} list.`,
    };
  }
}

// What the core needs from its host. Electron supplies safeStorage and electron-store; tests and
// the CLI supply plain-Node versions. Nothing here imports 'electron'.
import type Conf from 'conf';
import type { Options as ConfOptions } from 'conf';
import type { SecretProtection } from '../../shared/types';

/** Encrypts secrets before they reach disk (safeStorage in the app). */
export interface CipherPort {
  /** How well encryptString protects a secret on this machine right now. */
  protection(): Promise<SecretProtection>;
  /** Where secrets are protected, in the admin's words ("macOS Keychain", "no keyring (basic_text)"). */
  storeName(): string;
  encrypt(plainText: string): Promise<Buffer>;
  decrypt(encrypted: Buffer): Promise<string>;
}

export type StoreData = Record<string, unknown>;

/**
 * Opens a JSON store file `<dataDir>/<name>.json`. The app passes electron-store (a Conf subclass
 * rooted at userData); plain Node uses Conf itself, the same engine.
 */
export type OpenStore = <T extends StoreData>(
  name: string,
  options: Pick<ConfOptions<T>, 'defaults' | 'schema' | 'configFileMode'>,
) => Conf<T>;

/** A question only the admin can answer, asked in main where no script in the window can answer it. */
export interface Confirmation {
  title: string;
  message: string;
  detail: string;
  /** The button that goes ahead; the other one (Cancel) is the default and the answer to Escape. */
  confirmLabel: string;
}

/** Native dialogs (Electron's dialog in the app). null / false = the admin cancelled. */
export interface DialogPort {
  openFile(purpose: 'key-file' | 'connections' | 'ca-certificate' | 'client-certificate' | 'openapi'): Promise<string | null>;
  saveFile(purpose: 'connections' | 'audit-csv' | 'audit-json', defaultName: string): Promise<string | null>;
  confirm(question: Confirmation): Promise<boolean>;
}

export interface CoreHost {
  /** Directory holding the store files (userData in the app). */
  dataDir: string;
  cipher: CipherPort;
  openStore?: OpenStore;
  dialogs?: DialogPort;
  now?: () => Date;
  version?: string;
  /** Run from a source checkout (not a packaged app): the window may mention developer commands. */
  fromSource?: boolean;
  /** The desktop's theme (Electron's nativeTheme in the app); absent under plain Node. */
  setTheme?: (theme: 'system' | 'light' | 'dark') => void;
  /** Where diagnostics go; receives only messages the core has already made secret-free. */
  log?: (line: string) => void;
}

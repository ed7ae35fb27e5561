// The cipher port backed by Electron's safeStorage (async API: Keychain, DPAPI, libsecret/KWallet).
import { safeStorage } from 'electron';
import type { CipherPort } from '../core/ports';

// What safeStorage.getSelectedStorageBackend() answers on Linux, named as the admin knows it.
const LINUX_BACKENDS: Record<string, string> = {
  basic_text: 'no keyring (basic_text)',
  gnome_libsecret: 'GNOME Keyring (libsecret)',
  kwallet: 'KWallet',
  kwallet5: 'KWallet 5',
  kwallet6: 'KWallet 6',
  unknown: 'not known yet',
};

export function safeStorageCipher(): CipherPort {
  return {
    async protection() {
      if (!(await safeStorage.isAsyncEncryptionAvailable())) return 'unavailable';
      // basic_text encrypts with a hard-coded key: obfuscation, not protection.
      if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return 'obfuscated';
      return 'encrypted';
    },
    storeName() {
      if (process.platform === 'darwin') return 'macOS Keychain';
      if (process.platform === 'win32') return 'Windows DPAPI';
      return LINUX_BACKENDS[safeStorage.getSelectedStorageBackend()] ?? safeStorage.getSelectedStorageBackend();
    },
    encrypt: (plainText) => safeStorage.encryptStringAsync(plainText),
    async decrypt(encrypted) {
      return (await safeStorage.decryptStringAsync(encrypted)).result;
    },
  };
}

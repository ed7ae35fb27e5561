// The cipher port backed by Electron's safeStorage (async API: Keychain, DPAPI, libsecret/KWallet).
import { safeStorage } from 'electron';
import type { CipherPort } from '../core/ports';

export function safeStorageCipher(): CipherPort {
  return {
    async protection() {
      if (!(await safeStorage.isAsyncEncryptionAvailable())) return 'unavailable';
      // basic_text encrypts with a hard-coded key: obfuscation, not protection.
      if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return 'obfuscated';
      return 'encrypted';
    },
    encrypt: (plainText) => safeStorage.encryptStringAsync(plainText),
    async decrypt(encrypted) {
      return (await safeStorage.decryptStringAsync(encrypted)).result;
    },
  };
}

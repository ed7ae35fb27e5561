// Stand-in for Electron's safeStorage under plain Node: real AES-256-GCM with a per-instance key,
// so "encrypted" really is encrypted in tests. `protection` plays the OS backend cases, and
// `forget()` plays a keyring reset (old ciphertexts no longer decrypt).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { CipherPort } from '../../src/main/core/ports';
import type { SecretProtection } from '../../src/shared/types';

export class TestCipher implements CipherPort {
  private key = randomBytes(32);
  encryptCalls = 0;

  constructor(public mode: SecretProtection = 'encrypted') {}

  async protection(): Promise<SecretProtection> {
    return this.mode;
  }

  storeName(): string {
    return this.mode === 'obfuscated' ? 'no keyring (basic_text)' : 'test cipher (AES-256-GCM)';
  }

  async encrypt(plainText: string): Promise<Buffer> {
    if (this.mode === 'unavailable') throw new Error('encryption is not available');
    this.encryptCalls++;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  async decrypt(encrypted: Buffer): Promise<string> {
    const decipher = createDecipheriv('aes-256-gcm', this.key, encrypted.subarray(0, 12));
    decipher.setAuthTag(encrypted.subarray(12, 28));
    return Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8');
  }

  /** Simulates a keyring reset: a new key, so earlier ciphertexts fail to decrypt. */
  forget(): void {
    this.key = randomBytes(32);
  }
}

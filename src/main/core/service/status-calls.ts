// Status (secret protection, start-up notices) and the no-keyring secret policy.
import type { CallInput, ContractOutputs } from '../../../shared/contract';
import type { ServiceContext } from './context';

export function statusCalls(ctx: ServiceContext) {
  async function getStatus(): Promise<ContractOutputs['getStatus']> {
    const notices = [...ctx.notices];
    const secretProtection = await ctx.vault.protection();
    const allowObfuscatedSecrets = ctx.vault.allowObfuscated;
    if (secretProtection === 'obfuscated' && !allowObfuscatedSecrets) {
      notices.push(
        'This computer has no keyring, so Keybridge could only obfuscate API tokens, not encrypt them. Tokens are kept in memory until Keybridge closes and are not saved to disk.',
      );
    } else if (secretProtection === 'obfuscated') {
      notices.push('This computer has no keyring: saved API tokens are only obfuscated on disk, as you chose for this computer.');
    } else if (secretProtection === 'unavailable') {
      notices.push('Secure storage is not available on this computer. API tokens are kept in memory until Keybridge closes.');
    }
    const secretStore = secretProtection === 'unavailable' ? 'memory only' : ctx.vault.storeName();
    return { version: ctx.host.version ?? '0.0.0', fromSource: ctx.host.fromSource ?? false, secretProtection, secretStore, allowObfuscatedSecrets, notices };
  }

  async function setSecretPolicy({ allowObfuscated }: CallInput<'setSecretPolicy'>): Promise<ContractOutputs['setSecretPolicy']> {
    await ctx.vault.setAllowObfuscated(allowObfuscated);
    ctx.settings.set('allowObfuscatedSecrets', allowObfuscated);
    ctx.log('secret-policy-changed', 'success', undefined, allowObfuscated ? 'store obfuscated secrets' : 'keep secrets in memory only');
    return getStatus();
  }

  return {
    getStatus,
    setSecretPolicy,
    async setTheme({ theme }: CallInput<'setTheme'>): Promise<ContractOutputs['setTheme']> {
      ctx.host.setTheme?.(theme);
      return { theme };
    },
  };
}

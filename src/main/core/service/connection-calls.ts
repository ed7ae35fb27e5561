// Connections: list, save (with a new secret or keeping the saved one), save and test, enable or
// disable, delete. Each change of a saved connection runs in that connection's turn.
import { randomUUID } from 'node:crypto';
import type { CallInput, ConnectionInput, ContractOutputs } from '../../../shared/contract';
import { parseJsonRule, PRESETS, type PresetId } from '../../../shared/presets';
import type { TokenImport } from '../../../shared/types';
import { parseServerAddress } from '../address/parse-address';
import { authFor, startingProduct } from '../../../shared/connection-profile';
import { KeybridgeError } from '../errors';
import { printable } from '../printable';
import { maskToken } from '../secrets/token-rules';
import type { AuthSettings, ConnectionRecord } from '../store/connection-record';
import { checkProxySetting } from '../trust/certificate-files';
import { connectionView } from './connection-view';
import { clientKeyId, type ServiceContext } from './context';
import type { TakeSecret } from './token-calls';
import { readProxySetting } from '../../../shared/proxy-setting';

interface TestFeature {
  testConnection(input: { id: string }): Promise<ContractOutputs['testConnection']>;
  cancelRunning(id: string): boolean;
}

export function connectionCalls(ctx: ServiceContext, takeSecret: TakeSecret, tests: TestFeature) {
  const view = (record: ConnectionRecord) => connectionView(record, ctx.vault, ctx.now());

  /**
   * A saved secret is for the server it was entered for. Main asks the admin, in a native dialog no
   * script in the window can answer, before a save lets a saved secret (the token, password or
   * secret access key when no new one is entered, and the client certificate's key) go
   * - to another origin (scheme, host, port), or
   * - along a route where the server is not checked that it did not take before: Verify certificate
   *   turned to No, or another proxy while it is No (else a script could set a proxy, then turn
   *   verification off, and read the token).
   * Without dialogs (the CLI) or with Cancel nothing is saved. Answers the audit detail or null.
   */
  async function confirmSecretDestination(existing: ConnectionRecord, input: ConnectionInput, preset: PresetId, newSecret: boolean, proxy: string): Promise<string | null> {
    const before = originOf(existing.serverAddress, existing.preset);
    const after = originOf(input.serverAddress, preset);
    const moved = before !== after;
    const routeOf = (verify: boolean, via: string): string => (verify ? 'checked' : `unchecked via ${proxyText(via)}`);
    const routeBefore = routeOf(existing.trust.verifyCertificate, existing.proxy);
    const routeAfter = routeOf(input.verifyCertificate, proxy);
    const unchecked = !input.verifyCertificate && routeBefore !== routeAfter;
    const changes = [moved ? `address ${before} → ${after}` : null, unchecked ? `server not checked, ${proxyText(proxy)}` : null].filter((c): c is string => c !== null);
    if (changes.length === 0) return null;
    const carried: string[] = [];
    if (!newSecret && ctx.vault.state(existing.id) !== 'missing') carried.push(existing.auth.method === 'basic' ? 'password' : PRESETS[existing.preset].secretLabel);
    if (existing.clientCertificate && ctx.vault.state(clientKeyId(existing.id)) !== 'missing') carried.push("client certificate's key");
    if (carried.length === 0) return changes.join('; ');
    const what = `saved ${carried.join(' and ')}`;
    // The name is the window's text: shown without characters that could make the question read otherwise.
    const name = printable(existing.name, 80);
    const code = moved ? 'origin-change' : 'unchecked-route';
    if (!ctx.host.dialogs) {
      throw new KeybridgeError(
        `${code}-unconfirmed`,
        moved
          ? `Nothing was saved: "${name}" would move from ${before} to ${after}, and its ${what} is not sent to a new server without your confirmation. Enter the secret again for the new address.`
          : `Nothing was saved: with Verify certificate No its ${what} would go to ${after} unchecked (${proxyText(proxy)}), which needs your confirmation. Enter the secret again to send it that way.`,
      );
    }
    const confirmed = await ctx.host.dialogs.confirm(
      moved
        ? {
            title: 'Send the saved secret to a new server?',
            message: `Use the ${what} of "${name}" with ${after}?`,
            detail: [
              `It was entered for ${before}.`,
              `From now on it goes to ${after}.`,
              input.verifyCertificate ? '' : 'Verify certificate is No: the new server is not checked, so anyone in between could read it.',
              'If you did not mean to change the address, choose Cancel: nothing is saved.',
            ]
              .filter(Boolean)
              .join('\n'),
            confirmLabel: `Use with ${after}`,
          }
        : {
            title: 'Send the saved secret without checking the server?',
            message: `Send the ${what} of "${name}" to ${after} without checking its certificate?`,
            detail: [
              `Verify certificate is No and the connection goes through ${proxyText(proxy)}: whoever answers there gets the ${what}.`,
              'For a self-signed evaluation server, Trust this certificate (after a test) is the safe way.',
              'If you did not mean to change this, choose Cancel: nothing is saved.',
            ].join('\n'),
            confirmLabel: 'Send without checking',
          },
    );
    if (!confirmed) {
      ctx.log('connection-updated', 'failure', existing, `${changes.join('; ')} refused: ${what} not sent`);
      throw new KeybridgeError(
        `${code}-declined`,
        moved
          ? `Nothing was saved: the ${what} stays with ${before}. To use ${after}, save again and confirm, or enter the secret again for the new address.`
          : `Nothing was saved: the ${what} is not sent unchecked. Save again and confirm, or enter the secret again.`,
      );
    }
    return `${changes.join('; ')}, ${what} kept (confirmed)`;
  }

  async function saveConnection(input: ConnectionInput): Promise<ContractOutputs['saveConnection']> {
    ctx.assertWritable();
    const address = parseServerAddress(input.serverAddress);
    if (!address.ok) throw new KeybridgeError('invalid-address', address.message);
    const id = input.id ?? randomUUID();
    return ctx.exclusive(id, async () => {
      const existing = input.id === undefined ? undefined : ctx.connections.get(id);
      if (input.id !== undefined && existing === undefined) {
        throw new KeybridgeError('not-found', 'This connection no longer exists. It may have been deleted.');
      }
      // Asked before the secret is taken: a Cancel keeps a pending key file for the next save.
      const newSecret = (input.apiToken ?? '').trim() !== '' || input.tokenImportId !== undefined;
      const proxy = checkProxySetting(input.proxy ?? existing?.proxy ?? '');
      if (!proxy.ok) throw new KeybridgeError('invalid-proxy', proxy.message);
      const moved = existing ? await confirmSecretDestination(existing, input, input.preset ?? existing.preset, newSecret, proxy.value) : null;
      const secret = takeSecret(input.apiToken, input.tokenImportId);
      const preset = input.preset ?? existing?.preset ?? startingProduct(secret?.import);
      const auth = authSettings(input, existing, secret?.import, preset);

      const stamp = ctx.now().toISOString();
      // What is stored (and listed, exported) is what a test reaches: the parsed address.
      const serverAddress = address.canonical;
      // The same server: the same address, and the same origin once each product's port applies.
      const sameAddress = existing !== undefined && canonicalOf(existing.serverAddress) === serverAddress && originOf(existing.serverAddress, existing.preset) === originOf(serverAddress, preset);
      const sameTarget = sameAddress && existing.trust.verifyCertificate === input.verifyCertificate;
      const record: ConnectionRecord = {
        id,
        name: input.name.trim(),
        description: input.description ?? existing?.description ?? '',
        serverAddress,
        preset,
        auth,
        endpoint: input.endpoint === undefined ? (existing?.endpoint ?? null) : input.endpoint.trim() || null,
        successRule: input.successRule === undefined ? (existing?.successRule ?? null) : successRuleOf(input.successRule),
        trust: {
          verifyCertificate: input.verifyCertificate,
          // A new address means a new server: a key trusted for the old one does not carry over.
          pinnedSpki: existing && sameAddress ? existing.trust.pinnedSpki : null,
          pinnedAt: existing && sameAddress ? existing.trust.pinnedAt : null,
          extraCaPem: existing?.trust.extraCaPem ?? [],
          useSystemCa: input.useSystemCa ?? existing?.trust.useSystemCa ?? false,
        },
        clientCertificate: existing?.clientCertificate ?? null,
        proxy: proxy.value,
        token: {
          hint: secret ? maskToken(secret.value) : (existing?.token.hint ?? null),
          owner: input.owner ?? existing?.token.owner ?? '',
          keyName: input.keyName ?? secret?.import?.keyName ?? existing?.token.keyName ?? '',
          createdOn: input.createdOn !== undefined ? input.createdOn : (secret?.import?.createdOn ?? existing?.token.createdOn ?? null),
          expiresOn: input.expiresOn !== undefined ? input.expiresOn : (existing?.token.expiresOn ?? null),
          boundHost: input.boundHost ?? existing?.token.boundHost ?? '',
        },
        enabled: input.enabled ?? existing?.enabled ?? true,
        createdAt: existing?.createdAt ?? stamp,
        updatedAt: stamp,
        lastTestedAt: existing?.lastTestedAt ?? null,
        lastSuccessAt: existing?.lastSuccessAt ?? null,
        // A changed address, secret or trust setting makes the last result stale.
        lastTest: !secret && sameTarget ? (existing?.lastTest ?? null) : null,
      };
      // The secret is stored first (a record never points at a secret that was not kept), and put
      // back when the record cannot be written: vault and record never disagree.
      const write = (): void => ctx.connections.put(record);
      if (secret) await ctx.withSecrets([{ id, value: secret.value }], write);
      else write();
      const renewed = existing !== undefined && existing.token.expiresOn !== record.token.expiresOn;
      const detail = [moved, renewed ? `expiry ${record.token.expiresOn ?? 'never'}` : null].filter(Boolean).join('; ');
      ctx.log(existing ? 'connection-updated' : 'connection-created', 'success', record, detail || undefined);
      if (secret) ctx.log('token-imported', 'success', record, secret.import ? `from ${secret.import.kind}` : 'pasted');
      return view(record);
    });
  }

  return {
    async listConnections(): Promise<ContractOutputs['listConnections']> {
      return ctx.connections.list().map(view);
    },

    saveConnection,

    async saveAndTestConnection(input: ConnectionInput): Promise<ContractOutputs['saveAndTestConnection']> {
      const saved = await saveConnection(input);
      const report = await tests.testConnection({ id: saved.id });
      return { connection: view(ctx.mustGet(saved.id)), report };
    },

    /** A delete wins over anything still running on the connection: its test is cancelled first. */
    async deleteConnection({ id }: { id: string }): Promise<ContractOutputs['deleteConnection']> {
      ctx.assertWritable();
      tests.cancelRunning(id);
      return ctx.exclusive(id, () => {
        const record = ctx.mustGet(id);
        // The record goes first: a crash in between leaves only an orphan secret, removed at start.
        ctx.connections.remove(id);
        ctx.vault.remove(id);
        ctx.vault.remove(clientKeyId(id));
        ctx.log('connection-deleted', 'success', record, 'secret wiped');
        return { deleted: true as const };
      });
    },

    async setConnectionEnabled({ id, enabled }: CallInput<'setConnectionEnabled'>): Promise<ContractOutputs['setConnectionEnabled']> {
      return ctx.exclusive(id, () => view(ctx.change(id, { enabled }, enabled ? 'connection-enabled' : 'connection-disabled')));
    },
  };
}

/** The origin a saved connection reaches (the product's port applied), or the text when it does not parse. */
function originOf(serverAddress: string, preset: PresetId): string {
  const parsed = parseServerAddress(serverAddress, undefined, PRESETS[preset].defaultPort);
  return parsed.ok ? parsed.origin : serverAddress.trim();
}

/** A proxy setting in the admin's words. */
function proxyText(proxy: string): string {
  const setting = readProxySetting(proxy);
  return setting.kind === 'environment' ? 'the proxy from the environment, if any' : setting.kind === 'none' ? 'no proxy' : `the proxy ${setting.url}`;
}

/** A stored address as it is reached (records saved before addresses were stored parsed). */
function canonicalOf(serverAddress: string): string {
  const parsed = parseServerAddress(serverAddress);
  return parsed.ok ? parsed.canonical : serverAddress.trim();
}

function successRuleOf(text: string): ConnectionRecord['successRule'] {
  const parsed = parseJsonRule(text);
  if (!parsed.ok) throw new KeybridgeError('invalid-success-rule', parsed.message);
  return parsed.rule;
}

/** How the secret is sent: as the admin chose, within what the product accepts (presets.ts). */
/** The connection's authentication setting, by the shared rule (shared/connection-profile.ts). */
function authSettings(input: ConnectionInput, existing: ConnectionRecord | undefined, imported: TokenImport | undefined, presetId: PresetId): AuthSettings {
  const outcome = authFor(PRESETS[presetId], { method: input.authMethod, identity: input.authIdentity, scope: input.authScope }, { existing, imported });
  if (!outcome.ok) throw new KeybridgeError(outcome.problem === 'invalid-scope' ? 'invalid-scope' : 'invalid-auth', outcome.message);
  return outcome.auth;
}

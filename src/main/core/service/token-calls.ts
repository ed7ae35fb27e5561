// API tokens: key files imported in main (kept briefly in memory until saved with a connection),
// pasted tokens, and rotation (the new token is tested first and replaces the old one only then).
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { CallInput, ContractOutputs } from '../../../shared/contract';
import type { TokenImport } from '../../../shared/types';
import { KeybridgeError } from '../errors';
import { printable } from '../printable';
import { MAX_TOKEN_FILE_BYTES, parseKeyFile } from '../secrets/token-file';
import { checkApiToken, maskToken } from '../secrets/token-rules';
import type { ConnectionRecord } from '../store/connection-record';
import type { RunTest } from './connection-test-calls';
import { connectionView } from './connection-view';
import type { ServiceContext } from './context';
import { sameTestedSettings } from './tested-settings';

/** A key file imported but not yet saved with a connection; kept in memory only, briefly. */
interface PendingImport {
  secret: string;
  info: TokenImport;
  expires: number;
}

const PENDING_TTL_MS = 30 * 60 * 1000;

export type TakeSecret = (apiToken: string | undefined, importId: string | undefined) => { value: string; import?: TokenImport } | null;

export function tokenCalls(ctx: ServiceContext, runTest: RunTest) {
  const pending = new Map<string, PendingImport>();

  const prunePending = (): void => {
    const now = ctx.now().getTime();
    for (const [id, item] of pending) if (item.expires < now) pending.delete(id);
  };

  /** A secret from the paste field, or from a pending import (used once). */
  const takeSecret: TakeSecret = (apiToken, importId) => {
    if (importId !== undefined) {
      prunePending();
      const found = pending.get(importId);
      if (!found) throw new KeybridgeError('import-expired', 'The imported key file is no longer available. Import it again.');
      pending.delete(importId);
      return { value: found.secret, import: found.info };
    }
    if (apiToken === undefined || apiToken.trim() === '') return null;
    const checked = checkApiToken(apiToken);
    if (!checked.ok) throw new KeybridgeError('invalid-token', checked.message);
    return { value: checked.token };
  };

  function acceptKeyFile(fileName: string | null, bytes: Uint8Array): TokenImport {
    const parsed = parseKeyFile(fileName ?? '', bytes);
    if (!parsed.ok) throw new KeybridgeError('invalid-key-file', fileName ? `${printable(fileName)}: ${parsed.message}` : parsed.message);
    const importId = randomUUID();
    const info: TokenImport =
      parsed.kind === 'access-key-pair'
        ? { importId, fileName, kind: 'access-key-pair', hint: maskToken(parsed.secret), accessKeyId: parsed.accessKeyId }
        : {
            importId,
            fileName,
            kind: 'token',
            hint: maskToken(parsed.secret),
            ...(parsed.keyName ? { keyName: parsed.keyName } : {}),
            ...(parsed.createdOn ? { createdOn: parsed.createdOn } : {}),
          };
    prunePending();
    pending.set(importId, { secret: parsed.secret, info, expires: ctx.now().getTime() + PENDING_TTL_MS });
    return info;
  }

  /** Tests the new secret with the connection's settings; replaces the old one only if it passes. */
  async function rotateToken({ id, apiToken, tokenImportId }: CallInput<'rotateToken'>): Promise<ContractOutputs['rotateToken']> {
    ctx.assertWritable();
    const record = ctx.mustGet(id);
    if (!record.enabled) throw new KeybridgeError('connection-disabled', 'This connection is disabled. Enable it before rotating its token.');
    const secret = takeSecret(apiToken, tokenImportId);
    if (!secret) throw new KeybridgeError('invalid-token', 'Paste or import the new API token to rotate to.');
    const report = await runTest(record, secret.value);
    if (!report.ok) {
      ctx.log('token-rotation-refused', 'failure', record, report.verdict);
      return { rotated: false, connection: connectionView(ctx.connections.get(id) ?? record, ctx.vault, ctx.now()), report };
    }
    // What was tested must still be what is stored; a rotation changes only the token's own fields.
    return ctx.exclusive(id, async () => {
      const current = ctx.connections.get(id);
      if (!current) throw new KeybridgeError('not-found', 'This connection was deleted while its new API token was tested. Nothing was saved.');
      if (!sameTestedSettings(current, record)) {
        ctx.log('token-rotation-refused', 'failure', current, 'settings changed during the test');
        throw new KeybridgeError('connection-changed', "The connection's address, authentication or trust settings changed while the new API token was tested. Rotate again to test it with the new settings.");
      }
      const stamp = ctx.now().toISOString();
      const updated: ConnectionRecord = {
        ...current,
        token: {
          ...current.token,
          hint: maskToken(secret.value),
          keyName: secret.import?.keyName ?? current.token.keyName,
          createdOn: secret.import?.createdOn ?? stamp.slice(0, 10),
        },
        updatedAt: stamp,
        lastTest: report,
        lastTestedAt: report.testedAt,
        lastSuccessAt: report.testedAt,
      };
      // The old token is put back if the record cannot be written (ctx.withSecrets).
      await ctx.withSecrets([{ id, value: secret.value }], () => ctx.connections.put(updated));
      ctx.log('token-rotated', 'success', updated);
      return { rotated: true, connection: connectionView(updated, ctx.vault, ctx.now()), report };
    });
  }

  return {
    calls: {
      async importTokenFile(): Promise<ContractOutputs['importTokenFile']> {
        const chosen = await ctx.chooseFile('key-file', MAX_TOKEN_FILE_BYTES, 'key');
        return chosen === null ? null : acceptKeyFile(chosen.name, chosen.bytes);
      },
      async importTokenText({ fileName, text }: CallInput<'importTokenText'>): Promise<ContractOutputs['importTokenText']> {
        return acceptKeyFile(fileName ? path.basename(fileName) : null, new TextEncoder().encode(text));
      },
      rotateToken,
    },
    takeSecret,
  };
}

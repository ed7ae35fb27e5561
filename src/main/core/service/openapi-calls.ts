// A product's OpenAPI specification, chosen in the file dialog and read in main (openapi/read-spec.ts).
import type { CallInput, ContractOutputs } from '../../../shared/contract';
import { KeybridgeError } from '../errors';
import { downloadOpenApi } from '../openapi/download-spec';
import { readOpenApi } from '../openapi/read-spec';
import { networkOf } from './connection-test-calls';
import type { ServiceContext } from './context';

const MAX_SPEC_BYTES = 5 * 1024 * 1024;

export function openApiCalls(ctx: ServiceContext) {
  return {
    async importOpenApi(input: CallInput<'importOpenApi'>): Promise<ContractOutputs['importOpenApi']> {
      if (input?.url) {
        // From the server: trusted as the saved connection trusts it, or as the form says for a new one.
        const record = input.id ? ctx.mustGet(input.id) : undefined;
        const { clientKeyMissing: _ignored, ...network } = record ? await networkOf(ctx, record) : { trust: { verifyCertificate: input.verifyCertificate ?? true }, clientKeyMissing: false };
        const read = await downloadOpenApi(input.url, {
          ...network,
          timeoutMs: ctx.options.testTimeoutMs,
          userAgent: `Keybridge/${ctx.host.version ?? 'dev'}`,
        });
        if (!read.ok) throw new KeybridgeError('invalid-specification', read.message);
        return read.summary;
      }
      const chosen = await ctx.chooseFile('openapi', MAX_SPEC_BYTES, 'specification');
      if (chosen === null) return null;
      const read = readOpenApi(chosen.bytes.toString('utf8'));
      if (!read.ok) throw new KeybridgeError('invalid-specification-file', `${chosen.name}: ${read.message}`);
      return read.summary;
    },
  };
}

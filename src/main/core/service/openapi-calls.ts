// A product's OpenAPI specification, chosen in the file dialog and read in main (openapi/read-spec.ts).
import type { CallInput, ContractOutputs } from '../../../shared/contract';
import { LIMITS } from '../../../shared/limits';
import { PRESETS } from '../../../shared/presets';
import { KeybridgeError } from '../errors';
import { atServerOrigin, downloadOpenApi, specConnectionFor } from '../openapi/download-spec';
import { readOpenApi } from '../openapi/read-spec';
import { clientMaterialOf } from './connection-test-calls';
import { networkFor } from './target-of';
import type { ServiceContext } from './context';

const OTHER_ORIGIN =
  "This address is not the connection's server, so its certificate was checked against the standard CAs, with Verify certificate on, and the connection's client certificate, pinned key and CA certificates were not used. Download the specification from the connection's server, or save it and choose the file.";

export function openApiCalls(ctx: ServiceContext) {
  return {
    async importOpenApi(input: CallInput<'importOpenApi'>): Promise<ContractOutputs['importOpenApi']> {
      if (input?.url) {
        // From the server: trusted as the saved connection trusts its server, or as the form says for
        // a new one. The connection's client certificate, pin and CAs go only to its own origin.
        const record = input.id ? ctx.mustGet(input.id) : undefined;
        const atOrigin = record ? atServerOrigin(input.url, record.serverAddress, PRESETS[record.preset].defaultPort) : false;
        const network = record ? networkFor(record, (await clientMaterialOf(ctx, record)).client) : { trust: { verifyCertificate: input.verifyCertificate ?? true } };
        const connection = record ? specConnectionFor(atOrigin, network) : network;
        const read = await downloadOpenApi(input.url, {
          ...connection,
          timeoutMs: ctx.options.testTimeoutMs,
          userAgent: `Keybridge/${ctx.host.version ?? 'dev'}`,
        });
        if (!read.ok) {
          const elsewhere = record && !atOrigin && 'notDownloaded' in read ? ` ${OTHER_ORIGIN}` : '';
          throw new KeybridgeError('invalid-specification', `${read.message}${elsewhere}`);
        }
        return read.summary;
      }
      const chosen = await ctx.chooseFile('openapi', LIMITS.openApiSpec, 'specification');
      if (chosen === null) return null;
      const read = await readOpenApi(chosen.bytes.toString('utf8'));
      if (!read.ok) throw new KeybridgeError('invalid-specification-file', `${chosen.name}: ${read.message}`);
      return read.summary;
    },
  };
}

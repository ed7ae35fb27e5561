// A product's OpenAPI specification, chosen in the file dialog and read in main (openapi/read-spec.ts).
import type { ContractOutputs } from '../../../shared/contract';
import { KeybridgeError } from '../errors';
import { readOpenApi } from '../openapi/read-spec';
import type { ServiceContext } from './context';

const MAX_SPEC_BYTES = 5 * 1024 * 1024;

export function openApiCalls(ctx: ServiceContext) {
  return {
    async importOpenApi(): Promise<ContractOutputs['importOpenApi']> {
      const chosen = await ctx.chooseFile('openapi', MAX_SPEC_BYTES, 'specification');
      if (chosen === null) return null;
      const read = readOpenApi(chosen.bytes.toString('utf8'));
      if (!read.ok) throw new KeybridgeError('invalid-specification-file', `${chosen.name}: ${read.message}`);
      return read.summary;
    },
  };
}

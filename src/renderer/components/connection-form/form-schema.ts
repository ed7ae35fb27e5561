// The form's schema: the contract's own rules for each field, so the window says what main would.
// zod is most of its weight (about 22 kB gzip), so the form imports this module when it first
// validates (prefetched once the window is drawn): the window draws without it. Pure (no React),
// so the schema is unit-tested under Node.
import { z } from 'zod';
import { AUTH_METHODS, connectionInputSchema } from '../../../shared/contract';
import { PRESET_IDS } from '../../../shared/presets';

export const formSchema = z.object({
  preset: z.enum(PRESET_IDS),
  name: connectionInputSchema.shape.name,
  serverAddress: connectionInputSchema.shape.serverAddress,
  authMethod: z.enum(AUTH_METHODS),
  authIdentity: connectionInputSchema.shape.authIdentity.unwrap(),
  endpoint: connectionInputSchema.shape.endpoint.unwrap(),
  successRule: connectionInputSchema.shape.successRule.unwrap(),
  authScope: connectionInputSchema.shape.authScope.unwrap(),
  apiToken: z.string(),
  verifyCertificate: z.enum(['yes', 'no']),
  useSystemCa: z.boolean(),
  proxyMode: z.enum(['environment', 'none', 'custom']),
  proxyUrl: z.string().max(2048),
  owner: connectionInputSchema.shape.owner.unwrap(),
  keyName: connectionInputSchema.shape.keyName.unwrap(),
  neverExpires: z.boolean(),
  expiresOn: z.string(),
  boundHost: connectionInputSchema.shape.boundHost.unwrap(),
  description: connectionInputSchema.shape.description.unwrap(),
});
export type FormValues = z.input<typeof formSchema>;

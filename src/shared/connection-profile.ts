// Product rules the window, the service and the CLI share, written once (issue #15's connection
// profile; more of them move here as they are unified).
import type { AuthMethod, Preset } from './presets';
import type { OpenApiSummary } from './types';

/** What an OpenAPI specification sets for a product: how the key is sent, and the request to test. */
export interface SpecSettings {
  /** Only a method the product offers; absent when the specification names none it can use. */
  auth?: { method: AuthMethod; headerName?: string };
  endpoint?: string;
}

export function specSettings(preset: Preset, summary: OpenApiSummary): SpecSettings {
  const auth = summary.auth && preset.methods.includes(summary.auth.method) ? summary.auth : null;
  return {
    ...(auth ? { auth: auth.method === 'header' ? { method: 'header', headerName: auth.headerName } : { method: auth.method } } : {}),
    ...(summary.endpoints[0] ? { endpoint: summary.endpoints[0] } : {}),
  };
}

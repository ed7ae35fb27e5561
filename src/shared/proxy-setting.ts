// A connection's proxy, stored as one string with three meanings: '' = from the environment
// (HTTPS_PROXY, NO_PROXY), 'none' = straight to the server, or an http:// proxy URL (without
// credentials). Decoded here only, so no caller has to know the spelling.
export type ProxySetting = { kind: 'environment' } | { kind: 'none' } | { kind: 'custom'; url: string };

export const PROXY_FROM_ENVIRONMENT = '';
export const NO_PROXY = 'none';

export function readProxySetting(stored: string): ProxySetting {
  if (stored === PROXY_FROM_ENVIRONMENT) return { kind: 'environment' };
  if (stored === NO_PROXY) return { kind: 'none' };
  return { kind: 'custom', url: stored };
}

export function storedProxySetting(setting: ProxySetting): string {
  return setting.kind === 'environment' ? PROXY_FROM_ENVIRONMENT : setting.kind === 'none' ? NO_PROXY : setting.url;
}

/** What the engine takes: undefined = from the environment, null = never a proxy, or the URL. */
export function proxyForTest(stored: string): string | null | undefined {
  const setting = readProxySetting(stored);
  return setting.kind === 'environment' ? undefined : setting.kind === 'none' ? null : setting.url;
}

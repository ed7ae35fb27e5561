// The window's only way to main: the bridge the preload exposed, wrapped into typed calls.
import { createClient, type KeybridgeBridge } from '../shared/rpc';

declare global {
  interface Window {
    keybridge?: KeybridgeBridge;
  }
}

export const api = createClient(
  new Proxy({} as KeybridgeBridge, {
    // Looked up on each call, so a missing bridge gives a clear error instead of a crash at load.
    get: (_target, call: keyof KeybridgeBridge) => (input?: unknown) => {
      const bridge = window.keybridge;
      if (call === 'onTestProgress') return bridge ? bridge.onTestProgress(input as Parameters<KeybridgeBridge['onTestProgress']>[0]) : () => undefined;
      if (!bridge) {
        return Promise.resolve({
          ok: false,
          error: { code: 'no-bridge', message: 'Keybridge must be opened as the desktop app: the connection to its main process is missing.' },
        });
      }
      return bridge[call](input);
    },
  }),
);

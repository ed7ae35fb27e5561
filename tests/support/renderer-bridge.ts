// The loopback bridge for end-to-end tests (never shipped): serves the built renderer on
// 127.0.0.1 and carries the contract from the page to the real core, through the same dispatcher
// that Electron's IPC uses. It records every answer the window receives, so tests can prove no
// secret ever reaches it.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { createDispatcher } from '../../src/main/core/dispatch';
import { createKeybridgeService, type KeybridgeService } from '../../src/main/core/service';
import { RENDERER_TYPES } from '../../src/main/renderer-protocol/renderer-files';
import { CALL_NAMES, type Envelope } from '../../src/shared/rpc';
import { scriptedDialogs, type ScriptedDialogs } from './scripted-dialogs';
import { TestCipher } from './test-cipher';

const RENDERER_DIR = path.resolve('out/renderer');

/** In the page: window.keybridge over the exposed function, as the preload builds it over IPC. */
const PAGE_BRIDGE = `(calls) => {
  const invoke = globalThis.__keybridgeInvoke;
  const listeners = new Set();
  globalThis.__keybridgeEmit = (progress) => {
    for (const listener of listeners) listener(progress);
  };
  const bridge = {};
  for (const call of calls) bridge[call] = (input) => invoke(call, input);
  bridge.onTestProgress = (listener) => {
    const wrapped = (p) => listener(p);
    listeners.add(wrapped);
    return () => void listeners.delete(wrapped);
  };
  Object.defineProperty(globalThis, 'keybridge', { value: Object.freeze(bridge), writable: false });
}`;

export interface RendererBridge {
  url: string;
  service: KeybridgeService;
  cipher: TestCipher;
  /** What the "native" dialogs answer next: a path, or null for Cancel. */
  dialogs: ScriptedDialogs;
  /** Every envelope sent to the window, serialised as it crossed. */
  answers: string[];
  attach(page: Page): Promise<void>;
  close(): Promise<void>;
}

export async function startRendererBridge(dataDir: string): Promise<RendererBridge> {
  const cipher = new TestCipher();
  const dialogs = scriptedDialogs();
  const service = createKeybridgeService({ dataDir, cipher, dialogs, version: '0.1.0-test' }, { testTimeoutMs: 5_000 });
  const dispatch = createDispatcher(service);
  const answers: string[] = [];

  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    // Chromium asks every site for one; Electron does not.
    if (pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const file = path.join(RENDERER_DIR, pathname === '/' ? 'index.html' : pathname);
    if (!file.startsWith(RENDERER_DIR + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => {
        res.writeHead(200, { 'content-type': RENDERER_TYPES[path.extname(file)] ?? 'application/octet-stream' });
        res.end(body);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    service,
    cipher,
    dialogs,
    answers,
    async attach(page) {
      await page.exposeFunction('__keybridgeInvoke', async (call: string, input: unknown): Promise<Envelope> => {
        // A JSON round trip both ways, like the structured clone of Electron's IPC.
        const answer = await dispatch(call, input === undefined ? undefined : JSON.parse(JSON.stringify(input)));
        const wire = JSON.stringify(answer);
        answers.push(wire);
        return JSON.parse(wire) as Envelope;
      });
      // What the preload does with ipcRenderer.invoke and .on, done here with the exposed function
      // and a page function the bridge calls for each progress event (a JSON round trip, as IPC's clone).
      // A string, not a function: run under tsx (the benchmarks), a function's source would carry
      // esbuild's __name helper, which the page does not have.
      await page.addInitScript({ content: `(${PAGE_BRIDGE})(${JSON.stringify(CALL_NAMES)});` });
      service.onTestProgress((progress) => {
        const wire = JSON.stringify(progress);
        answers.push(wire);
        void page
          .evaluate((payload) => (globalThis as unknown as { __keybridgeEmit?: (p: unknown) => void }).__keybridgeEmit?.(JSON.parse(payload)), wire)
          .catch(() => undefined);
      });
    },
    // Open keep-alive connections from the page would hold close() until they time out (a teardown
    // that outlived the test's 30 s on a busy machine): end them first.
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

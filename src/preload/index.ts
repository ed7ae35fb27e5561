// Exposes exactly the contract as window.keybridge: one function per call, and one subscription
// (test progress) that takes a function and returns its unsubscribe: no raw ipcRenderer, no listener
// objects or events crossing. Built as CommonJS because the window is sandboxed.
import { contextBridge, ipcRenderer } from 'electron';
import { channelFor, createBridge, PROGRESS_CHANNEL, type Envelope } from '../shared/rpc';
import type { TestProgress } from '../shared/types';

contextBridge.exposeInMainWorld(
  'keybridge',
  createBridge(
    (call, input) => ipcRenderer.invoke(channelFor(call), input) as Promise<Envelope>,
    // The one subscription: the page's function gets the payload only, never the IPC event.
    (listener) => {
      const handler = (_event: unknown, progress: TestProgress): void => listener(progress);
      ipcRenderer.on(PROGRESS_CHANNEL, handler);
      return () => void ipcRenderer.removeListener(PROGRESS_CHANNEL, handler);
    },
  ),
);

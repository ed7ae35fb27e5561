// Exposes exactly the contract as window.keybridge: one function per call, nothing else (no raw
// ipcRenderer, no listeners). Built as CommonJS because the window is sandboxed.
import { contextBridge, ipcRenderer } from 'electron';
import { channelFor, createBridge, type Envelope } from '../shared/rpc';

contextBridge.exposeInMainWorld(
  'keybridge',
  createBridge((call, input) => ipcRenderer.invoke(channelFor(call), input) as Promise<Envelope>),
);

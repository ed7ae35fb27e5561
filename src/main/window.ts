// The one window: sandboxed, isolated, no Node, no navigation, no new windows.
import path from 'node:path';
import { BrowserWindow, nativeTheme, type IpcMainInvokeEvent } from 'electron';
import { RENDERER_URL } from './renderer-protocol/renderer-files';
import { MIN_SIZE, type Placement } from './window-state/placement';

/** The built renderer, served on app://keybridge/ (renderer-protocol/). */
export const RENDERER_ROOT = path.join(import.meta.dirname, '../renderer');
const PRELOAD = path.join(import.meta.dirname, '../preload/index.cjs');

export function createMainWindow(placement: Placement): BrowserWindow {
  const window = new BrowserWindow({
    ...placement.bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    // The page's title follows the selected connection ("<name> — Keybridge").
    title: 'Keybridge',
    // The page's background in the OS's theme, so the window never flashes the other one.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#16181d' : '#f5f6f8',
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.on('will-redirect', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.once('ready-to-show', () => {
    if (placement.maximized) window.maximize();
    window.show();
  });
  void window.loadURL(RENDERER_URL);
  return window;
}

/** Only our own page, in our window's main frame, may call the API. */
export function isTrustedSender(event: IpcMainInvokeEvent, window: BrowserWindow | null): boolean {
  const frame = event.senderFrame;
  if (!window || window.isDestroyed() || !frame) return false;
  if (event.sender !== window.webContents || frame !== window.webContents.mainFrame) return false;
  return frame.url.split('#')[0] === RENDERER_URL;
}

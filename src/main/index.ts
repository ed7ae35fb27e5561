// Electron glue: app lifecycle, hardening, adapters handed to the core, IPC registration.
import { app, BrowserWindow, nativeTheme, session } from 'electron';
import { createDispatcher } from './core/dispatch';
import { createKeybridgeService } from './core/service';
import { openElectronStore } from './adapters/electron-store';
import { nativeDialogs } from './adapters/native-dialogs';
import { safeStorageCipher } from './adapters/safe-storage-cipher';
import { forwardProgress, registerIpc } from './ipc';
import { installMenu } from './menu/install-menu';
import { registerRendererScheme, serveRenderer } from './renderer-protocol/serve-renderer';
import { createMainWindow, RENDERER_ROOT } from './window';
import { windowStateKeeper } from './window-state/track-window';

app.setName('Keybridge');
// A separate data folder for development and the real-app test suite; default: the OS's userData.
// Never in a packaged build: an installed app keeps its secrets where the OS expects them.
if (!app.isPackaged && process.env.KEYBRIDGE_USER_DATA) app.setPath('userData', process.env.KEYBRIDGE_USER_DATA);
let mainWindow: BrowserWindow | null = null;
registerRendererScheme();

// Any web contents (including ones we never create on purpose) may not navigate or open windows.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });

  void app.whenReady().then(() => {
    // The window needs no camera, notifications or other permissions: requests and checks are denied,
    // but for writing plain text to the clipboard (Copy report, Copy fingerprint). Never reading it.
    session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(permission === 'clipboard-sanitized-write'));
    session.defaultSession.setPermissionCheckHandler((_contents, permission) => permission === 'clipboard-sanitized-write');
    serveRenderer(RENDERER_ROOT);
    const userData = app.getPath('userData');
    const log = (line: string): void => console.error(`[keybridge] ${line}`);
    const service = createKeybridgeService({
      dataDir: userData,
      cipher: safeStorageCipher(),
      openStore: openElectronStore(userData),
      dialogs: nativeDialogs(() => mainWindow),
      version: app.getVersion(),
      fromSource: !app.isPackaged,
      log,
      setTheme: (theme) => {
        nativeTheme.themeSource = theme;
        mainWindow?.setBackgroundColor(nativeTheme.shouldUseDarkColors ? '#16181d' : '#f5f6f8');
      },
    });
    registerIpc(createDispatcher(service, log), () => mainWindow);
    forwardProgress(service, () => mainWindow);
    installMenu(userData, () => mainWindow);
    const windowState = windowStateKeeper(userData);
    const openWindow = (): BrowserWindow => {
      const window = createMainWindow(windowState.placement());
      windowState.track(window);
      window.on('closed', () => {
        if (mainWindow === window) mainWindow = null;
      });
      return window;
    };
    mainWindow = openWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = openWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}

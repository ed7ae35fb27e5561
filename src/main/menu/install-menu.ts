// Installs the application menu and carries out its Help actions: the data folder and the audit log
// open in the OS's own file manager and editor; About shows the versions with a Copy button.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { app, clipboard, dialog, Menu, shell, type BrowserWindow } from 'electron';
import { aboutDetail, menuTemplate } from './menu-template';

export function installMenu(userData: string, window: () => BrowserWindow | null): void {
  const message = (text: string, detail: string, buttons = ['OK']): Promise<number> => {
    const parent = window();
    const options = { type: 'info' as const, title: 'Keybridge', message: text, detail, buttons, defaultId: 0, cancelId: buttons.length - 1, noLink: true };
    return (parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options)).then((r) => r.response);
  };
  const open = async (target: string, missing: string): Promise<void> => {
    if (!existsSync(target)) return void (await message(missing, target));
    const failed = await shell.openPath(target);
    if (failed) await message(`Keybridge could not open ${path.basename(target)}.`, `${failed}\n\n${target}`);
  };
  const actions = {
    openDataFolder: () => void open(userData, 'The data folder does not exist yet: it is created when the first connection is saved.'),
    openAuditLog: () => void open(path.join(userData, 'audit.log'), 'The audit log is empty: nothing has been recorded yet.'),
    showAbout: () => {
      const detail = aboutDetail(
        { app: app.getVersion(), electron: process.versions.electron ?? '', chrome: process.versions.chrome ?? '', node: process.versions.node, v8: process.versions.v8 },
        `${os.type()} ${os.release()} ${process.arch}`,
      );
      void message('Keybridge', detail, ['Copy', 'OK']).then((button) => {
        if (button === 0) clipboard.writeText(detail);
      });
    },
  };
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ platform: process.platform, packaged: app.isPackaged, actions })));
}

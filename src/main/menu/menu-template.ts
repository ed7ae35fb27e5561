// The application menu as data: the standard roles an admin expects (Edit with copy and paste,
// View, Window) plus Help with the data folder, the audit log and About. Developer tools and reload
// only in an unpackaged run. Pure (electron types only), so it is tested under Node.
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  openDataFolder(): void;
  openAuditLog(): void;
  showAbout(): void;
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  packaged: boolean;
  actions: MenuActions;
}

export function menuTemplate({ platform, packaged, actions }: MenuOptions): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const about: MenuItemConstructorOptions = { label: 'About Keybridge', click: () => actions.showAbout() };
  const appMenu: MenuItemConstructorOptions[] = mac
    ? [
        {
          label: 'Keybridge',
          submenu: [about, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
        },
      ]
    : [{ label: '&File', submenu: [{ role: 'quit', label: 'E&xit' }] }];
  const development: MenuItemConstructorOptions[] = packaged ? [] : [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }];
  return [
    ...appMenu,
    {
      label: '&Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        ...(mac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
        { role: 'delete' },
        { type: 'separator' },
        { role: 'selectAll' },
      ],
    },
    {
      label: '&View',
      submenu: [...development, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
    },
    {
      label: '&Window',
      role: 'windowMenu',
    },
    {
      label: '&Help',
      role: 'help',
      submenu: [
        { label: 'Open Data Folder', click: () => actions.openDataFolder() },
        { label: 'Open Audit Log', click: () => actions.openAuditLog() },
        ...(mac ? [] : [{ type: 'separator' } as const, about]),
      ],
    },
  ];
}

export interface AboutVersions {
  app: string;
  electron: string;
  chrome: string;
  node: string;
  v8: string;
}

/** The About text: what a support ticket needs, one fact a line, ready to copy. */
export function aboutDetail(versions: AboutVersions, os: string): string {
  return [
    `Version: ${versions.app}`,
    `Electron: ${versions.electron}`,
    `Chromium: ${versions.chrome}`,
    `Node.js: ${versions.node}`,
    `V8: ${versions.v8}`,
    `OS: ${os}`,
  ].join('\n');
}

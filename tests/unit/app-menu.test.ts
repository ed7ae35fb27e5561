// The application menu: standard roles, Help actions, no developer tools in a packaged build.
import { describe, expect, test, vi } from 'vitest';
import { aboutDetail, menuTemplate } from '../../src/main/menu/menu-template';

// The menu's item type, taken from the template (tests never import 'electron', not even its types).
type MenuItemConstructorOptions = ReturnType<typeof menuTemplate>[number];

const actions = () => ({ openDataFolder: vi.fn(), openAuditLog: vi.fn(), showAbout: vi.fn() });
const items = (menu: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
  menu.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])]);
const roles = (menu: MenuItemConstructorOptions[]): string[] => items(menu).flatMap((i) => (i.role ? [i.role] : []));
const labelled = (menu: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions | undefined => items(menu).find((i) => i.label === label);

describe('application menu', () => {
  test.each(['linux', 'win32', 'darwin'] as const)('%s: Edit, View, Window and Help with the standard roles', (platform) => {
    const menu = menuTemplate({ platform, packaged: true, actions: actions() });
    expect(menu.map((m) => m.label?.replace('&', ''))).toEqual([platform === 'darwin' ? 'Keybridge' : 'File', 'Edit', 'View', 'Window', 'Help']);
    expect(roles(menu)).toEqual(expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'windowMenu', 'quit', 'zoomIn', 'resetZoom']));
  });

  test('developer tools and reload only in an unpackaged run', () => {
    expect(roles(menuTemplate({ platform: 'linux', packaged: true, actions: actions() }))).not.toEqual(expect.arrayContaining(['toggleDevTools']));
    expect(roles(menuTemplate({ platform: 'linux', packaged: true, actions: actions() })).filter((r) => /reload|devtools/i.test(r))).toEqual([]);
    expect(roles(menuTemplate({ platform: 'linux', packaged: false, actions: actions() }))).toEqual(expect.arrayContaining(['toggleDevTools', 'reload']));
  });

  test.each(['linux', 'darwin'] as const)('%s: Help opens the data folder and the audit log, About shows the versions', (platform) => {
    const act = actions();
    const menu = menuTemplate({ platform, packaged: true, actions: act });
    const click = (label: string): void => (labelled(menu, label)?.click as () => void)();
    click('Open Data Folder');
    click('Open Audit Log');
    click('About Keybridge');
    expect(act.openDataFolder).toHaveBeenCalledOnce();
    expect(act.openAuditLog).toHaveBeenCalledOnce();
    expect(act.showAbout).toHaveBeenCalledOnce();
  });

  test('About names the app, Electron, Chromium and Node versions', () => {
    const text = aboutDetail({ app: '0.1.0', electron: '45.4.1', chrome: '146.0.1', node: '24.11.1', v8: '14.6' }, 'Linux 6.8 x64');
    expect(text.split('\n')).toEqual(['Version: 0.1.0', 'Electron: 45.4.1', 'Chromium: 146.0.1', 'Node.js: 24.11.1', 'V8: 14.6', 'OS: Linux 6.8 x64']);
  });
});

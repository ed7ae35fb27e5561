// The window's title names what is open, so the taskbar and window switcher tell Keybridge windows
// and connections apart: "<connection> — Keybridge". Electron shows the page's title.
import type { View } from './store';

export function windowTitle(view: View, connectionName: string | null): string {
  const what = view.kind === 'audit' ? 'Audit log' : view.kind === 'transfer' ? 'Export and import' : (connectionName ?? 'New connection');
  return `${what} — Keybridge`;
}

// The core's dialog port backed by Electron's native open/save dialogs and message boxes, attached to the window.
import { dialog, type BrowserWindow } from 'electron';
import type { DialogPort } from '../core/ports';

const FILTERS = {
  'key-file': [
    { name: 'Key and token files', extensions: ['txt', 'key', 'token', 'csv'] },
    { name: 'All files', extensions: ['*'] },
  ],
  connections: [{ name: 'Keybridge export', extensions: ['json'] }],
  'ca-certificate': [
    { name: 'CA certificates (PEM)', extensions: ['pem', 'crt', 'cer'] },
    { name: 'All files', extensions: ['*'] },
  ],
  'client-certificate': [
    { name: 'Client certificate (PKCS#12 or PEM with key)', extensions: ['p12', 'pfx', 'pem'] },
    { name: 'All files', extensions: ['*'] },
  ],
  openapi: [
    { name: 'OpenAPI specification (JSON or YAML)', extensions: ['json', 'yaml', 'yml'] },
    { name: 'All files', extensions: ['*'] },
  ],
  'audit-csv': [{ name: 'CSV', extensions: ['csv'] }],
  'audit-json': [{ name: 'JSON', extensions: ['json'] }],
};

export function nativeDialogs(window: () => BrowserWindow | null): DialogPort {
  return {
    async openFile(purpose) {
      const options = {
        title: { 'key-file': 'Import API token', connections: 'Import connections', 'ca-certificate': 'Trust CA certificate', 'client-certificate': 'Client certificate', openapi: 'Import OpenAPI specification' }[purpose],
        properties: ['openFile' as const],
        filters: FILTERS[purpose],
      };
      const parent = window();
      const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async saveFile(purpose, defaultName) {
      const options = { title: purpose === 'connections' ? 'Export connections' : 'Export audit log', defaultPath: defaultName, filters: FILTERS[purpose] };
      const parent = window();
      const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
      return result.canceled ? null : (result.filePath ?? null);
    },
    async confirm({ title, message, detail, confirmLabel }) {
      // Cancel first and default: Enter or Escape on a question the admin did not read goes nowhere.
      const options = { type: 'warning' as const, title, message, detail, buttons: ['Cancel', confirmLabel], defaultId: 0, cancelId: 0, noLink: true };
      const parent = window();
      const result = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
      return result.response === 1;
    },
  };
}

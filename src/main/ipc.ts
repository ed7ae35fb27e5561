// Registers one IPC handler per contract call: sender check here, validation in the dispatcher.
import { ipcMain, type BrowserWindow } from 'electron';
import type { Dispatch } from './core/dispatch';
import { CALL_NAMES, channelFor, type Envelope } from '../shared/rpc';
import { isTrustedSender } from './window';

export function registerIpc(dispatch: Dispatch, window: () => BrowserWindow | null): void {
  for (const call of CALL_NAMES) {
    ipcMain.handle(channelFor(call), (event, input: unknown): Promise<Envelope> | Envelope => {
      if (!isTrustedSender(event, window())) {
        return { ok: false, error: { code: 'forbidden', message: 'This page may not use the Keybridge API.' } };
      }
      return dispatch(call, input);
    });
  }
}

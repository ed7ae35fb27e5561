// Registers one IPC handler per contract call: sender check here, validation in the dispatcher.
import { ipcMain, type BrowserWindow } from 'electron';
import type { Dispatch } from './core/dispatch';
import type { KeybridgeEvents } from '../shared/contract';
import { CALL_NAMES, channelFor, PROGRESS_CHANNEL, type Envelope } from '../shared/rpc';
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

/** Sends the steps of running tests to the window (and nowhere else) as they complete. */
export function forwardProgress(events: KeybridgeEvents, window: () => BrowserWindow | null): void {
  events.onTestProgress((progress) => {
    const target = window();
    if (target && !target.isDestroyed()) target.webContents.send(PROGRESS_CHANNEL, progress);
  });
}

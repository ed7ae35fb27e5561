// The window's state, built from slices (zustand's slices pattern), one concern each. The store is
// the window's only caller of main's API (the lint step enforces it): components read one value
// per selector and call actions. Nothing is kept that main did not confirm.
import { create } from 'zustand';
import { appSlice, type AppSlice } from './app-slice';
import { connectionsSlice, type ConnectionsSlice } from './connections-slice';
import type { Busy } from './perform';
import { recordsSlice, type RecordsSlice } from './records-slice';
import { tokenSlice, type TokenSlice } from './token-slice';
import { trustSlice, type TrustSlice } from './trust-slice';

export type { View } from './app-slice';
export type { LiveTest } from './connections-slice';
export type { Busy, Outcome } from './perform';

export interface KeybridgeState extends AppSlice, ConnectionsSlice, TrustSlice, TokenSlice, RecordsSlice {
  busy: Busy;
}

export const useKeybridge = create<KeybridgeState>((set, get) => ({
  busy: 'loading',
  ...appSlice(set, get),
  ...connectionsSlice(set, get),
  ...trustSlice(set, get),
  ...tokenSlice(set, get),
  ...recordsSlice(set, get),
}));

// The core's store port backed by electron-store: the same Conf engine, rooted at userData.
import ElectronStore from 'electron-store';
import type { OpenStore } from '../core/ports';

export const openElectronStore =
  (userData: string): OpenStore =>
  (name, options) =>
    new ElectronStore({ ...options, name, cwd: userData, clearInvalidConfig: false, watch: false });

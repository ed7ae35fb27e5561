// Keeps the window's placement in window-state.json (electron-store, beside the other stores):
// read once before the window is created, written when it closes. It is only where the window
// was, so a file that cannot be read is replaced rather than set aside.
import { screen, type BrowserWindow } from 'electron';
import ElectronStore from 'electron-store';
import { parseWindowState, placementFor, remember, type Placement, type Rect } from './placement';

interface Displays {
  displays: Rect[];
  workAreas: Rect[];
}

function currentDisplays(): Displays {
  const primary = screen.getPrimaryDisplay();
  const all = [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)];
  return { displays: all.map((d) => d.bounds), workAreas: all.map((d) => d.workArea) };
}

export interface WindowStateKeeper {
  /** Where to open the window now. */
  placement(): Placement;
  /** Remember the window's placement whenever it closes. */
  track(window: BrowserWindow): void;
}

export function windowStateKeeper(userData: string): WindowStateKeeper {
  const store = new ElectronStore<{ state?: unknown }>({ name: 'window-state', cwd: userData, clearInvalidConfig: true, watch: false });
  return {
    placement() {
      const { displays, workAreas } = currentDisplays();
      return placementFor(parseWindowState(store.get('state')), displays, workAreas);
    },
    track(window) {
      window.on('close', () => {
        const { displays } = currentDisplays();
        const placement: Placement = { bounds: window.getNormalBounds(), maximized: window.isMaximized() };
        store.set('state', remember(parseWindowState(store.get('state')), displays, placement));
      });
    },
  };
}

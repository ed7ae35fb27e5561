// The sidebar's width, as the admin last dragged it, kept in this window's storage; clamped to the
// range the layout allows, so a stored value from another version or a hand edit cannot break it.
export const SIDEBAR_WIDTH = { min: 220, max: 480, default: 280 } as const;
const KEY = 'keybridge.sidebarWidth';

export function storedSidebarWidth(): number {
  try {
    const value = Number(localStorage.getItem(KEY));
    return Number.isFinite(value) && value > 0 ? Math.round(Math.min(SIDEBAR_WIDTH.max, Math.max(SIDEBAR_WIDTH.min, value))) : SIDEBAR_WIDTH.default;
  } catch {
    return SIDEBAR_WIDTH.default;
  }
}

export function storeSidebarWidth(width: number): void {
  try {
    localStorage.setItem(KEY, String(Math.round(width)));
  } catch {
    // Storage unavailable: the width lasts until the window closes.
  }
}

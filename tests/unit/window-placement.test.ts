// Where the window opens: remembered per arrangement of displays, always reachable on screen.
import { describe, expect, test } from 'vitest';
import { DEFAULT_SIZE, layoutKey, parseWindowState, placementFor, remember, type Rect } from '../../src/main/window-state/placement';

const laptop: Rect = { x: 0, y: 0, width: 1440, height: 900 };
const laptopWork: Rect = { x: 0, y: 25, width: 1440, height: 875 };
const monitor: Rect = { x: 1440, y: 0, width: 2560, height: 1440 };
const monitorWork: Rect = { x: 1440, y: 0, width: 2560, height: 1400 };

describe('window placement', () => {
  test('first run: the default size, centred on the primary display', () => {
    expect(placementFor(null, [laptop], [laptopWork])).toEqual({
      bounds: { x: (1440 - DEFAULT_SIZE.width) / 2, y: 25 + Math.round((875 - DEFAULT_SIZE.height) / 2), ...DEFAULT_SIZE },
      maximized: false,
    });
  });

  test('the same displays: exactly where it closed, maximised or not', () => {
    const onMonitor = { bounds: { x: 2000, y: 100, width: 1400, height: 1000 }, maximized: true };
    const state = remember(null, [laptop, monitor], onMonitor);
    expect(placementFor(state, [laptop, monitor], [laptopWork, monitorWork])).toEqual(onMonitor);
  });

  test('docked and undocked are remembered apart', () => {
    const docked = { bounds: { x: 2000, y: 100, width: 1400, height: 1000 }, maximized: false };
    const undocked = { bounds: { x: 40, y: 60, width: 1000, height: 700 }, maximized: false };
    const state = remember(remember(null, [laptop, monitor], docked), [laptop], undocked);
    expect(placementFor(state, [laptop], [laptopWork])).toEqual(undocked);
    expect(placementFor(state, [monitor, laptop], [monitorWork, laptopWork])).toEqual(docked); // order does not matter
    expect(state.layouts.map((l) => l.layout)).toEqual([layoutKey([laptop]), layoutKey([laptop, monitor])]);
  });

  test('its display is gone: back on the primary display, size kept where it fits, state kept', () => {
    const state = remember(null, [laptop, monitor], { bounds: { x: 2000, y: 100, width: 2400, height: 1300 }, maximized: true });
    const placed = placementFor(state, [laptop], [laptopWork]);
    expect(placed.maximized).toBe(true);
    expect(placed.bounds).toEqual({ x: 0, y: 25, width: 1440, height: 875 });
  });

  test('a window whose title bar is off screen is brought back; one partly visible stays', () => {
    const above = remember(null, [laptop], { bounds: { x: 100, y: -700, width: 1000, height: 700 }, maximized: false });
    expect(placementFor(above, [laptop], [laptopWork]).bounds.y).toBeGreaterThanOrEqual(25);
    const halfOff = { bounds: { x: 900, y: 100, width: 1000, height: 700 }, maximized: false };
    expect(placementFor(remember(null, [laptop], halfOff), [laptop], [laptopWork])).toEqual(halfOff);
  });

  test('a saved state of another shape is ignored, and only a few layouts are kept', () => {
    expect(parseWindowState({ version: 1, layouts: [{ layout: 'x', placement: { bounds: { x: 'a' } } }] })).toBeNull();
    expect(parseWindowState('garbage')).toBeNull();
    let state = remember(null, [laptop], { bounds: { x: 0, y: 0, width: 1000, height: 700 }, maximized: false });
    for (let i = 1; i <= 20; i++) state = remember(state, [{ ...monitor, width: 1000 + i }], { bounds: { x: 0, y: 0, width: 1000, height: 700 }, maximized: false });
    expect(state.layouts).toHaveLength(8);
    expect(parseWindowState(JSON.parse(JSON.stringify(state)))).toEqual(state);
  });
});

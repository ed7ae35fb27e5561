// Where the window opens: the size, position and maximised state it had when it last closed on the
// same arrangement of displays (docked and undocked are remembered apart), brought back on screen
// when the display it was on is gone. Pure: no Electron, so it is tested under Node.
import { z } from 'zod';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Placement {
  bounds: Rect;
  maximized: boolean;
}

/** What is kept in window-state.json: a placement per arrangement of displays, newest first. */
export interface WindowState {
  version: 1;
  layouts: { layout: string; placement: Placement }[];
}

export const DEFAULT_SIZE = { width: 1120, height: 780 };
export const MIN_SIZE = { width: 900, height: 620 };
const KEEP_LAYOUTS = 8;
// At least this much of the window (its title bar side) must be on a display to count as visible.
const VISIBLE_WIDTH = 120;
const VISIBLE_HEIGHT = 40;

/** A name for the current arrangement of displays: their bounds, in a stable order. */
export function layoutKey(displays: readonly Rect[]): string {
  return displays
    .map((d) => `${d.x},${d.y},${d.width}x${d.height}`)
    .sort()
    .join(';');
}

const overlap = (a: Rect, b: Rect): { width: number; height: number } => ({
  width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
  height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
});

function visibleOn(bounds: Rect, workAreas: readonly Rect[]): boolean {
  // The top strip is what the admin drags: it must be reachable on some display.
  const titleBar = { ...bounds, height: Math.min(bounds.height, VISIBLE_HEIGHT) };
  return workAreas.some((area) => {
    const o = overlap(titleBar, area);
    return o.width >= Math.min(VISIBLE_WIDTH, bounds.width) && o.height >= Math.min(VISIBLE_HEIGHT, bounds.height);
  });
}

/** The saved size, no larger than the work area, centred on it. */
function centredOn(area: Rect, size: { width: number; height: number }): Rect {
  const width = Math.min(Math.max(size.width, MIN_SIZE.width), area.width);
  const height = Math.min(Math.max(size.height, MIN_SIZE.height), area.height);
  return {
    x: area.x + Math.round((area.width - width) / 2),
    y: area.y + Math.round((area.height - height) / 2),
    width,
    height,
  };
}

/**
 * The placement to open with. `workAreas` are the displays' usable areas now (the primary first),
 * `displays` their full bounds (for the layout key).
 */
export function placementFor(state: WindowState | null, displays: readonly Rect[], workAreas: readonly Rect[]): Placement {
  const primary = workAreas[0] ?? { x: 0, y: 0, ...DEFAULT_SIZE };
  const saved = state?.layouts.find((l) => l.layout === layoutKey(displays))?.placement ?? state?.layouts[0]?.placement;
  if (!saved) return { bounds: centredOn(primary, DEFAULT_SIZE), maximized: false };
  if (visibleOn(saved.bounds, workAreas)) return saved;
  return { bounds: centredOn(primary, saved.bounds), maximized: saved.maximized };
}

/** The state with this placement remembered for this layout (newest first, a few layouts kept). */
export function remember(state: WindowState | null, displays: readonly Rect[], placement: Placement): WindowState {
  const layout = layoutKey(displays);
  const others = (state?.layouts ?? []).filter((l) => l.layout !== layout);
  return { version: 1, layouts: [{ layout, placement }, ...others].slice(0, KEEP_LAYOUTS) };
}

const rect = z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().positive(), height: z.number().int().positive() });
const stateSchema = z.object({
  version: z.literal(1),
  layouts: z.array(z.object({ layout: z.string().max(2000), placement: z.object({ bounds: rect, maximized: z.boolean() }) })).max(64),
});

/** A saved state as read from disk, or null when it is missing or not of this shape (then: defaults). */
export function parseWindowState(value: unknown): WindowState | null {
  const parsed = stateSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

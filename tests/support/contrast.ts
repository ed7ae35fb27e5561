// WCAG 2.2 contrast, measured from computed styles (pure: no DOM, no Node). The e2e contrast test
// reads each control's computed colours in Chromium and judges them here:
// - colours as getComputedStyle gives them (rgb(), rgba(), color(srgb …), #hex, transparent);
// - alpha compositing (source-over) of a colour through the layers beneath it: each ancestor's
//   background and opacity, innermost first, down to the canvas;
// - relative luminance and contrast ratio (WCAG 2.2, "relative luminance", "contrast ratio");
// - large text (≥ 24 px, or ≥ 18.66 px and bold) needs 3:1, other text 4.5:1;
// - a focus indicator as the pixels along a line across the control's edge: which of them change
//   when the control gains focus (outline, box-shadow rings, border), and how those contrast with
//   the colours beside them (WCAG 1.4.11 / 2.4.11's "adjacent colours").

export interface Rgba {
  r: number; // 0–255
  g: number;
  b: number;
  a: number; // 0–1
}

export const WHITE: Rgba = { r: 255, g: 255, b: 255, a: 1 };
export const TRANSPARENT: Rgba = { r: 0, g: 0, b: 0, a: 0 };

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

function channel(text: string, scale: number): number {
  const t = text.trim();
  if (t === 'none') return 0;
  return t.endsWith('%') ? (parseFloat(t) / 100) * scale : parseFloat(t);
}

function alpha(text: string | undefined): number {
  if (text === undefined) return 1;
  const t = text.trim();
  if (t === 'none') return 0;
  return clamp(t.endsWith('%') ? parseFloat(t) / 100 : parseFloat(t), 0, 1);
}

/** A CSS colour as Chromium computes it. Throws on what it does not know, so nothing is misjudged. */
export function parseColor(css: string): Rgba {
  const text = css.trim().toLowerCase();
  if (text === 'transparent') return { ...TRANSPARENT };
  const hex = /^#([0-9a-f]{3,8})$/.exec(text);
  if (hex) {
    let h = hex[1] ?? '';
    if (h.length === 3 || h.length === 4) h = [...h].map((c) => c + c).join('');
    if (h.length !== 6 && h.length !== 8) throw new Error(`Unknown colour: ${css}`);
    const n = (i: number): number => parseInt(h.slice(i, i + 2), 16);
    return { r: n(0), g: n(2), b: n(4), a: h.length === 8 ? n(6) / 255 : 1 };
  }
  const fn = /^(rgba?|color)\((.*)\)$/.exec(text);
  if (fn) {
    let body = (fn[2] ?? '').trim();
    if (fn[1] === 'color') {
      const space = /^(srgb)\s+(.*)$/.exec(body);
      if (!space) throw new Error(`Unknown colour space: ${css}`);
      body = space[2] ?? '';
      const [rgb = '', a] = body.split('/');
      const [r = 0, g = 0, b = 0] = rgb.trim().split(/\s+/).map((v) => channel(v, 1) * 255);
      return { r: clamp(r, 0, 255), g: clamp(g, 0, 255), b: clamp(b, 0, 255), a: alpha(a) };
    }
    let parts: string[];
    let a: string | undefined;
    if (body.includes(',')) {
      parts = body.split(',');
      a = parts[3];
    } else {
      const [rgb = '', slash] = body.split('/');
      parts = rgb.trim().split(/\s+/);
      a = slash;
    }
    const [r = 0, g = 0, b = 0] = parts.slice(0, 3).map((v) => clamp(channel(v, 255), 0, 255));
    return { r, g, b, a: alpha(a) };
  }
  throw new Error(`Unknown colour: ${css}`);
}

/** `top` painted over `bottom` (Porter–Duff source-over, colours not premultiplied). */
export function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top.a + bottom.a * (1 - top.a);
  if (a === 0) return { ...TRANSPARENT };
  const mix = (t: number, b: number): number => (t * top.a + b * bottom.a * (1 - top.a)) / a;
  return { r: mix(top.r, bottom.r), g: mix(top.g, bottom.g), b: mix(top.b, bottom.b), a };
}

/** One box beneath a colour: its background and its opacity (which fades all it paints). */
export interface Layer {
  background: Rgba;
  opacity: number;
}

/**
 * The colour on screen of `colour` painted inside `layers` (innermost first: the element itself,
 * then its parent…), each layer's background beneath what it holds and its opacity applied to the
 * whole, finally over the canvas. Boxes that are not ancestors (siblings, positioned overlays)
 * are not seen: the test measures controls in flow.
 */
export function flatten(colour: Rgba, layers: readonly Layer[], canvas: Rgba = WHITE): Rgba {
  let c = colour;
  for (const layer of layers) {
    c = over(c, layer.background);
    c = { ...c, a: c.a * clamp(layer.opacity, 0, 1) };
  }
  return over(c, { ...canvas, a: 1 });
}

const linear = (v: number): number => {
  const s = v / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};

/** WCAG relative luminance of an opaque colour. */
export function relativeLuminance(c: Rgba): number {
  return 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b);
}

/** WCAG contrast ratio, 1 to 21, of two opaque colours (alpha is composited over white first). */
export function contrastRatio(a: Rgba, b: Rgba): number {
  const la = relativeLuminance(a.a < 1 ? over(a, WHITE) : a);
  const lb = relativeLuminance(b.a < 1 ? over(b, WHITE) : b);
  const [hi, lo] = la > lb ? [la, lb] : [lb, la];
  return (hi + 0.05) / (lo + 0.05);
}

export function toHex(c: Rgba): string {
  const h = (v: number): string => Math.round(clamp(v, 0, 255)).toString(16).padStart(2, '0');
  const base = `#${h(c.r)}${h(c.g)}${h(c.b)}`;
  return c.a < 1 ? `${base}${h(c.a * 255)}` : base;
}

export const sameColour = (a: Rgba, b: Rgba): boolean =>
  Math.round(a.r) === Math.round(b.r) && Math.round(a.g) === Math.round(b.g) && Math.round(a.b) === Math.round(b.b) && Math.abs(a.a - b.a) < 0.005;

/** "4.52:1", rounded down so that a ratio just short of a threshold never reads as reaching it. */
export const formatRatio = (ratio: number): string => `${(Math.floor(ratio * 100) / 100).toFixed(2)}:1`;

/** WCAG large text: 24 px, or 18.66 px (14 pt) when bold (700 and above). */
export function isLargeText(fontSizePx: number, fontWeight: number): boolean {
  return fontSizePx >= 24 || (fontSizePx >= 18.66 && fontWeight >= 700);
}

/** What text of this size needs: 4.5:1, or 3:1 when large (WCAG 1.4.3). */
export const textThreshold = (fontSizePx: number, fontWeight: number): number => (isLargeText(fontSizePx, fontWeight) ? 3 : 4.5);

// --- Focus indicators --------------------------------------------------------------------------

/** A box-shadow as computed: only spread rings (no blur, no offset) draw a crisp band. */
export interface Shadow {
  colour: Rgba;
  x: number;
  y: number;
  blur: number;
  spread: number;
  inset: boolean;
}

/** Splits a computed box-shadow ("rgb(…) 0px 0px 0px 2px, rgb(…) 0px 0px 0px 4px inset"). */
export function parseBoxShadow(css: string): Shadow[] {
  const text = css.trim();
  if (text === '' || text === 'none') return [];
  const shadows: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) {
      shadows.push(text.slice(start, i));
      start = i + 1;
    }
  }
  shadows.push(text.slice(start));
  return shadows.map((one) => {
    const colourText = /(rgba?|color)\([^)]*\)|#[0-9a-f]{3,8}\b|transparent/i.exec(one)?.[0] ?? 'rgb(0, 0, 0)';
    const rest = one.replace(colourText, ' ');
    const lengths = [...rest.matchAll(/(-?[\d.]+)px/g)].map((m) => parseFloat(m[1] ?? '0'));
    const [x = 0, y = 0, blur = 0, spread = 0] = lengths;
    return { colour: parseColor(colourText), x, y, blur, spread, inset: /\binset\b/.test(rest) };
  });
}

/** What a control paints around its edge, in one state. */
export interface EdgeStyle {
  /** The control's own background, as on screen (already flattened). */
  fill: Rgba;
  /** The surface it sits on, as on screen (already flattened). */
  surface: Rgba;
  border: { width: number; colour: Rgba };
  outline: { width: number; offset: number; colour: Rgba } | null;
  shadows: Shadow[];
}

export const STEP = 0.5;
const REACH = 12;

/**
 * The colours along a line across the control's border edge, from REACH px inside to REACH px
 * outside, one sample per half pixel: background, border (over the background), inset rings,
 * outer rings (over the surface), then the outline on top of all.
 */
export function edgeProfile(edge: EdgeStyle): Rgba[] {
  const samples: Rgba[] = [];
  // Painted first is the last shadow; the first one is on top.
  const outer = edge.shadows.filter((s) => !s.inset && s.blur === 0 && s.x === 0 && s.y === 0 && s.spread > 0).reverse();
  const inner = edge.shadows.filter((s) => s.inset && s.blur === 0 && s.x === 0 && s.y === 0 && s.spread > 0).reverse();
  for (let p = -REACH + STEP / 2; p < REACH; p += STEP) {
    let c: Rgba;
    if (p < 0) {
      c = edge.fill;
      for (const s of inner) if (p >= -edge.border.width - s.spread && p < -edge.border.width) c = over(s.colour, c);
      if (p >= -edge.border.width) c = over(edge.border.colour, c);
    } else {
      c = edge.surface;
      for (const s of outer) if (p < s.spread) c = over(s.colour, c);
    }
    const o = edge.outline;
    if (o && o.width > 0 && p >= o.offset && p < o.offset + o.width) c = over(o.colour, c);
    samples.push(over(c, edge.surface.a < 1 ? WHITE : edge.surface));
  }
  return samples;
}

export interface IndicatorVerdict {
  /** The best band of the indicator: the lower of its contrasts with the colours on either side. */
  ratio: number;
  ring: Rgba | null;
  inside: Rgba | null;
  outside: Rgba | null;
  /** How wide that band is, in px. */
  width: number;
}

/**
 * The focus indicator: the samples that change from `rest` to `focused`, cut into bands of one
 * colour. A band indicates focus when it contrasts with the colours beside it (inside and
 * outside). The verdict is the band that does so best; no change at all is ratio 1, ring null.
 */
export function focusIndicator(rest: EdgeStyle, focused: EdgeStyle): IndicatorVerdict {
  const was = edgeProfile(rest);
  const now = edgeProfile(focused);
  const before = (i: number): Rgba => was[i] ?? TRANSPARENT;
  const after = (i: number): Rgba => now[i] ?? TRANSPARENT;
  const n = now.length;
  let best: IndicatorVerdict = { ratio: 1, ring: null, inside: null, outside: null, width: 0 };
  let i = 0;
  while (i < n) {
    if (sameColour(before(i), after(i))) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < n && !sameColour(before(j + 1), after(j + 1)) && sameColour(after(j + 1), after(i))) j++;
    const ring = after(i);
    // Beside the band: the nearest colours on either side that are not the band's own.
    let k = i - 1;
    while (k >= 0 && sameColour(after(k), ring)) k--;
    let m = j + 1;
    while (m < n && sameColour(after(m), ring)) m++;
    const inside = k >= 0 ? after(k) : ring;
    const outside = m < n ? after(m) : ring;
    const ratio = Math.min(contrastRatio(ring, inside), contrastRatio(ring, outside));
    const width = (j - i + 1) * STEP;
    // A band too thin to see (less than 1 px) does not count.
    if (width >= 1 && ratio > best.ratio) best = { ratio, ring, inside, outside, width };
    i = j + 1;
  }
  return best;
}

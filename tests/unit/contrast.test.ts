// The contrast arithmetic the e2e contrast test relies on: colour parsing as Chromium computes it,
// alpha compositing through the layers beneath, WCAG luminance and ratios, and focus indicators.
import { describe, expect, it } from 'vitest';
import {
  contrastRatio,
  edgeProfile,
  flatten,
  focusIndicator,
  formatRatio,
  isLargeText,
  over,
  parseBoxShadow,
  parseColor,
  relativeLuminance,
  textThreshold,
  toHex,
  TRANSPARENT,
  WHITE,
  type EdgeStyle,
} from '../support/contrast';

const hex = (h: string) => parseColor(h);
const BLACK = hex('#000');

describe('parseColor', () => {
  it('reads the forms getComputedStyle gives', () => {
    expect(parseColor('rgb(36, 87, 197)')).toEqual({ r: 36, g: 87, b: 197, a: 1 });
    expect(parseColor('rgba(16, 24, 40, 0.04)')).toEqual({ r: 16, g: 24, b: 40, a: 0.04 });
    expect(parseColor('rgba(0, 0, 0, 0)')).toEqual({ r: 0, g: 0, b: 0, a: 0 });
    expect(parseColor('transparent')).toEqual(TRANSPARENT);
    expect(parseColor('rgb(255 0 0 / 50%)')).toEqual({ r: 255, g: 0, b: 0, a: 0.5 });
    expect(parseColor('color(srgb 1 0.5 0 / 0.25)')).toEqual({ r: 255, g: 127.5, b: 0, a: 0.25 });
    expect(parseColor('#2457c5')).toEqual({ r: 36, g: 87, b: 197, a: 1 });
    expect(parseColor('#fff')).toEqual(WHITE);
    expect(parseColor('#00000080').a).toBeCloseTo(0.502, 3);
  });
  it('refuses what it does not know, rather than guess', () => {
    expect(() => parseColor('oklch(0.5 0.1 200)')).toThrow(/Unknown colour/);
    expect(() => parseColor('color(display-p3 1 0 0)')).toThrow(/colour space/);
  });
});

describe('WCAG luminance and contrast ratio', () => {
  it('gives the known values', () => {
    expect(relativeLuminance(WHITE)).toBeCloseTo(1, 6);
    expect(relativeLuminance(BLACK)).toBe(0);
    expect(contrastRatio(WHITE, BLACK)).toBeCloseTo(21, 6);
    expect(contrastRatio(BLACK, WHITE)).toBeCloseTo(21, 6);
    expect(contrastRatio(hex('#777777'), WHITE)).toBeCloseTo(4.48, 2);
    expect(contrastRatio(hex('#767676'), WHITE)).toBeCloseTo(4.54, 2);
    // The two pairs of issue #16: dark primary button on hover, and the checked segment's ring.
    expect(formatRatio(contrastRatio(WHITE, hex('#a9c3ff')))).toBe('1.75:1');
    expect(formatRatio(contrastRatio(hex('#1b459f'), hex('#2457c5')))).toBe('1.35:1');
  });
  it('rounds down in messages, so 4.499 never reads as 4.50', () => {
    expect(formatRatio(4.499)).toBe('4.49:1');
    expect(formatRatio(21)).toBe('21.00:1');
  });
  it('knows large text: 24 px, or 18.66 px bold', () => {
    expect(isLargeText(24, 400)).toBe(true);
    expect(isLargeText(18.66, 700)).toBe(true);
    expect(isLargeText(18.66, 600)).toBe(false);
    expect(isLargeText(21, 650)).toBe(false);
    expect(isLargeText(14, 700)).toBe(false);
    expect(textThreshold(14, 400)).toBe(4.5);
    expect(textThreshold(24, 400)).toBe(3);
  });
});

describe('alpha compositing', () => {
  it('paints a translucent colour over what is beneath', () => {
    expect(toHex(over({ ...BLACK, a: 0.5 }, WHITE))).toBe('#808080');
    expect(over(TRANSPARENT, TRANSPARENT)).toEqual(TRANSPARENT);
    expect(over(WHITE, BLACK)).toEqual(WHITE);
    // Two half-transparent layers over nothing: 75 % covered.
    expect(over({ ...WHITE, a: 0.5 }, { ...BLACK, a: 0.5 }).a).toBeCloseTo(0.75, 6);
  });
  it('flattens through transparent and translucent ancestors down to the first opaque one', () => {
    const panel = { background: hex('#1f2229'), opacity: 1 };
    const clear = { background: TRANSPARENT, opacity: 1 };
    expect(toHex(flatten(TRANSPARENT, [clear, clear, panel]))).toBe('#1f2229');
    expect(toHex(flatten({ ...WHITE, a: 0.1 }, [clear, panel]))).toBe('#35383e');
    // Nothing opaque: the canvas (white) shows.
    expect(toHex(flatten(TRANSPARENT, [clear]))).toBe('#ffffff');
  });
  it('applies opacity to all a layer paints: a disabled button fades into its surface', () => {
    const button = { background: hex('#2457c5'), opacity: 0.5 };
    const panel = { background: WHITE, opacity: 1 };
    const fill = flatten(TRANSPARENT, [button, panel]);
    const text = flatten(WHITE, [button, panel]);
    expect(toHex(fill)).toBe('#92abe2');
    expect(toHex(text)).toBe('#ffffff');
    expect(contrastRatio(text, fill)).toBeLessThan(2.5);
    expect(contrastRatio(flatten(WHITE, [{ ...button, opacity: 1 }, panel]), flatten(TRANSPARENT, [{ ...button, opacity: 1 }, panel]))).toBeGreaterThan(6);
  });
});

describe('box-shadow', () => {
  it('splits the computed list, colours with commas included', () => {
    expect(parseBoxShadow('none')).toEqual([]);
    const shadows = parseBoxShadow('rgb(31, 34, 41) 0px 0px 0px 2px, rgba(141, 176, 255, 0.5) 0px 0px 0px 4px inset');
    expect(shadows).toEqual([
      { colour: { r: 31, g: 34, b: 41, a: 1 }, x: 0, y: 0, blur: 0, spread: 2, inset: false },
      { colour: { r: 141, g: 176, b: 255, a: 0.5 }, x: 0, y: 0, blur: 0, spread: 4, inset: true },
    ]);
    expect(parseBoxShadow('rgba(16, 24, 40, 0.06) 0px 1px 2px 0px')[0]).toMatchObject({ y: 1, blur: 2, spread: 0 });
  });
});

describe('focus indicators', () => {
  const primary = hex('#2457c5');
  const panel = WHITE;
  const rest: EdgeStyle = { fill: primary, surface: panel, border: { width: 1, colour: primary }, outline: null, shadows: [] };
  const ring = (colour: string, offset: number, width = 2) => ({ ...rest, outline: { width, offset, colour: hex(colour) } });

  it('an inset ring is judged against the fill on both sides (the 1.35:1 of the issue)', () => {
    const verdict = focusIndicator(rest, ring('#1b459f', -3));
    expect(formatRatio(verdict.ratio)).toBe('1.35:1');
    expect(toHex(verdict.inside!)).toBe('#2457c5');
    expect(toHex(verdict.outside!)).toBe('#2457c5');
    expect(verdict.width).toBe(2);
  });
  it('a ring offset outside the control is judged against the surface it sits on', () => {
    const verdict = focusIndicator(rest, ring('#2457c5', 2));
    expect(toHex(verdict.ring!)).toBe('#2457c5');
    expect(toHex(verdict.inside!)).toBe('#ffffff');
    expect(verdict.ratio).toBeCloseTo(contrastRatio(primary, panel), 6);
  });
  it('a ring flush with a fill of its own colour only makes the control look bigger', () => {
    expect(focusIndicator(rest, ring('#2457c5', 0)).ratio).toBeCloseTo(1, 6);
  });
  it('a two-colour ring: an inner gap of the panel colour, then the focus colour', () => {
    const dark = { fill: hex('#3a64c2'), surface: hex('#1f2229'), border: { width: 0, colour: TRANSPARENT }, outline: null, shadows: [] };
    const two = { ...dark, shadows: parseBoxShadow('rgb(31, 34, 41) 0px 0px 0px 2px, rgb(141, 176, 255) 0px 0px 0px 4px') };
    const verdict = focusIndicator(dark, two);
    expect(toHex(verdict.ring!)).toBe('#8db0ff');
    expect(verdict.ratio).toBeGreaterThan(7);
    expect(verdict.width).toBe(2);
  });
  it('no change on focus is no indicator', () => {
    expect(focusIndicator(rest, rest)).toEqual({ ratio: 1, ring: null, inside: null, outside: null, width: 0 });
  });
  it('a border that turns to the focus colour, with an outline beside it, is one band', () => {
    const input: EdgeStyle = { fill: WHITE, surface: WHITE, border: { width: 1, colour: hex('#c4cad3') }, outline: null, shadows: [] };
    const focused = { ...input, border: { width: 1, colour: primary }, outline: { width: 2, offset: 0, colour: primary } };
    const verdict = focusIndicator(input, focused);
    expect(verdict.width).toBe(3);
    expect(verdict.ratio).toBeCloseTo(contrastRatio(primary, WHITE), 6);
  });
  it('profiles half-pixel samples across the edge', () => {
    expect(edgeProfile(rest)).toHaveLength(48);
  });
});

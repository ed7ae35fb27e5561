// Contrast in every state (issue #16, item 10): in the light theme, the dark theme chosen in the
// sidebar and the dark theme followed from the OS, every control of the window is measured at rest,
// on hover, with keyboard focus (:focus-visible), pressed (:active) and disabled: buttons of each
// kind (the header's, the action bar's test button and Cancel test, the report's, the small ones in
// a field's note), the listbox of saved connections (its options selected, active with the list
// focused, hovered), the sidebar's separator (its focus and hover line), the form's tabs (each one
// unselected and selected, hovered, pressed, focused, with their error count and "!" badges), the
// Yes/No segments, inputs, selects, links, disclosure toggles, and the boxes that hold text: badges,
// chips, field notes, the pinned-key box, the delete confirmation row. The colours are read with
// getComputedStyle and judged in tests/support/contrast.ts: translucent backgrounds composited over
// the ones beneath, text ≥ 4.5:1 (3:1 when large), a focus indicator ≥ 3:1 against the colours
// beside it, input boundaries ≥ 3:1 against their surface, and a disabled button that looks
// disabled while an enabled one does not. All the window's other text is measured at rest.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { issueCertificate } from '../../tools/certificates';
import { expect, result, SCREENSHOTS, test } from '../support/app-fixture';
import { openSection, testButton } from '../support/connection-form';
import {
  contrastRatio,
  flatten,
  focusIndicator,
  formatRatio,
  parseBoxShadow,
  parseColor,
  textThreshold,
  toHex,
  TRANSPARENT,
  type EdgeStyle,
  type Layer,
  type Rgba,
} from '../support/contrast';
import { httpsPeer, silentPeer, type Peer } from '../support/peers';

// Sharp pictures of the states (test-results/screenshots/contrast-<theme>-*.png); CSS pixels unchanged.
test.use({ deviceScaleFactor: 2 });

// --- What the page reports (read in Chromium, judged here) --------------------------------------

interface RawLayer {
  background: string;
  opacity: number;
}
interface RawText {
  label: string;
  colour: string;
  layers: RawLayer[];
  fontSize: number;
  fontWeight: number;
}
interface Reading {
  visible: boolean;
  inViewport: boolean;
  /** :disabled, or aria-disabled (a button kept focusable while it cannot act, as "Testing connection…"). */
  disabled: boolean;
  /** :disabled only: what looks disabled (faded) and is exempt from contrast. */
  nativeDisabled: boolean;
  focusVisible: boolean;
  layers: RawLayer[];
  /** The widest side's border (a boundary's), and each side's (top, right, bottom, left). */
  border: { width: number; colour: string };
  borders: { width: number; colour: string }[];
  outline: { style: string; width: number; offset: number; colour: string };
  boxShadow: string;
  texts: RawText[];
  /** data-separator of a react-resizable-panels separator (inactive, hover, focus, active). */
  separatorState: string | null;
}
interface Control {
  id: string;
  kind: string;
  label: string;
  focusable: boolean;
  disabled: boolean;
  inViewport: boolean;
  /** Pressing it (mouse down) shows :active; text fields and selects are not pressed. */
  pressable: boolean;
  hoverable: boolean;
  /** A component whose border is what shows where it is (WCAG 1.4.11). */
  boundary: boolean;
}

/** The kinds of control, in the order they are recognised: the first selector an element matches. */
const KINDS: readonly (readonly [kind: string, selector: string])[] = [
  ['.button-primary', '.button-primary'],
  ['.button-danger', '.button-danger'],
  ['.button-quiet', '.button-quiet'],
  ['.button-small', '.button-small'],
  ['.button', '.button'],
  ['.link-button', '.link-button'],
  ['.nav-item', '.nav-item'],
  ['.connection-item', '[role="option"]'],
  ['separator', '[role="separator"]'],
  ['.segment', '.segment'],
  ['tab', '[role="tab"]'],
  ['section toggle', 'summary'],
  ['link', 'a[href]'],
  ['checkbox', 'input[type="checkbox"], input[type="radio"]'],
  ['input', 'input:not([type="checkbox"]):not([type="radio"]):not([type="hidden"]):not([type="file"]), textarea'],
  ['select', 'select'],
  // Boxes that hold text: measured at rest (their text, and what is in them).
  ['.badge', '.badge'],
  ['.tab-count', '.tab-count'],
  ['.tab-mark', '.tab-mark'],
  ['.chip', '.chip'],
  ['.field-note', '.field-note'],
  ['.pinned-key', '.pinned-key'],
  ['.confirm-row', '.confirm-row'],
  ['.segmented', '.segmented'],
];
/** Boxes: not focused, hovered or pressed. */
const BOXES = new Set(['.badge', '.tab-count', '.tab-mark', '.chip', '.field-note', '.pinned-key', '.confirm-row', '.segmented']);
/** Walked by their own functions (they are not focused, or selected by focus, one by one). */
const OWN_WALK = new Set(['tab', '.connection-item', 'separator']);

/** The kinds each theme must have met somewhere; one that is absent is skipped, with a message. */
const EXPECTED = [
  '.button-primary',
  '.button-danger',
  '.button-quiet',
  '.button-small',
  '.button',
  '.nav-item',
  '.connection-item[aria-selected=true]',
  '.connection-item[aria-selected=false]',
  '.connection-item:focus (active)',
  'separator',
  '.segment[data-state=checked]',
  '.segment[data-state=unchecked]',
  'tab[aria-selected=true]',
  'tab[aria-selected=false]',
  '.tab-count',
  '.tab-mark',
  'section toggle',
  'link',
  'input',
  'select',
  '.badge',
  '.chip',
  '.field-note',
  '.pinned-key',
  '.confirm-row',
];

/**
 * Failures in rules of files this branch does not own (pane.css, views.css): reported in the output
 * and the test's annotations, not failed on, until their owners change the rule. An entry that no
 * longer fails says so, so that it is removed.
 */
const ELSEWHERE: readonly { match: RegExp; themes: readonly string[]; rule: string; fix: string }[] = [];

type Browser = {
  document: {
    querySelectorAll(selector: string): ArrayLike<unknown>;
    querySelector(selector: string): unknown;
    activeElement: { blur?: () => void } | null;
    getAnimations(): { constructor: { name: string }; finished: Promise<unknown> }[];
  };
  getComputedStyle(element: unknown, pseudo?: string): Record<string, string>;
  innerWidth: number;
  innerHeight: number;
};
type PageNode = {
  nodeType: number;
  textContent: string | null;
  tagName: string;
  parentElement: PageNode | null;
  childNodes: ArrayLike<PageNode>;
  className: unknown;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  matches(selector: string): boolean;
  closest(selector: string): PageNode | null;
  querySelectorAll(selector: string): ArrayLike<PageNode>;
  getBoundingClientRect(): { left: number; top: number; right: number; bottom: number; width: number; height: number };
  checkVisibility(options?: object): boolean;
  value?: string;
  placeholder?: string;
};

/**
 * Runs in the page: everything each element's colours depend on, and those of each piece of text in
 * it (its own and its descendants'), as computed now. Self-contained: Playwright sends its source.
 */
function readElements(elements: unknown[]): Reading[] {
  const w = globalThis as unknown as Browser;
  return elements.map((element) => one(element as PageNode));
  function one(el: PageNode): Reading {
    const layersOf = (node: PageNode): RawLayer[] => {
      const layers: RawLayer[] = [];
      for (let n: PageNode | null = node; n; n = n.parentElement) {
        const s = w.getComputedStyle(n);
        layers.push({ background: s.backgroundColor ?? 'transparent', opacity: Number(s.opacity ?? 1) });
      }
      return layers;
    };
    const shown = (node: PageNode): boolean => {
      const r = node.getBoundingClientRect();
      return r.width > 1 && r.height > 1 && node.checkVisibility({ visibilityProperty: true }) && !node.closest('[aria-hidden="true"]');
    };
    const ownText = (node: PageNode): string =>
      Array.from(node.childNodes)
        .filter((c) => c.nodeType === 3)
        .map((c) => c.textContent ?? '')
        .join('')
        .replace(/\s+/g, ' ')
        .trim();
    const textOf = (node: PageNode, label: string, pseudo?: string): RawText => {
      const s = w.getComputedStyle(node, pseudo);
      return { label, colour: s.color ?? '', layers: layersOf(node), fontSize: parseFloat(s.fontSize ?? ''), fontWeight: Number(s.fontWeight) };
    };
    const texts: RawText[] = [];
    for (const node of [el, ...Array.from(el.querySelectorAll('*'))]) {
      if (node.closest('svg') || node.tagName === 'OPTION' || !shown(node)) continue;
      const text = ownText(node);
      if (text) texts.push(textOf(node, text.slice(0, 40)));
    }
    // What a text field or select shows: its value, else its placeholder.
    if ((el.tagName === 'INPUT' && !el.matches('[type="checkbox"], [type="radio"], [type="range"], [type="color"]')) || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') {
      if (el.value) texts.push(textOf(el, el.tagName === 'SELECT' ? `value "${el.value}"` : 'value'));
      else if (el.placeholder) texts.push(textOf(el, `placeholder "${el.placeholder.slice(0, 30)}"`, '::placeholder'));
    }
    const s = w.getComputedStyle(el);
    const sides = ['Top', 'Right', 'Bottom', 'Left'].map((side) => ({ width: parseFloat(s[`border${side}Width`] ?? '') || 0, colour: s[`border${side}Color`] ?? 'transparent' }));
    const border = sides.reduce((a, b) => (b.width > a.width ? b : a));
    const r = el.getBoundingClientRect();
    return {
      visible: shown(el),
      inViewport: r.top >= 0 && r.left >= 0 && r.bottom <= w.innerHeight && r.right <= w.innerWidth,
      disabled: el.matches(':disabled') || el.getAttribute('aria-disabled') === 'true',
      nativeDisabled: el.matches(':disabled'),
      focusVisible: el.matches(':focus-visible'),
      layers: layersOf(el),
      border,
      borders: sides,
      outline: { style: s.outlineStyle ?? 'none', width: parseFloat(s.outlineWidth ?? '') || 0, offset: parseFloat(s.outlineOffset ?? '') || 0, colour: s.outlineColor ?? 'transparent' },
      boxShadow: s.boxShadow ?? 'none',
      texts,
      separatorState: el.getAttribute('data-separator'),
    };
  }
}

// --- Judging ------------------------------------------------------------------------------------

const layers = (raw: RawLayer[]): Layer[] => raw.map((l) => ({ background: parseColor(l.background), opacity: l.opacity }));
const hex = (c: ReturnType<typeof parseColor>): string => toHex(c).replace(/^#(.)\1(.)\2(.)\3$/, '#$1$2$3');

/** What the control paints across one of its edges: the widest border's, or that of side `side` (0 top … 3 left). */
function edgeOf(reading: Reading, side?: number): EdgeStyle {
  const own = layers(reading.layers);
  const o = reading.outline;
  const border = side === undefined ? reading.border : (reading.borders[side] ?? reading.border);
  return {
    fill: flatten(TRANSPARENT, own),
    surface: flatten(TRANSPARENT, own.slice(1)),
    border: { width: border.width, colour: parseColor(border.colour) },
    outline: o.style !== 'none' && o.width > 0 ? { width: o.width, offset: o.offset, colour: parseColor(o.colour) } : null,
    shadows: parseBoxShadow(reading.boxShadow),
  };
}

interface Measure {
  what: string;
  ratio: number;
  needs: number;
  detail: string;
}

function textMeasures(where: string, text: RawText): Measure {
  const stack = layers(text.layers);
  const fg = flatten(parseColor(text.colour), stack);
  const bg = flatten(TRANSPARENT, stack);
  const ratio = contrastRatio(fg, bg);
  const needs = textThreshold(text.fontSize, text.fontWeight);
  return { what: `${where} "${text.label}"`, ratio, needs, detail: `text ${hex(fg)} on ${hex(bg)} = ${formatRatio(ratio)}` };
}

class Findings {
  readonly measures: Measure[] = [];
  readonly kinds = new Set<string>();
  constructor(readonly theme: string) {}
  add(measure: Measure): void {
    this.measures.push(measure);
  }
  failures(): string[] {
    const lines = this.measures.filter((m) => m.ratio < m.needs).map((m) => `${this.theme} ${m.what} ${m.detail} (needs ${m.needs}:1)`);
    return [...new Set(lines)];
  }
}

// --- Driving the window -------------------------------------------------------------------------

const NEUTRAL = { x: 2, y: 2 };

/** No hover, no focus, transitions done. */
async function reset(app: Page): Promise<void> {
  await app.mouse.move(NEUTRAL.x, NEUTRAL.y);
  await app.evaluate(async () => {
    const w = globalThis as unknown as Browser;
    w.document.activeElement?.blur?.();
    await Promise.all(w.document.getAnimations().filter((a) => a.constructor.name === 'CSSTransition').map((a) => a.finished.catch(() => null)));
  });
}

async function settle(app: Page): Promise<void> {
  await app.evaluate(async () => {
    const w = globalThis as unknown as Browser;
    await Promise.all(w.document.getAnimations().filter((a) => a.constructor.name === 'CSSTransition').map((a) => a.finished.catch(() => null)));
  });
}

/** Keyboard modality, then focus: Chromium matches :focus-visible as after a Tab. */
async function keyboardFocus(app: Page, target: Locator): Promise<void> {
  await app.keyboard.press('Shift');
  await target.focus();
  await settle(app);
}

let counter = 0;

/** Marks each visible control under `scope` and says what it is. */
async function controlsIn(app: Page, scope: string): Promise<Control[]> {
  const found = await app.evaluate(
    ({ scope, kinds, boxes, start }) => {
      const w = globalThis as unknown as Browser;
      const controls: Control[] = [];
      let n = start;
      const roots = Array.from(w.document.querySelectorAll(scope)) as PageNode[];
      const seen = new Set<PageNode>();
      for (const root of roots) {
        for (const el of [root, ...Array.from(root.querySelectorAll('*'))]) {
          if (seen.has(el)) continue;
          const kind = kinds.find(([, selector]) => el.matches(selector))?.[0];
          if (!kind) continue;
          seen.add(el);
          const r = el.getBoundingClientRect();
          const visible = r.width > 1 && r.height > 1 && el.checkVisibility({ visibilityProperty: true });
          // The skip link is out of sight until focused; everything else must show to count.
          if (!visible && kind !== 'link') continue;
          const id = `c${n++}`;
          el.setAttribute('data-contrast', id);
          const state = el.getAttribute('data-state');
          const selected = el.getAttribute('aria-selected');
          const full = kind === '.segment' && state ? `.segment[data-state=${state}]` : (kind === 'tab' || kind === '.connection-item') && selected ? `${kind}[aria-selected=${selected}]` : kind;
          // Its name, roughly as a screen reader says it: aria-label, its label, or its text.
          const labelled = el.getAttribute('aria-labelledby');
          const byId = labelled ? (w.document.querySelector(`[id="${labelled.split(' ')[0]}"]`) as PageNode | null) : null;
          const labels = (el as unknown as { labels?: ArrayLike<PageNode> }).labels;
          const named = el.getAttribute('aria-label') ?? byId?.textContent ?? (labels?.[0]?.textContent ?? null);
          const text = (kind === 'select' || kind === 'input' || kind === 'checkbox' ? (named ?? el.getAttribute('placeholder') ?? '') : (el.getAttribute('aria-label') ?? el.textContent ?? '')).replace(/\s+/g, ' ').trim();
          const disabled = el.matches(':disabled') || el.getAttribute('aria-disabled') === 'true';
          const inViewport = r.top >= 0 && r.left >= 0 && r.bottom <= w.innerHeight && r.right <= w.innerWidth;
          const field = kind === 'input' || kind === 'select' || kind === 'checkbox';
          const box = boxes.includes(kind);
          controls.push({
            id,
            kind: full,
            label: text.slice(0, 36) || (el.getAttribute('id') ?? el.tagName.toLowerCase()),
            focusable: !box,
            disabled,
            inViewport,
            pressable: !field && !box,
            hoverable: !box,
            boundary: kind === 'input' || kind === 'select' || kind === '.segmented',
          });
        }
      }
      return controls;
    },
    { scope, kinds: KINDS as unknown as [string, string][], boxes: [...BOXES], start: counter },
  );
  counter += found.length;
  return found;
}

async function read(target: Locator): Promise<Reading> {
  const [reading] = await target.evaluateAll(readElements);
  if (!reading) throw new Error('The control has gone from the page.');
  return reading;
}

interface Walk {
  findings: Findings;
  /** Per kind, what a disabled and an enabled-and-hovered control showed (the "looks disabled" check). */
  disabled: Map<string, { label: string; ratio: number; opacity: number }>;
  hovered: Map<string, { label: string; ratio: number }>;
  shots: { theme: string; wanted: Set<string> };
}

function minTextRatio(where: string, reading: Reading): { ratio: number; measure: Measure | null } {
  let best: Measure | null = null;
  for (const text of reading.texts) {
    const m = textMeasures(where, text);
    if (!best || m.ratio < best.ratio) best = m;
  }
  return { ratio: best?.ratio ?? 21, measure: best };
}

/** A picture of a control in a state, with a margin for its focus ring. */
async function picture(app: Page, target: Locator, name: string): Promise<void> {
  const box = await target.boundingBox();
  if (!box) return;
  const m = 16;
  await app.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), clip: { x: Math.max(0, box.x - m), y: Math.max(0, box.y - m), width: box.width + 2 * m, height: box.height + 2 * m } });
}

async function shoot(app: Page, walk: Walk, kind: string, state: string, target: Locator): Promise<void> {
  const key = `${kind.replace(/\[(?:data-state|aria-selected)=(\w+)\]/, '-$1').replace(/^\./, '')}-${state}`;
  if (!walk.shots.wanted.has(key)) return;
  walk.shots.wanted.delete(key);
  // A segment is seen with its group: the ring against both its neighbour and the panel.
  await picture(app, kind.startsWith('.segment') ? target.locator('xpath=..') : target, `contrast-${walk.shots.theme}-${key}`);
}

/**
 * The focus indicator, from the reading at rest to the one focused: the best of its four sides (a
 * selected tab's underline hides the ring along its bottom edge, not along the others).
 */
function judgeFocus(f: Findings, what: string, rest: Reading, focused: Reading): void {
  const v = [0, 1, 2, 3].map((side) => focusIndicator(edgeOf(rest, side), edgeOf(focused, side))).reduce((a, b) => (b.ratio > a.ratio ? b : a));
  const detail = v.ring ? `ring ${hex(v.ring)} (${v.width}px) beside ${hex(v.inside!)} inside / ${hex(v.outside!)} outside = ${formatRatio(v.ratio)}` : 'no focus indicator (nothing changes on focus)';
  f.add({ what, ratio: v.ratio, needs: 3, detail });
}

/** Every control under `scope`, in every state it has (tabs, options and the separator excepted: see below). */
async function walkControls(app: Page, walk: Walk, screen: string, scope: string): Promise<void> {
  const f = walk.findings;
  await reset(app);
  for (const control of await controlsIn(app, scope)) {
    if (OWN_WALK.has(control.kind.replace(/\[.*$/, ''))) continue;
    const target = app.locator(`[data-contrast="${control.id}"]`);
    const name = `${screen}: ${control.kind}`;
    f.kinds.add(control.kind);
    const rest = await read(target);
    if (rest.nativeDisabled) {
      // Exempt from text contrast (WCAG 1.4.3), but kept to compare with an enabled one.
      const { ratio } = minTextRatio(name, rest);
      const opacity = rest.layers.reduce((o, l) => o * l.opacity, 1);
      if (!walk.disabled.has(control.kind)) walk.disabled.set(control.kind, { label: control.label, ratio, opacity });
      continue;
    }
    // Also aria-disabled ones ("Testing connection…"): still focusable and read, so still legible.
    for (const text of rest.texts) f.add(textMeasures(name, text));
    if (control.boundary && rest.border.width > 0) {
      const edge = edgeOf(rest);
      const border = flatten(parseColor(rest.border.colour), [{ background: edge.fill, opacity: 1 }]);
      const ratio = contrastRatio(border, edge.surface);
      f.add({ what: `${name} "${control.label}" boundary`, ratio, needs: 3, detail: `border ${hex(border)} on ${hex(edge.surface)} = ${formatRatio(ratio)}` });
    }
    if (control.hoverable && control.inViewport && rest.visible) {
      await target.hover();
      await settle(app);
      const hover = await read(target);
      for (const text of hover.texts) f.add(textMeasures(`${name}:hover`, text));
      const { ratio } = minTextRatio(name, hover);
      if (!walk.hovered.has(control.kind) && !hover.disabled) walk.hovered.set(control.kind, { label: control.label, ratio });
      await shoot(app, walk, control.kind, 'hover', target);
      if (control.pressable) {
        await app.mouse.down();
        await settle(app);
        const active = await read(target);
        for (const text of active.texts) f.add(textMeasures(`${name}:active`, text));
        // Let go elsewhere: no click, nothing is done.
        await app.mouse.move(NEUTRAL.x, NEUTRAL.y);
        await app.mouse.up();
      }
      await reset(app);
    }
    if (control.focusable) {
      await keyboardFocus(app, target);
      const focused = await read(target);
      if (!focused.focusVisible) {
        f.add({ what: `${name}:focus-visible "${control.label}"`, ratio: 1, needs: 3, detail: 'did not match :focus-visible after keyboard focus' });
      } else {
        for (const text of focused.texts) f.add(textMeasures(`${name}:focus-visible`, text));
        judgeFocus(f, `${name}:focus-visible "${control.label}"`, rest, focused);
        await shoot(app, walk, control.kind, 'focus', target);
      }
      await reset(app);
    }
  }
}

/**
 * The form's tabs. Radix selects a tab on mouse down and on focus, so each is measured unselected
 * (at rest, on hover) while another is selected, then selected in turn: at rest, on hover, pressed
 * and with keyboard focus. Their badges (error count, "!") are in their text, and measured as
 * boxes too. The tab that was selected is selected again at the end.
 */
async function walkTabs(app: Page, walk: Walk, screen: string): Promise<void> {
  const f = walk.findings;
  await reset(app);
  const found = await controlsIn(app, 'form[aria-label="Connection settings"] [role="tablist"]');
  for (const badge of found.filter((c) => BOXES.has(c.kind))) {
    f.kinds.add(badge.kind);
    for (const text of (await read(app.locator(`[data-contrast="${badge.id}"]`))).texts) f.add(textMeasures(`${screen}: ${badge.kind}`, text));
  }
  const tabs = found.filter((c) => c.kind.startsWith('tab'));
  const selectedBefore = tabs.find((c) => c.kind === 'tab[aria-selected=true]');
  const at = (c: Control): Locator => app.locator(`[data-contrast="${c.id}"]`);
  for (const tab of tabs.filter((c) => c !== selectedBefore)) {
    const name = `${screen}: tab[aria-selected=false]`;
    f.kinds.add('tab[aria-selected=false]');
    const rest = await read(at(tab));
    for (const text of rest.texts) f.add(textMeasures(name, text));
    await at(tab).hover();
    await settle(app);
    for (const text of (await read(at(tab))).texts) f.add(textMeasures(`${name}:hover`, text));
    await shoot(app, walk, 'tab[aria-selected=false]', 'hover', at(tab));
    await reset(app);
  }
  for (const tab of tabs) {
    const name = `${screen}: tab[aria-selected=true]`;
    f.kinds.add('tab[aria-selected=true]');
    await at(tab).click();
    await expect(at(tab)).toHaveAttribute('aria-selected', 'true');
    await reset(app);
    const rest = await read(at(tab));
    for (const text of rest.texts) f.add(textMeasures(name, text));
    await at(tab).hover();
    await settle(app);
    for (const text of (await read(at(tab))).texts) f.add(textMeasures(`${name}:hover`, text));
    await app.mouse.down();
    await settle(app);
    for (const text of (await read(at(tab))).texts) f.add(textMeasures(`${name}:active`, text));
    await app.mouse.move(NEUTRAL.x, NEUTRAL.y);
    await app.mouse.up();
    await reset(app);
    await keyboardFocus(app, at(tab));
    const focused = await read(at(tab));
    if (!focused.focusVisible) f.add({ what: `${name}:focus-visible "${tab.label}"`, ratio: 1, needs: 3, detail: 'did not match :focus-visible after keyboard focus' });
    else {
      for (const text of focused.texts) f.add(textMeasures(`${name}:focus-visible`, text));
      judgeFocus(f, `${name}:focus-visible "${tab.label}"`, rest, focused);
      await shoot(app, walk, 'tab[aria-selected=true]', 'focus', at(tab));
    }
    await reset(app);
  }
  if (selectedBefore) await at(selectedBefore).click();
  await reset(app);
}

const connectionList = (app: Page) => app.getByRole('listbox', { name: 'Saved connections' });

/**
 * The listbox's options: at rest and on hover (selected or not), then the list focused from the
 * keyboard: the active option (the selected one, then the next after ArrowDown) draws the focus.
 */
async function walkOptions(app: Page, walk: Walk, screen: string): Promise<void> {
  const f = walk.findings;
  await reset(app);
  const options = (await controlsIn(app, '[role="listbox"]')).filter((c) => c.kind.startsWith('.connection-item'));
  const rests = new Map<string, Reading>();
  for (const option of options) {
    const target = app.locator(`[data-contrast="${option.id}"]`);
    const name = `${screen}: ${option.kind}`;
    f.kinds.add(option.kind);
    const rest = await read(target);
    rests.set((await target.getAttribute('id')) ?? option.id, rest);
    for (const text of rest.texts) f.add(textMeasures(name, text));
    await target.hover();
    await settle(app);
    for (const text of (await read(target)).texts) f.add(textMeasures(`${name}:hover`, text));
    await shoot(app, walk, option.kind, 'hover', target);
    await reset(app);
  }
  const list = connectionList(app);
  await keyboardFocus(app, list);
  for (const step of ['the selected option', 'the next option (ArrowDown)']) {
    if (step !== 'the selected option') await app.keyboard.press('ArrowDown');
    const id = await list.getAttribute('aria-activedescendant');
    const active = app.locator(`[id="${id}"]`);
    await settle(app);
    const focused = await read(active);
    const rest = rests.get(id ?? '');
    const name = `${screen}: .connection-item:focus (active), ${step}`;
    f.kinds.add('.connection-item:focus (active)');
    for (const text of focused.texts) f.add(textMeasures(name, text));
    if (rest) judgeFocus(f, name, rest, focused);
    await shoot(app, walk, '.connection-item', 'focus', active);
  }
  await reset(app);
}

/**
 * The sidebar's separator: a 1 px line (and on focus a 1 px ring) between two transparent 2 px
 * borders, over the sidebar's edge and the pane. Its line must stand out ≥ 3:1 from what is beside
 * it: the sidebar's border and the pane's background (hover); on focus, the ring also from the
 * sidebar's background.
 */
async function walkSeparator(app: Page, walk: Walk, screen: string): Promise<void> {
  const f = walk.findings;
  f.kinds.add('separator');
  const separator = app.getByRole('separator', { name: 'Resize the connection list' });
  await reset(app);
  const [sidebar, main] = await app.locator('.sidebar, .main').evaluateAll(readElements);
  if (!sidebar || !main) throw new Error('No sidebar or main pane.');
  const sidebarBg = flatten(TRANSPARENT, layers(sidebar.layers));
  const sidebarEdge = flatten(parseColor(sidebar.border.colour), layers(sidebar.layers));
  const mainBg = flatten(TRANSPARENT, layers(main.layers));
  const judge = (state: string, reading: Reading): void => {
    const what = `${screen}: separator:${state}`;
    if (reading.separatorState !== state) {
      f.add({ what, ratio: 1, needs: 3, detail: `data-separator is "${reading.separatorState}", not "${state}"` });
      return;
    }
    const line = flatten(parseColor(reading.layers[0]?.background ?? 'transparent'), [], mainBg);
    const beside: [string, Rgba][] = [
      ['sidebar border', sidebarEdge],
      ['pane', mainBg],
    ];
    const lineRatio = Math.min(...beside.map(([, c]) => contrastRatio(line, c)));
    f.add({ what: `${what} line`, ratio: lineRatio, needs: 3, detail: `line ${hex(line)} beside ${beside.map(([n, c]) => `${n} ${hex(c)}`).join(', ')} = ${formatRatio(lineRatio)}` });
    for (const shadow of parseBoxShadow(reading.boxShadow).filter((s) => s.spread > 0 && !s.inset)) {
      const ring = flatten(shadow.colour, [], mainBg);
      const ringRatio = Math.min(contrastRatio(ring, sidebarBg), contrastRatio(ring, mainBg));
      f.add({ what: `${what} ring`, ratio: ringRatio, needs: 3, detail: `ring ${hex(ring)} beside sidebar ${hex(sidebarBg)}, pane ${hex(mainBg)} = ${formatRatio(ringRatio)}` });
    }
  };
  await separator.hover();
  await settle(app);
  judge('hover', await read(separator));
  await reset(app);
  await keyboardFocus(app, separator);
  judge('focus', await read(separator));
  await picture(app, separator, `contrast-${walk.shots.theme}-separator-focus`);
  await reset(app);
}

/** All other visible text on the screen, at rest. */
async function sweepText(app: Page, walk: Walk, screen: string): Promise<void> {
  await reset(app);
  const texts = await app.evaluate(() => {
    const w = globalThis as unknown as Browser;
    const found: { id: string; label: string }[] = [];
    let n = 0;
    for (const old of Array.from(w.document.querySelectorAll('[data-contrast-text]')) as PageNode[]) old.setAttribute('data-contrast-text', '');
    for (const el of Array.from(w.document.querySelectorAll('body *')) as PageNode[]) {
      if (el.closest('svg, option, [aria-hidden="true"], .visually-hidden, :disabled, [aria-disabled="true"]')) continue;
      const own = Array.from(el.childNodes)
        .filter((c) => c.nodeType === 3)
        .map((c) => c.textContent ?? '')
        .join('')
        .trim();
      const r = el.getBoundingClientRect();
      if (!own || r.width <= 1 || r.height <= 1 || !el.checkVisibility({ visibilityProperty: true })) continue;
      const id = `t${n++}`;
      el.setAttribute('data-contrast-text', id);
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      found.push({ id, label: `${el.tagName.toLowerCase()}${cls}` });
    }
    return found;
  });
  const readings = await app.locator('[data-contrast-text^="t"]').evaluateAll(readElements);
  const labels = await app.locator('[data-contrast-text^="t"]').evaluateAll((els) => els.map((el) => (el as PageNode).getAttribute('data-contrast-text')));
  const byId = new Map(texts.map((t) => [t.id, t.label]));
  readings.forEach((reading, i) => {
    const own = reading.texts[0];
    const label = byId.get(labels[i] ?? '');
    if (own && label) walk.findings.add(textMeasures(`${screen}: ${label}`, own));
  });
}

/** Opens every closed disclosure in the pane, so that what is inside is measured too. */
async function openDisclosures(app: Page): Promise<void> {
  for (let i = 0; i < 12; i++) {
    const closed = app.locator('main details:not([open]) > summary').filter({ visible: true });
    if ((await closed.count()) === 0) break;
    await closed.first().click();
  }
}

// --- The window, with data ------------------------------------------------------------------------

const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const WRONG_TOKEN = 'Wg7ASgddKzXwEStPoUvMDzwYO3NDFj';

const THEMES = [
  { name: 'light', os: 'light', choice: 'light', scheme: 'light' },
  { name: 'dark', os: 'light', choice: 'dark', scheme: 'dark' },
  { name: 'dark-system', os: 'dark', choice: 'system', scheme: 'dark' },
] as const;

/** A server whose certificate (from a CA the connection trusts) names localhost and a wildcard, not 127.0.0.1. */
async function wrongHostServer(): Promise<{ peer: Peer; caPem: string }> {
  const ca = await issueCertificate({ commonName: 'Contrast Test CA', isCa: true });
  const leaf = await issueCertificate({ commonName: 'km.example.net', altNames: ['localhost', '*.km.example.net'], issuer: ca });
  const peer = await httpsPeer(leaf, (_req, res) => res.end('{}'));
  return { peer, caPem: ca.certPem };
}

for (const theme of THEMES) {
  test(`contrast of every control in every state: ${theme.name} theme`, async ({ app, bridge, demo, dir }) => {
    test.setTimeout(120_000);
    const started = Date.now();
    await app.setViewportSize({ width: 1440, height: 2000 });
    const service = bridge.service;
    const wrongHost = await wrongHostServer();
    const silent = await silentPeer();
    try {
      // Connections in every state the pane shows, tested by the core before the window loads.
      const verified = await service.saveConnection({ name: 'Demo (verified)', serverAddress: demo.url, apiToken: demo.token, verifyCertificate: true });
      await service.testConnection({ id: verified.id }); // self-signed: the TLS tab marked, its note
      const pinned = await service.saveConnection({ name: 'Demo (pinned)', serverAddress: demo.url, apiToken: demo.token, verifyCertificate: true });
      await service.testConnection({ id: pinned.id });
      await service.trustCertificate({ id: pinned.id, spkiSha256: demo.pin }); // the pinned-key box
      const rejected = await service.saveConnection({ name: 'Wrong token', serverAddress: demo.url, apiToken: WRONG_TOKEN, verifyCertificate: false });
      await service.testConnection({ id: rejected.id }); // the Authentication tab marked, Replace / Import
      const misnamed = await service.saveConnection({ name: 'Wrong host', serverAddress: wrongHost.peer.url, apiToken: WRONG_TOKEN, verifyCertificate: true });
      const caFile = path.join(dir, 'contrast-ca.pem');
      writeFileSync(caFile, wrongHost.caPem);
      bridge.dialogs.open = caFile;
      await service.addCaCertificate({ id: misnamed.id });
      await service.testConnection({ id: misnamed.id }); // the General tab marked, the names as chips
      await service.saveConnection({ name: 'Expiring soon', serverAddress: 'km1.example.com', verifyCertificate: true, expiresOn: inDays(5) });
      await service.saveConnection({ name: 'Expired key', serverAddress: 'km2.example.com', verifyCertificate: true, expiresOn: '2020-01-31' });
      await service.saveConnection({ name: 'Demo (unverified)', serverAddress: demo.url, apiToken: demo.token, verifyCertificate: false });
      await service.saveConnection({ name: 'Switched off', serverAddress: 'km3.example.com', verifyCertificate: false, enabled: false });
      await service.saveConnection({ name: 'Silent', serverAddress: silent.url, apiToken: WRONG_TOKEN, verifyCertificate: false });
      await app.emulateMedia({ colorScheme: theme.os });
      await app.reload();
      const list = connectionList(app);
      await expect(list.getByRole('option')).toHaveCount(9);
      const open = async (name: string): Promise<void> => {
        await list.getByRole('option', { name: new RegExp(`^${name.replace(/[()]/g, '\\$&')}`) }).click();
        await expect(app.locator('#pane-title .pane-name')).toHaveText(name);
      };

      // The theme as the admin chooses it: the sidebar's Theme select.
      await app.getByRole('combobox', { name: 'Theme' }).selectOption(theme.choice);
      await expect.poll(() => app.locator('html').evaluate((html) => (globalThis as unknown as Browser).getComputedStyle(html).colorScheme)).toBe(theme.scheme);

      const walk: Walk = {
        findings: new Findings(theme.name),
        disabled: new Map(),
        hovered: new Map(),
        shots: {
          theme: theme.name,
          wanted: new Set(['button-primary-hover', 'button-primary-focus', 'segment-checked-focus', 'segment-checked-hover', 'segment-unchecked-focus', 'tab-true-focus', 'tab-false-hover', 'connection-item-focus', 'connection-item-hover']),
        },
      };

      // A tested connection (self-signed): the sidebar, the header, the TLS tab the verdict points
      // at (its "!" and its note), the report with its Trust button and badge, the action bar.
      await open('Demo (verified)');
      await expect(result(app).getByRole('heading', { name: 'Self-signed certificate' })).toBeVisible();
      await expect(app.getByRole('tab', { name: /^TLS/ })).toHaveAttribute('aria-selected', 'true');
      await openDisclosures(app);
      await walkControls(app, walk, 'connection', 'body');
      await sweepText(app, walk, 'connection');
      await walkTabs(app, walk, 'connection');
      await walkOptions(app, walk, 'sidebar');
      await walkSeparator(app, walk, 'sidebar');
      // Each other tab's panel.
      for (const section of ['General', 'Authentication', 'Proxy', 'Key details'] as const) {
        await openSection(app, section);
        await openDisclosures(app);
        await walkControls(app, walk, `connection, ${section}`, 'main [role="tabpanel"]:not([hidden])');
        await sweepText(app, walk, `connection, ${section}`);
      }
      await openSection(app, 'TLS');

      // Delete… asks in a row under the header: Cancel and the danger button.
      await app.getByRole('button', { name: 'Delete…' }).click();
      const confirm = app.getByRole('group', { name: 'Confirm deletion' });
      await expect(confirm).toBeVisible();
      await walkControls(app, walk, 'delete', '.confirm-row');
      await sweepText(app, walk, 'delete');
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await expect(confirm).toHaveCount(0);

      // Rotate token…: a primary button, disabled until a token is pasted.
      await app.getByRole('button', { name: 'Rotate token…' }).click();
      const rotate = app.getByRole('form', { name: 'Rotate token' });
      await expect(rotate).toBeVisible();
      await walkControls(app, walk, 'rotate', 'form[aria-label="Rotate token"]');
      await app.getByRole('button', { name: 'Rotate token…' }).click();
      await expect(rotate).toHaveCount(0);

      // A pinned key: its box in the TLS tab, with Forget trusted certificate.
      await open('Demo (pinned)');
      await openSection(app, 'TLS');
      const pinBox = app.getByRole('region', { name: 'Pinned key' });
      await expect(pinBox).toBeVisible();
      await walkControls(app, walk, 'pinned', '.pinned-key');
      await sweepText(app, walk, 'pinned');

      // A rejected token: the Authentication tab marked, its field marked, the note with Replace and
      // Import from file….
      await open('Wrong token');
      await expect(app.getByRole('tab', { name: /^Authentication/ })).toHaveAttribute('aria-selected', 'true');
      await expect(app.getByRole('button', { name: 'Replace' })).toBeVisible();
      await walkControls(app, walk, 'wrong token', 'main [role="tabpanel"]:not([hidden])');
      await sweepText(app, walk, 'wrong token');

      // A certificate for another host: the General tab and the address marked, the names it has as
      // chips (a button for each name that can be used, a plain chip for a wildcard).
      await open('Wrong host');
      await expect(app.getByRole('tab', { name: /^General/ })).toHaveAttribute('aria-selected', 'true');
      await expect(app.getByRole('button', { name: 'Use localhost' })).toBeVisible();
      await expect(app.locator('.chip')).toBeVisible();
      await walkControls(app, walk, 'wrong host', 'main [role="tabpanel"]:not([hidden])');
      await sweepText(app, walk, 'wrong host');

      // Tinted banners: a token that expires soon (warning), one that has expired (error).
      await open('Expiring soon');
      await expect(app.locator('.banner-warning')).toBeVisible();
      await sweepText(app, walk, 'expiring');
      await open('Expired key');
      await expect(app.locator('.banner-error')).toBeVisible();
      await sweepText(app, walk, 'expired');

      // A disabled connection: its badge, and the buttons it disables (the test button among them).
      await open('Switched off');
      await expect(app.locator('.badge-muted')).toBeVisible();
      await walkControls(app, walk, 'disabled connection', '.pane-header, .action-bar');
      await sweepText(app, walk, 'disabled connection');
      // Enabled again: the green banner that says so.
      await app.getByRole('button', { name: 'Enable', exact: true }).click();
      await expect(app.locator('.banner-ok')).toBeVisible();
      await sweepText(app, walk, 'enabled');

      // A changed address: the note that the saved token will not follow unasked, and the action
      // bar's "Save and test connection" with its unsaved-changes status.
      await open('Demo (unverified)');
      await openSection(app, 'General');
      await app.getByLabel('Server address').fill(demo.url.replace('127.0.0.1', 'localhost'));
      await expect(testButton(app)).toHaveText('Save and test connection');
      await expect(app.locator('.field-note')).toBeVisible();
      await walkControls(app, walk, 'changed address', '.action-bar, main [role="tabpanel"]:not([hidden]) .field-note');
      await sweepText(app, walk, 'changed address');
      await app.getByLabel('Server address').fill(demo.url);
      await expect(testButton(app)).toHaveText('Test saved settings');
      // A test that passes: the green verdict, its icon and passed steps.
      await testButton(app).click();
      await expect(result(app).getByRole('heading', { name: 'Connection successful' })).toBeVisible();
      await sweepText(app, walk, 'connected');

      // A test that runs (the peer never answers; the core gives up after 5 s): "Testing
      // connection…" (aria-disabled), Cancel test and the progress in the action bar.
      await open('Silent');
      await testButton(app).click();
      await expect(testButton(app)).toHaveText('Testing connection…');
      await walkControls(app, walk, 'testing', '.action-bar');
      await sweepText(app, walk, 'testing');
      await app.getByRole('group', { name: 'Test' }).getByRole('button', { name: 'Cancel test' }).click();
      await expect(result(app).getByRole('heading', { name: /Test cancelled|timed out/i })).toBeVisible();

      // A new connection with nothing filled in, submitted: the error counts on the tabs, the
      // messages under the fields, the product's steps.
      await app.getByRole('button', { name: '+ New connection' }).click();
      await expect(app.getByRole('heading', { level: 1 })).toHaveText('New connection');
      await testButton(app).click();
      await expect(app.locator('.tab-count').first()).toBeVisible();
      await walkTabs(app, walk, 'new, errors');
      await openSection(app, 'General');
      await openDisclosures(app);
      await walkControls(app, walk, 'new, errors', 'main [role="tabpanel"]:not([hidden])');
      await sweepText(app, walk, 'new, errors');

      for (const screen of ['Audit log', 'Export and import']) {
        await app.getByRole('button', { name: screen, exact: true }).click();
        await expect(app.getByRole('heading', { level: 1, name: screen })).toBeVisible();
        await walkControls(app, walk, screen, 'main');
        await sweepText(app, walk, screen);
      }

      // What was measured, for the record (pass or fail).
      const f = walk.findings;
      console.log(`${theme.name}: ${f.measures.length} measures in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      writeFileSync(
        path.resolve(`test-results/contrast-${theme.name}.json`),
        JSON.stringify(
          f.measures.map((m) => ({ ...m, ratio: Math.floor(m.ratio * 100) / 100 })),
          null,
          1,
        ),
      );

      // Each kind of control met somewhere, or skipped with a message.
      for (const kind of EXPECTED) {
        if (![...f.kinds].some((k) => k === kind || k.startsWith(`${kind}[`))) {
          const why = `${theme.name}: no ${kind} in the window; not measured`;
          test.info().annotations.push({ type: 'skipped kind', description: why });
          console.log(why);
        }
      }

      // A disabled button looks disabled, an enabled one on hover does not (the issue's 1.76:1).
      const disabledPrimary = walk.disabled.get('.button-primary');
      const hoveredPrimary = walk.hovered.get('.button-primary');
      expect(disabledPrimary, 'a disabled .button-primary was measured').toBeDefined();
      expect(hoveredPrimary, 'an enabled .button-primary was hovered').toBeDefined();
      if (disabledPrimary && hoveredPrimary) {
        const message = `${theme.name} .button-primary:hover "${hoveredPrimary.label}" text ${formatRatio(hoveredPrimary.ratio)}, disabled "${disabledPrimary.label}" ${formatRatio(disabledPrimary.ratio)} at opacity ${disabledPrimary.opacity}`;
        expect.soft(disabledPrimary.opacity, message).toBeLessThan(0.8);
        expect.soft(hoveredPrimary.ratio, message).toBeGreaterThanOrEqual(4.5);
        expect.soft(hoveredPrimary.ratio, message).toBeGreaterThan(disabledPrimary.ratio * 1.5);
      }

      const failures = f.failures();
      const elsewhere = ELSEWHERE.filter((e) => e.themes.includes(theme.name)).map((e) => ({ ...e, hits: failures.filter((line) => e.match.test(line)) }));
      for (const e of elsewhere) {
        const note = e.hits.length > 0 ? `${e.rule} → ${e.fix}:\n  ${e.hits.join('\n  ')}` : `${e.rule}: no longer fails; remove it from ELSEWHERE`;
        test.info().annotations.push({ type: 'not this file’s rule', description: note });
        console.log(`${theme.name}: ${note}`);
      }
      const ours = failures.filter((line) => !ELSEWHERE.some((e) => e.themes.includes(theme.name) && e.match.test(line)));
      writeFileSync(path.resolve(`test-results/contrast-${theme.name}-failures.txt`), failures.join('\n'));
      expect(ours, `${ours.length} contrast failures:\n${ours.join('\n')}`).toEqual([]);
      expect(f.measures.length).toBeGreaterThan(100);
    } finally {
      await wrongHost.peer.close();
      await silent.close();
    }
  });
}

// Contrast in every state (issue #16, item 10): in the light theme, the dark theme chosen in the
// sidebar and the dark theme followed from the OS, every control of the window — buttons of each
// kind, the connection list and the sidebar's navigation, the Yes/No segments, inputs, selects,
// links, section toggles (and tabs, where the pane has them), badges — is measured at rest, on
// hover, with keyboard focus (:focus-visible), pressed (:active) and disabled. The colours are
// read with getComputedStyle and judged in tests/support/contrast.ts: translucent backgrounds
// composited over the ones beneath, text ≥ 4.5:1 (3:1 when large), a focus indicator ≥ 3:1 against
// the colours beside it, input boundaries ≥ 3:1 against their surface, and a disabled button that
// looks disabled while an enabled one does not. All the window's other text is measured at rest.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, result, SCREENSHOTS, test } from '../support/app-fixture';
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
} from '../support/contrast';

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
  disabled: boolean;
  focusVisible: boolean;
  layers: RawLayer[];
  border: { width: number; colour: string };
  outline: { style: string; width: number; offset: number; colour: string };
  boxShadow: string;
  texts: RawText[];
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
  ['.nav-item', '.nav-item'],
  ['.connection-item', '.connection-item'],
  ['.segment', '.segment'],
  ['tab', '[role="tab"]'],
  ['section toggle', 'summary'],
  ['link', 'a[href]'],
  ['checkbox', 'input[type="checkbox"], input[type="radio"]'],
  ['input', 'input:not([type="checkbox"]):not([type="radio"]):not([type="hidden"]):not([type="file"]), textarea'],
  ['select', 'select'],
  ['.badge', '.badge'],
  ['.segmented', '.segmented'],
];

/** The kinds each theme must have met somewhere; one that is absent is skipped, with a message. */
const EXPECTED = [
  '.button-primary',
  '.button-danger',
  '.button-quiet',
  '.button-small',
  '.button',
  '.nav-item',
  '.connection-item',
  '.segment[data-state=checked]',
  '.segment[data-state=unchecked]',
  'tab',
  'section toggle',
  'link',
  'input',
  'select',
  '.badge',
];

/**
 * Failures in rules of files this branch does not own (sidebar.css, pane.css, views.css): reported
 * in the output and the test's annotations, not failed on, until their owners change the rule.
 * An entry that no longer fails says so, so that it is removed.
 */
const ELSEWHERE: readonly { match: RegExp; themes: readonly string[]; rule: string; fix: string }[] = [
  {
    match: /(link|a\.skip-link)\S* "Skip to the connection settings" text /,
    themes: ['dark', 'dark-system'],
    rule: 'sidebar.css .skip-link { background: var(--accent); color: #fff } (white on the dark theme\'s light accent)',
    fix: 'background: var(--primary)',
  },
  {
    match: /(input "Search connections"|select "Show"|select "Sort by") boundary /,
    themes: ['light', 'dark', 'dark-system'],
    rule: 'sidebar.css .list-tools input, .list-tools select { border: 1px solid var(--border) } (the decorative border colour, on the sidebar)',
    fix: 'border: 1px solid var(--control-border)',
  },
];

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
      focusVisible: el.matches(':focus-visible'),
      layers: layersOf(el),
      border,
      outline: { style: s.outlineStyle ?? 'none', width: parseFloat(s.outlineWidth ?? '') || 0, offset: parseFloat(s.outlineOffset ?? '') || 0, colour: s.outlineColor ?? 'transparent' },
      boxShadow: s.boxShadow ?? 'none',
      texts,
    };
  }
}

// --- Judging ------------------------------------------------------------------------------------

const layers = (raw: RawLayer[]): Layer[] => raw.map((l) => ({ background: parseColor(l.background), opacity: l.opacity }));
const hex = (c: ReturnType<typeof parseColor>): string => toHex(c).replace(/^#(.)\1(.)\2(.)\3$/, '#$1$2$3');

function edgeOf(reading: Reading): EdgeStyle {
  const own = layers(reading.layers);
  const o = reading.outline;
  return {
    fill: flatten(TRANSPARENT, own),
    surface: flatten(TRANSPARENT, own.slice(1)),
    border: { width: reading.border.width, colour: parseColor(reading.border.colour) },
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
  await app.evaluate(() => (globalThis as unknown as Browser).document.activeElement?.blur?.());
  await settle(app);
}

async function settle(app: Page): Promise<void> {
  await app.evaluate(async () => {
    const w = globalThis as unknown as Browser;
    await Promise.all(w.document.getAnimations().filter((a) => a.constructor.name === 'CSSTransition').map((a) => a.finished.catch(() => null)));
  });
}

let counter = 0;

/** Marks each visible control under `scope` and says what it is. */
async function controlsIn(app: Page, scope: string): Promise<Control[]> {
  const found = await app.evaluate(
    ({ scope, kinds, start }) => {
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
          const full = kind === '.segment' && state ? `.segment[data-state=${state}]` : kind === 'tab' && selected ? `tab[aria-selected=${selected}]` : kind;
          // Its name, roughly as a screen reader says it: aria-label, its label, or its text.
          const labelled = el.getAttribute('aria-labelledby');
          const byId = labelled ? (w.document.querySelector(`[id="${labelled.split(' ')[0]}"]`) as PageNode | null) : null;
          const labels = (el as unknown as { labels?: ArrayLike<PageNode> }).labels;
          const named = el.getAttribute('aria-label') ?? byId?.textContent ?? (labels?.[0]?.textContent ?? null);
          const text = (kind === 'select' || kind === 'input' || kind === 'checkbox' ? (named ?? el.getAttribute('placeholder') ?? '') : (el.getAttribute('aria-label') ?? el.textContent ?? '')).replace(/\s+/g, ' ').trim();
          const disabled = el.matches(':disabled') || el.getAttribute('aria-disabled') === 'true';
          const inViewport = r.top >= 0 && r.left >= 0 && r.bottom <= w.innerHeight && r.right <= w.innerWidth;
          const field = kind === 'input' || kind === 'select' || kind === 'checkbox';
          controls.push({
            id,
            kind: full,
            label: text.slice(0, 36) || (el.getAttribute('id') ?? el.tagName.toLowerCase()),
            focusable: kind !== '.badge' && kind !== '.segmented',
            disabled,
            inViewport,
            pressable: !field && kind !== '.badge' && kind !== '.segmented',
            hoverable: kind !== '.badge' && kind !== '.segmented',
            boundary: kind === 'input' || kind === 'select' || kind === '.segmented',
          });
        }
      }
      return controls;
    },
    { scope, kinds: KINDS as unknown as [string, string][], start: counter },
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

async function shoot(app: Page, walk: Walk, control: Control, state: string, target: Locator): Promise<void> {
  const key = `${control.kind.replace(/\[data-state=(\w+)\]/, '-$1').replace(/^\./, '')}-${state}`;
  if (!walk.shots.wanted.has(key)) return;
  walk.shots.wanted.delete(key);
  // A segment is seen with its group: the ring against both its neighbour and the panel.
  await picture(app, control.kind.startsWith('.segment') ? target.locator('xpath=..') : target, `contrast-${walk.shots.theme}-${key}`);
}

/** Every control under `scope`, in every state it has. */
async function walkControls(app: Page, walk: Walk, screen: string, scope: string): Promise<void> {
  const f = walk.findings;
  await reset(app);
  for (const control of await controlsIn(app, scope)) {
    const target = app.locator(`[data-contrast="${control.id}"]`);
    const name = `${screen}: ${control.kind}`;
    f.kinds.add(control.kind);
    await reset(app);
    const rest = await read(target);
    if (control.disabled) {
      // Exempt from text contrast (WCAG 1.4.3), but kept to compare with an enabled one.
      const { ratio } = minTextRatio(name, rest);
      const opacity = rest.layers.reduce((o, l) => o * l.opacity, 1);
      if (!walk.disabled.has(control.kind)) walk.disabled.set(control.kind, { label: control.label, ratio, opacity });
      continue;
    }
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
      if (!walk.hovered.has(control.kind)) walk.hovered.set(control.kind, { label: control.label, ratio });
      await shoot(app, walk, control, 'hover', target);
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
      // Keyboard modality, then focus: Chromium matches :focus-visible as after a Tab.
      await app.keyboard.press('Shift');
      await target.focus();
      await settle(app);
      const focused = await read(target);
      if (!focused.focusVisible) {
        f.add({ what: `${name}:focus-visible "${control.label}"`, ratio: 1, needs: 3, detail: 'did not match :focus-visible after keyboard focus' });
      } else {
        for (const text of focused.texts) f.add(textMeasures(`${name}:focus-visible`, text));
        const v = focusIndicator(edgeOf(rest), edgeOf(focused));
        const detail = v.ring
          ? `ring ${hex(v.ring)} (${v.width}px) beside ${hex(v.inside!)} inside / ${hex(v.outside!)} outside = ${formatRatio(v.ratio)}`
          : 'no focus indicator (nothing changes on focus)';
        f.add({ what: `${name}:focus-visible "${control.label}"`, ratio: v.ratio, needs: 3, detail });
        await shoot(app, walk, control, 'focus', target);
      }
      await reset(app);
    }
  }
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

// --- The window, with data ------------------------------------------------------------------------

const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const THEMES = [
  { name: 'light', os: 'light', choice: 'light', scheme: 'light' },
  { name: 'dark', os: 'light', choice: 'dark', scheme: 'dark' },
  { name: 'dark-system', os: 'dark', choice: 'system', scheme: 'dark' },
] as const;

for (const theme of THEMES) {
  test(`contrast of every control in every state: ${theme.name} theme`, async ({ app, bridge, demo }) => {
    test.setTimeout(180_000);
    await app.setViewportSize({ width: 1440, height: 2000 });
    const service = bridge.service;
    await service.saveConnection({ name: 'Demo (verified)', serverAddress: demo.url, apiToken: demo.token, verifyCertificate: true });
    await service.saveConnection({ name: 'Expiring soon', serverAddress: 'km1.example.com', verifyCertificate: true, expiresOn: inDays(5) });
    await service.saveConnection({ name: 'Expired key', serverAddress: 'km2.example.com', verifyCertificate: true, expiresOn: '2020-01-31' });
    await service.saveConnection({ name: 'Demo (unverified)', serverAddress: demo.url, apiToken: demo.token, verifyCertificate: false });
    await service.saveConnection({ name: 'Switched off', serverAddress: 'km3.example.com', verifyCertificate: false, enabled: false });
    await app.emulateMedia({ colorScheme: theme.os });
    await app.reload();
    const list = app.getByRole('list', { name: 'Saved connections' });
    await expect(list.getByRole('listitem')).toHaveCount(5);

    // The theme as the admin chooses it: the sidebar's Theme select (else as theme.ts sets it).
    const themeSelect = app.getByRole('combobox', { name: 'Theme' });
    if ((await themeSelect.count()) > 0) await themeSelect.selectOption(theme.choice);
    else
      await app.evaluate((choice) => {
        const html = (globalThis as unknown as { document: { documentElement: { dataset: Record<string, string | undefined> } } }).document.documentElement;
        if (choice === 'system') delete html.dataset.theme;
        else html.dataset.theme = choice;
      }, theme.choice);
    await expect.poll(() => app.locator('html').evaluate((html) => (globalThis as unknown as Browser).getComputedStyle(html).colorScheme)).toBe(theme.scheme);

    const walk: Walk = {
      findings: new Findings(theme.name),
      disabled: new Map(),
      hovered: new Map(),
      shots: { theme: theme.name, wanted: new Set(['button-primary-hover', 'button-primary-focus', 'segment-checked-focus', 'segment-checked-hover', 'segment-unchecked-focus']) },
    };

    // A saved connection, tested: header buttons, the report with its badge, the Yes/No segments.
    await list.getByRole('button', { name: /Demo \(verified\)/ }).click();
    await app.getByRole('button', { name: 'Test again' }).click();
    await expect(result(app).getByRole('heading', { name: 'Self-signed certificate' })).toBeVisible();
    // Open every section toggle, so that the fields inside are measured too.
    for (let i = 0; i < 10; i++) {
      const closed = app.locator('main details:not([open]) > summary');
      if ((await closed.count()) === 0) break;
      await closed.first().click();
    }
    await reset(app);
    await walkControls(app, walk, 'connection', 'body');
    await sweepText(app, walk, 'connection');
    // Tabs, where the pane has them (its form sections): each other panel in turn.
    const tabs = app.locator('main [role="tab"]');
    for (let i = 0; i < (await tabs.count()); i++) {
      const tab = tabs.nth(i);
      if ((await tab.getAttribute('aria-selected')) === 'true' || (await tab.isDisabled())) continue;
      const name = ((await tab.textContent()) ?? `tab ${i + 1}`).trim();
      await tab.click();
      await expect(tab).toHaveAttribute('aria-selected', 'true');
      await walkControls(app, walk, `connection, ${name}`, 'main [role="tabpanel"]');
      await sweepText(app, walk, `connection, ${name}`);
    }

    // Delete… asks: the danger button, in its tinted group.
    await app.getByRole('button', { name: 'Delete…' }).click();
    const confirm = app.getByRole('group', { name: 'Confirm deletion' });
    await expect(confirm).toBeVisible();
    await walkControls(app, walk, 'delete', '.confirm');
    await sweepText(app, walk, 'delete');
    await app.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm).toHaveCount(0);

    // Rotate token…: a primary button, disabled until a token is pasted.
    await app.getByRole('button', { name: 'Rotate token…' }).click();
    const rotate = app.getByRole('form', { name: 'Rotate token' });
    await expect(rotate).toBeVisible();
    await walkControls(app, walk, 'rotate', 'form[aria-label="Rotate token"]');
    await app.getByRole('button', { name: 'Rotate token…' }).click();
    await expect(rotate).toHaveCount(0);

    // Tinted banners: a token that expires soon (warning), one that has expired (error).
    await list.getByRole('button', { name: /Expiring soon/ }).click();
    await expect(app.locator('.banner-warning')).toBeVisible();
    await sweepText(app, walk, 'expiring');
    await list.getByRole('button', { name: /Expired key/ }).click();
    await expect(app.locator('.banner-error')).toBeVisible();
    await sweepText(app, walk, 'expired');

    // A disabled connection: its badge, and the buttons it disables (Save and test among them).
    await list.getByRole('button', { name: /Switched off/ }).click();
    await expect(app.locator('.badge-muted')).toBeVisible();
    await walkControls(app, walk, 'disabled connection', 'main');
    await sweepText(app, walk, 'disabled connection');
    // Enabled again: the green banner that says so.
    await app.getByRole('button', { name: 'Enable', exact: true }).click();
    await expect(app.locator('.banner-ok')).toBeVisible();
    await sweepText(app, walk, 'enabled');

    // A test that passes: the green verdict, its icon and passed steps.
    await list.getByRole('button', { name: /Demo \(unverified\)/ }).click();
    await app.getByRole('button', { name: 'Test again' }).click();
    await expect(result(app).getByRole('heading', { name: 'Connection successful' })).toBeVisible();
    await sweepText(app, walk, 'connected');

    for (const screen of ['Audit log', 'Export and import']) {
      await app.getByRole('button', { name: screen, exact: true }).click();
      await expect(app.getByRole('heading', { level: 1, name: screen })).toBeVisible();
      await walkControls(app, walk, screen, 'main');
      await sweepText(app, walk, screen);
    }

    // What was measured, for the record (pass or fail).
    const f = walk.findings;
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

    // A disabled button looks disabled, an enabled one on hover does not (the 1.76:1).
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
    const ours = failures.filter((line) => !ELSEWHERE.some((e) => e.match.test(line)));
    writeFileSync(path.resolve(`test-results/contrast-${theme.name}-failures.txt`), failures.join('\n'));
    expect(ours, `${ours.length} contrast failures:\n${ours.join('\n')}`).toEqual([]);
    expect(f.measures.length).toBeGreaterThan(100);
  });
}

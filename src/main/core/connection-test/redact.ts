// The one pass every test report goes through where it is built (and so before it is shown, saved
// as a connection's last result, or printed by the CLI): each secret of the test is replaced in
// every spelling a server could echo it in, bidirectional and zero-width characters are removed (they
// can make text read otherwise than it is, or split a secret to slip past the match), control
// characters are made visible (a server's escape sequences never reach a terminal: ESC, BEL, CSI,
// OSC 8 links), and every string is bounded. The spellings: as is; base64 at any alignment; hex in either case; and escaped,
// found by decoding first: whatever mix of plain and escaped characters an encoder wrote (%XX in
// either case, for every byte or only some, double-encoded as %25XX, + for a space, JSON's \uXXXX,
// HTML's &#NN; and &amp;). A secret of any length is redacted; one of 1 to 3 characters where it
// stands alone (see MIN_ANYWHERE).
import type { TestReport, TestStep } from '../../../shared/types';
import { INVISIBLE } from '../printable';

const REDACTED = '[redacted]';
/**
 * Derived spellings (base64, hex) shorter than this are not looked for: they would match ordinary
 * text. A secret at least this long is also matched in any letter case, should a server change it.
 */
const MIN_DERIVED = 8;
/**
 * A secret shorter than this is redacted where it stands alone, not inside a word or a number:
 * redacting a 2-character password inside Keybridge's own words would spell it out to every reader
 * ("Cr[redacted]entials" for "ed") and make the report unreadable.
 */
const MIN_ANYWHERE = 4;
/** No string in a report is longer than this (a server message is cut much shorter before). */
const MAX_REPORT_STRING = 2000;

/** The base64 characters that depend only on `bytes`, when they start k bytes into a longer encoded run. */
function base64Core(bytes: Buffer, k: number): string {
  const encoded = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64');
  return encoded.slice(Math.ceil((k * 8) / 6), Math.floor(((k + bytes.length) * 8) / 6));
}

/**
 * The spellings of the secrets looked for in the text as it is: `exact` (as is, base64, base64url:
 * letter case matters) and `anyCase` (hex: servers write it in either case). A derived spelling
 * shorter than 8 characters is left out. Escaped spellings are found in the decoded text (`decode`).
 */
function spellingGroups(secrets: readonly string[]): { exact: string[]; anyCase: string[] } {
  const exact = new Set<string>();
  const anyCase = new Set<string>();
  for (const secret of secrets) {
    const bytes = Buffer.from(secret, 'utf8');
    for (const k of [0, 1, 2]) {
      const core = base64Core(bytes, k);
      exact.add(core);
      exact.add(core.replace(/\+/g, '-').replace(/\//g, '_')); // base64url
    }
    anyCase.add(bytes.toString('hex'));
  }
  const longEnough = (forms: Iterable<string>): string[] => [...forms].filter((form) => form.length >= MIN_DERIVED);
  return { exact: [...secrets, ...longEnough(exact)], anyCase: longEnough(anyCase) };
}

/** Some of the spellings that are redacted (for tests and diagnostics), longest first. */
export function secretSpellings(secrets: readonly string[]): string[] {
  const { exact, anyCase } = spellingGroups(secrets.filter((s) => s !== ''));
  const escaped = secrets
    .filter((s) => s !== '')
    .flatMap((secret) => {
      const every = [...Buffer.from(secret, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');
      return [encodeURIComponent(secret), encodeURIComponent(secret).replace(/%20/g, '+'), every, every.replace(/%/g, '%25')];
    });
  return [...new Set([...exact, ...anyCase, ...escaped])].sort((x, y) => y.length - x.length);
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const patternOf = (forms: string[], flags: string): RegExp | null =>
  forms.length > 0 ? new RegExp([...forms].sort((x, y) => y.length - x.length).map(escapeRegExp).join('|'), flags) : null;

/** Text with its escapes decoded; its unit i came from text[from[i]] up to text[to[i]] (null: from text[i]). */
interface Decoded {
  text: string;
  from: Int32Array | null;
  to: Int32Array | null;
}

// One escape at a time, where it starts (sticky); SPECIAL finds where one may start.
const SPECIAL = /[%+\\&]/g;
const PERCENT = /%(?:25){0,2}([0-9a-fA-F]{2})/y;
const BACKSLASH = /\\(?:u([0-9a-fA-F]{4})|(["\\/]))/y;
const ENTITY = /&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));/y;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const MAX_CODE_POINT = 0x10ffff;

/** The character that a run of UTF-8 bytes starts with at k, and how many bytes it took; null if they are not UTF-8. */
function utf8At(bytes: readonly number[], k: number): { char: string; size: number } | null {
  const lead = bytes[k] ?? 0;
  if (lead < 0x80) return { char: String.fromCharCode(lead), size: 1 };
  const size = lead >= 0xf0 && lead <= 0xf4 ? 4 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xc2 && lead < 0xe0 ? 2 : 0;
  if (size === 0 || k + size > bytes.length) return null;
  let code = lead & (0x7f >> size);
  for (let j = 1; j < size; j++) {
    const next = bytes[k + j] ?? 0;
    if ((next & 0xc0) !== 0x80) return null;
    code = (code << 6) | (next & 0x3f);
  }
  return code > MAX_CODE_POINT ? null : { char: String.fromCodePoint(code), size };
}

/** The escape that starts at i, decoded: what it stands for and where it ends; null if none starts there. */
function escapeAt(text: string, i: number): { pieces: { text: string; start: number; end: number }[]; end: number } | null {
  const char = text.charAt(i);
  if (char === '%') {
    const run: { byte: number; start: number; end: number }[] = [];
    PERCENT.lastIndex = i;
    for (let match = PERCENT.exec(text); match !== null; match = PERCENT.exec(text)) run.push({ byte: parseInt(match[1] ?? '', 16), start: match.index, end: PERCENT.lastIndex });
    if (run.length === 0) return null;
    const bytes = run.map((escape) => escape.byte);
    const pieces: { text: string; start: number; end: number }[] = [];
    for (let k = 0; k < run.length; ) {
      const decoded = utf8At(bytes, k);
      const size = decoded?.size ?? 1;
      pieces.push({ text: decoded?.char ?? '\ufffd', start: run[k]?.start ?? i, end: run[k + size - 1]?.end ?? i });
      k += size;
    }
    return { pieces, end: run[run.length - 1]?.end ?? i };
  }
  if (char === '\\') {
    BACKSLASH.lastIndex = i;
    const match = BACKSLASH.exec(text);
    if (!match) return null;
    const decoded = match[1] !== undefined ? String.fromCharCode(parseInt(match[1], 16)) : (match[2] ?? '');
    return { pieces: [{ text: decoded, start: i, end: BACKSLASH.lastIndex }], end: BACKSLASH.lastIndex };
  }
  if (char === '&') {
    ENTITY.lastIndex = i;
    const match = ENTITY.exec(text);
    if (!match) return null;
    const code = match[1] !== undefined ? parseInt(match[1], 16) : match[2] !== undefined ? parseInt(match[2], 10) : null;
    if (code !== null && code > MAX_CODE_POINT) return null;
    const decoded = code === null ? (NAMED[match[3] ?? ''] ?? '') : String.fromCodePoint(code);
    return { pieces: [{ text: decoded, start: i, end: ENTITY.lastIndex }], end: ENTITY.lastIndex };
  }
  return null;
}

/**
 * Decodes what encoders write: %XX (runs of UTF-8 bytes, hex in either case, also as %25XX and
 * %2525XX), JSON's \uXXXX \" \\ \/, HTML's &#NN; &#xHH; &amp; &lt; &gt; &quot; &apos;; and makes a
 * space of every + (a form decoder makes one of it). The secrets are decoded the same way, so a
 * secret that holds such a sequence itself still matches. Bytes that are not UTF-8 become U+FFFD.
 */
function decode(text: string): Decoded {
  SPECIAL.lastIndex = 0;
  if (!SPECIAL.test(text)) return { text, from: null, to: null };
  // Decoding never lengthens the text: each unit comes from one character or more.
  const from = new Int32Array(text.length);
  const to = new Int32Array(text.length);
  const parts: string[] = [];
  let length = 0;
  const plain = (start: number, end: number): void => {
    parts.push(text.slice(start, end));
    for (let j = start; j < end; j++, length++) {
      from[length] = j;
      to[length] = j + 1;
    }
  };
  let i = 0;
  while (i < text.length) {
    SPECIAL.lastIndex = i;
    const next = SPECIAL.exec(text);
    const at = next ? next.index : text.length;
    plain(i, at);
    if (!next) break;
    const escape = escapeAt(text, at);
    if (!escape) {
      plain(at, at + 1);
      i = at + 1;
      continue;
    }
    for (const piece of escape.pieces) {
      parts.push(piece.text);
      for (let u = 0; u < piece.text.length; u++, length++) {
        from[length] = piece.start;
        to[length] = piece.end;
      }
    }
    i = escape.end;
  }
  return { text: parts.join('').replace(/\+/g, ' '), from, to };
}

/** Finds the secrets in a string: the ranges [start, end) of the string they take, in no particular order. */
function secretFinder(secrets: readonly string[]): (text: string) => [number, number][] {
  const given = [...new Set(secrets.filter((secret) => secret !== ''))];
  const short = given.filter((secret) => secret.length < MIN_ANYWHERE);
  const { exact, anyCase } = spellingGroups(given);
  // Decoded, and also as given: a secret that itself looks escaped (`a\\"b`, `x&amp;y`) reads as given
  // in the decoded view of its one-layer escaped echo (JSON, HTML).
  const decodedForm = (secrets: string[]): string[] => [...new Set(secrets.flatMap((secret) => [decode(secret).text, secret]))];
  const standing = (forms: string[]): RegExp | null => {
    const pattern = patternOf(forms, 'gu');
    return pattern && new RegExp(`(?<![\\p{L}\\p{N}])(?:${pattern.source})(?![\\p{L}\\p{N}])`, 'gu');
  };
  const raw = [patternOf(exact.filter((form) => !short.includes(form)), 'g'), patternOf(anyCase, 'gi'), standing(short)];
  const decoded = [
    patternOf(decodedForm(given.filter((secret) => secret.length >= MIN_ANYWHERE && secret.length < MIN_DERIVED)), 'g'),
    patternOf(decodedForm(given.filter((secret) => secret.length >= MIN_DERIVED)), 'gi'),
    standing(decodedForm(short)),
  ];
  const each = (pattern: RegExp | null, text: string, found: (start: number, end: number) => void): void => {
    if (!pattern) return;
    for (const match of text.matchAll(pattern)) found(match.index, match.index + match[0].length);
  };
  return (text) => {
    const ranges: [number, number][] = [];
    for (const pattern of raw) each(pattern, text, (start, end) => ranges.push([start, end]));
    const view = decode(text);
    for (const pattern of decoded) {
      each(pattern, view.text, (start, end) => ranges.push([view.from?.[start] ?? start, view.to?.[end - 1] ?? end]));
    }
    return ranges;
  };
}

// A test hands the same array of secrets to every cleaning (more join it as they appear): its finder
// is built once per set of secrets and kept with the array, which takes it along when it goes.
const finders = new WeakMap<readonly string[], { key: string; find: (text: string) => [number, number][] }>();

function finderFor(secrets: readonly string[]): (text: string) => [number, number][] {
  const key = secrets.join('\u0000');
  const known = finders.get(secrets);
  if (known?.key === key) return known.find;
  const find = secretFinder(secrets);
  finders.set(secrets, { key, find });
  return find;
}

/** `text` with each of the ranges (merged where they overlap or touch) replaced by [redacted]. */
function redactRanges(text: string, ranges: [number, number][]): string {
  if (ranges.length === 0) return text;
  ranges.sort((x, y) => x[0] - y[0]);
  let out = '';
  let at = 0;
  let current: [number, number] | null = null;
  for (const range of ranges) {
    if (current && range[0] <= current[1]) {
      current[1] = Math.max(current[1], range[1]);
      continue;
    }
    if (current) out += text.slice(at, current[0]) + REDACTED;
    at = current ? current[1] : at;
    current = [range[0], range[1]];
  }
  if (current) out += text.slice(at, current[0]) + REDACTED + text.slice(current[1]);
  return out;
}

// C0 controls, DEL, C1 controls (a terminal takes U+009B as CSI, U+009D as OSC), and the Unicode line
// and paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL = /\r\n|[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const LINE_BREAK = /^(?:\r\n|[\n\v\f\r\u0085\u2028\u2029])$/;

/**
 * `text` with every control character made visible, so that none reaches a terminal or a document as
 * a control (an escape sequence that sets a window title, clears the screen, plants a hidden link,
 * or rewrites a line): tabs and line breaks become spaces (or stay line breaks, \n, where
 * `lineBreaks`), other C0 controls their Unicode picture (␛ for ESC, ␇ for BEL), DEL ␡, C1 controls �.
 */
export function visibleControls(text: string, lineBreaks = false): string {
  return text.replace(CONTROL, (char) => {
    if (char === '\t') return ' ';
    if (LINE_BREAK.test(char)) return lineBreaks ? '\n' : ' ';
    const code = char.charCodeAt(0);
    return code < 0x20 ? String.fromCharCode(0x2400 + code) : code === 0x7f ? '\u2421' : '\ufffd';
  });
}

/**
 * A function that cleans one string: invisible characters out, secrets redacted, control characters
 * made visible (line breaks kept only where `lineBreaks`), length bounded.
 */
export function stringCleaner(secrets: readonly string[], max = MAX_REPORT_STRING, lineBreaks = false): (text: string) => string {
  const find = finderFor(secrets);
  return (text) => {
    // What was redacted before stays as it is (a string may be cleaned twice): the rest is cleaned.
    const redacted = text
      .replace(INVISIBLE, '')
      .split(REDACTED)
      .map((part) => redactRanges(part, find(part)))
      .join(REDACTED);
    // After the redaction, so a secret that holds a tab or a line break is still found.
    const out = visibleControls(redacted, lineBreaks);
    return out.length > max ? `${out.slice(0, max - 1)}…` : out;
  };
}

/**
 * Report fields that Keybridge writes itself in a fixed form (codes, dates, fingerprints, the TLS
 * library's names): never a server's words nor a secret, so not searched for secrets. A short secret
 * would otherwise garble them, and the report with them (a password "ed" in every step's "passed").
 */
const FIXED_FORM = new Set(['verdict', 'id', 'status', 'trustSource', 'protocol', 'cipher', 'testedAt', 'validFrom', 'validTo', 'sha256', 'spkiSha256', 'expectedPin', 'accessTokenExpiresAt']);

/** Applies `clean` to every string inside plain objects and arrays (`fixed` to those of FIXED_FORM fields); other values are kept. */
function deepClean<T>(value: T, clean: (text: string) => string, fixed: (text: string) => string, key = ''): T {
  if (typeof value === 'string') return (FIXED_FORM.has(key) ? fixed(value) : clean(value)) as T;
  if (Array.isArray(value)) return value.map((item) => deepClean(item, clean, fixed)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, deepClean(item, clean, fixed, name)])) as T;
  }
  return value;
}

/** The server's full message: as much as the engine reads of an answer. */
const MAX_FULL_MESSAGE = 16 * 1024;

/** A step's evidence is one line: bounded after redaction. */
const MAX_STEP_DETAIL = 300;

/** One step, cleaned as in the report: for live progress, before the report exists. */
export function redactStep(step: TestStep, secrets: readonly string[]): TestStep {
  const detail = stringCleaner(secrets)(step.detail);
  return { ...step, detail: detail.length > MAX_STEP_DETAIL ? `${detail.slice(0, MAX_STEP_DETAIL - 1)}…` : detail };
}

/** The report with every string cleaned of the test's secrets (see the top of this file). */
/** Headers whose values are credentials whatever they hold: shown by name only. */
const CREDENTIAL_HEADERS = /^(set-cookie|cookie|authorization|proxy-authorization|x-api-key|apikey|authtoken|x-auth-token|private-token)$/i;

export function redactReport(report: TestReport, secrets: readonly string[]): TestReport {
  const { serverMessageFull, response, ...rest } = report;
  const cleaned = deepClean(rest, stringCleaner(secrets), stringCleaner([]));
  // The server's full words keep their length (the engine's 16 KiB), not the 2,000 of other strings.
  const full = serverMessageFull === undefined ? undefined : stringCleaner(secrets, MAX_FULL_MESSAGE, true)(serverMessageFull);
  const header = stringCleaner(secrets);
  const raw = response && {
    status: response.status,
    headers: response.headers.slice(0, 100).map(([name, value]): [string, string] => [header(name), CREDENTIAL_HEADERS.test(name) ? '[redacted]' : header(value)]),
    body: stringCleaner(secrets, MAX_FULL_MESSAGE, true)(response.body),
  };
  return {
    ...cleaned,
    ...(full ? { serverMessageFull: full } : {}),
    ...(raw ? { response: raw } : {}),
    steps: cleaned.steps.map((step) => (step.detail.length > MAX_STEP_DETAIL ? { ...step, detail: `${step.detail.slice(0, MAX_STEP_DETAIL - 1)}…` } : step)),
  };
}

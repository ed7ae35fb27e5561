// The one pass every test report goes through where it is built (and so before it is shown, saved
// as a connection's last result, or printed by the CLI): each secret of the test is replaced in
// every spelling a server could echo it in (as is, base64 at any alignment, URL-encoded, hex with
// escapes in either case), bidirectional and zero-width characters are removed (they can make text read
// otherwise than it is, or split a secret to slip past the match), and every string is bounded.
import type { TestReport, TestStep } from '../../../shared/types';

const REDACTED = '[redacted]';
const MIN_SECRET = 4;
const MIN_DERIVED = 8;
/** No string in a report is longer than this (a server message is cut much shorter before). */
const MAX_REPORT_STRING = 2000;
// Bidi embeddings, overrides and isolates, zero-width characters, the BOM, soft hyphen, Arabic letter mark.
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** The base64 characters that depend only on `bytes`, when they start k bytes into a longer encoded run. */
function base64Core(bytes: Buffer, k: number): string {
  const encoded = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64');
  return encoded.slice(Math.ceil((k * 8) / 6), Math.floor(((k + bytes.length) * 8) / 6));
}

/**
 * The spellings of the secrets to look for: `exact` (as is, base64, base64url: letter case matters)
 * and `anyCase` (hex, URL-encoding: servers write their escapes in either case). A derived spelling
 * shorter than 8 characters is left out: it would match ordinary text (a fingerprint, a word).
 */
function spellingGroups(secrets: readonly string[]): { exact: string[]; anyCase: string[] } {
  const exact = new Set<string>();
  const anyCase = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET) continue;
    const bytes = Buffer.from(secret, 'utf8');
    exact.add(secret);
    for (const k of [0, 1, 2]) {
      const core = base64Core(bytes, k);
      exact.add(core);
      exact.add(core.replace(/\+/g, '-').replace(/\//g, '_')); // base64url
    }
    anyCase.add(encodeURIComponent(secret));
    anyCase.add(encodeURIComponent(secret).replace(/%20/g, '+'));
    anyCase.add(bytes.toString('hex'));
  }
  const longestFirst = (forms: Iterable<string>): string[] => [...forms].sort((x, y) => y.length - x.length);
  return {
    // A short secret itself is still redacted, exactly as it is spelled.
    exact: longestFirst([...exact].filter((form) => secrets.includes(form) || form.length >= MIN_DERIVED)),
    // In any case: also a token that is its own URL-encoding, should a server change its case.
    anyCase: longestFirst([...anyCase].filter((form) => form.length >= MIN_DERIVED)),
  };
}

/** Every spelling that is redacted (for tests and diagnostics), longest first. */
export function secretSpellings(secrets: readonly string[]): string[] {
  const { exact, anyCase } = spellingGroups(secrets);
  return [...exact, ...anyCase].sort((x, y) => y.length - x.length);
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const patternOf = (forms: string[], flags: string): RegExp | null => (forms.length > 0 ? new RegExp(forms.map(escapeRegExp).join('|'), flags) : null);

/** A function that cleans one string: invisible characters out, secrets redacted, length bounded. */
export function stringCleaner(secrets: readonly string[], max = MAX_REPORT_STRING): (text: string) => string {
  const { exact, anyCase } = spellingGroups(secrets);
  const patterns = [patternOf(exact, 'g'), patternOf(anyCase, 'gi')].filter((p): p is RegExp => p !== null);
  return (text) => {
    let out = text.replace(INVISIBLE, '');
    for (const pattern of patterns) out = out.replace(pattern, REDACTED);
    return out.length > max ? `${out.slice(0, max - 1)}…` : out;
  };
}

/** Applies `clean` to every string inside plain objects and arrays; other values are kept. */
function deepClean<T>(value: T, clean: (text: string) => string): T {
  if (typeof value === 'string') return clean(value) as T;
  if (Array.isArray(value)) return value.map((item) => deepClean(item, clean)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, deepClean(item, clean)])) as T;
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
export function redactReport(report: TestReport, secrets: readonly string[]): TestReport {
  const { serverMessageFull, ...rest } = report;
  const cleaned = deepClean(rest, stringCleaner(secrets));
  // The server's full words keep their length (the engine's 16 KiB), not the 2,000 of other strings.
  const full = serverMessageFull === undefined ? undefined : stringCleaner(secrets, MAX_FULL_MESSAGE)(serverMessageFull);
  return {
    ...cleaned,
    ...(full ? { serverMessageFull: full } : {}),
    steps: cleaned.steps.map((step) => (step.detail.length > MAX_STEP_DETAIL ? { ...step, detail: `${step.detail.slice(0, MAX_STEP_DETAIL - 1)}…` } : step)),
  };
}

// The one pass every test report goes through where it is built (and so before it is shown, saved
// as a connection's last result, or printed by the CLI): each secret of the test is replaced in
// every spelling a server could echo it in (as is, base64 at any alignment, URL-encoded, hex, in
// any letter case), bidirectional and zero-width characters are removed (they can make text read
// otherwise than it is, or split a secret to slip past the match), and every string is bounded.
import type { TestReport } from '../../../shared/types';

const REDACTED = '[redacted]';
const MIN_SECRET = 4;
/** No string in a report is longer than this (a server message is cut much shorter before). */
export const MAX_REPORT_STRING = 2000;
// Bidi embeddings, overrides and isolates, zero-width characters, the BOM, soft hyphen, Arabic letter mark.
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** The base64 characters that depend only on `bytes`, when they start k bytes into a longer encoded run. */
function base64Core(bytes: Buffer, k: number): string {
  const encoded = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64');
  return encoded.slice(Math.ceil((k * 8) / 6), Math.floor(((k + bytes.length) * 8) / 6));
}

/** All the spellings of the secrets to look for, longest first. */
export function secretSpellings(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET) continue;
    const bytes = Buffer.from(secret, 'utf8');
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(encodeURIComponent(secret).replace(/%20/g, '+'));
    forms.add(bytes.toString('hex'));
    for (const k of [0, 1, 2]) {
      const core = base64Core(bytes, k);
      forms.add(core);
      forms.add(core.replace(/\+/g, '-').replace(/\//g, '_')); // base64url
    }
  }
  return [...forms].filter((form) => form.length >= MIN_SECRET).sort((a, b) => b.length - a.length);
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A function that cleans one string: invisible characters out, secrets redacted, length bounded. */
export function stringCleaner(secrets: readonly string[]): (text: string) => string {
  const spellings = secretSpellings(secrets);
  // Case-insensitive: hex and %xx escapes come in either case; redacting a little more is safe.
  const pattern = spellings.length > 0 ? new RegExp(spellings.map(escapeRegExp).join('|'), 'gi') : null;
  return (text) => {
    const visible = text.replace(INVISIBLE, '');
    const redacted = pattern ? visible.replace(pattern, REDACTED) : visible;
    return redacted.length > MAX_REPORT_STRING ? `${redacted.slice(0, MAX_REPORT_STRING - 1)}…` : redacted;
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

/** A step's evidence is one line: bounded after redaction. */
export const MAX_STEP_DETAIL = 300;

/** The report with every string cleaned of the test's secrets (see the top of this file). */
export function redactReport(report: TestReport, secrets: readonly string[]): TestReport {
  const cleaned = deepClean(report, stringCleaner(secrets));
  return {
    ...cleaned,
    steps: cleaned.steps.map((step) => (step.detail.length > MAX_STEP_DETAIL ? { ...step, detail: `${step.detail.slice(0, MAX_STEP_DETAIL - 1)}…` } : step)),
  };
}

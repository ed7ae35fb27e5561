// Dates and times as the admin reads them: one format across the window, the OS locale's (Intl, the
// locale left undefined), never three spellings of one day. Pure: no node, no DOM.
//
// The one style: a date is `dateStyle: 'medium'` ("Nov 28, 2026", "28.11.2026", "28 nov. 2026"), a
// time `timeStyle: 'short'` ("7:09 PM", "19.09"), a moment both ("Nov 28, 2026, 7:09 PM").
// Seconds only where an order within one minute matters: the audit log (`seconds: true`), where a
// save, its test and a rotation often fall in the same minute and an entry is matched against a
// server's own log. Machine-readable places (the audit export, a report file) keep ISO 8601.
//
// A calendar day ("2026-11-28": a token's expiry date) is a day, not a moment: it is formatted as that
// day wherever the admin is, never shifted by the time zone. A moment (an ISO time with its zone)
// is shown in the local time zone. Anything else is shown as '—', never as "Invalid Date".

export interface DateFormatOptions {
  /** A BCP 47 locale; undefined (the default) = the OS's (in the window: the app's) locale. */
  locale?: string;
  /** An IANA time zone for moments; undefined = the local one. Calendar days ignore it. */
  timeZone?: string;
  /** Add seconds to the time (the audit log). */
  seconds?: boolean;
}

/** What a date that cannot be read shows. */
export const NO_DATE = '—';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
// ISO 8601 as Keybridge writes it (toISOString) and as files and servers commonly do: a day, then
// optionally a time and a zone offset. Other strings that Date.parse would guess at are refused.
const MOMENT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const MAX_INPUT = 64;

type Kind = 'date' | 'time' | 'date-time';
const STYLES: Record<Kind, Intl.DateTimeFormatOptions> = {
  date: { dateStyle: 'medium' },
  time: { timeStyle: 'short' },
  'date-time': { dateStyle: 'medium', timeStyle: 'short' },
};

// Formatters are costly to build and are asked for per table row: one per kind, locale and zone.
const formatters = new Map<string, Intl.DateTimeFormat>();
const CACHE_SIZE = 32;

function formatter(kind: Kind, options: DateFormatOptions, timeZone: string | undefined): Intl.DateTimeFormat {
  const seconds = options.seconds === true && kind !== 'date';
  const key = `${kind}|${seconds ? 's' : ''}|${options.locale ?? ''}|${timeZone ?? ''}`;
  let cached = formatters.get(key);
  if (!cached) {
    const style: Intl.DateTimeFormatOptions = { ...STYLES[kind], ...(seconds ? { timeStyle: 'medium' } : {}) };
    // An unknown locale or zone: the OS's rather than nothing (a calendar day keeps UTC, always known).
    cached =
      attempt(options.locale, { ...style, ...(timeZone ? { timeZone } : {}) }) ??
      attempt(undefined, { ...style, ...(timeZone ? { timeZone } : {}) }) ??
      new Intl.DateTimeFormat(undefined, style);
    if (formatters.size >= CACHE_SIZE) formatters.delete(formatters.keys().next().value as string);
    formatters.set(key, cached);
  }
  return cached;
}

function attempt(locale: string | undefined, style: Intl.DateTimeFormatOptions): Intl.DateTimeFormat | null {
  try {
    return new Intl.DateTimeFormat(locale, style);
  } catch {
    return null; // RangeError: a locale or time zone Intl does not know
  }
}

/** A YYYY-MM-DD calendar day as UTC midnight, or null when it is not a real day (2026-02-30). */
function calendarDay(text: string): Date | null {
  const match = DAY.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : null;
}

function moment(text: string): Date | null {
  if (!MOMENT.test(text)) return null;
  const date = new Date(text.replace(' ', 'T'));
  return Number.isNaN(date.getTime()) ? null : date;
}

function read(value: string | Date | null | undefined): { date: Date; day: boolean } | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : { date: value, day: false };
  if (typeof value !== 'string' || value.length > MAX_INPUT) return null;
  const text = value.trim();
  const day = calendarDay(text);
  if (day) return { date: day, day: true };
  const time = moment(text);
  return time ? { date: time, day: false } : null;
}

/** A moment as date and time ("Nov 28, 2026, 7:09 PM"); a calendar day alone as its date. */
export function formatDateTime(value: string | Date | null | undefined, options: DateFormatOptions = {}): string {
  const parsed = read(value);
  if (!parsed) return NO_DATE;
  return parsed.day ? formatter('date', options, 'UTC').format(parsed.date) : formatter('date-time', options, options.timeZone).format(parsed.date);
}

/** The day of a moment, in the local time zone, or a YYYY-MM-DD calendar day as that day ("Nov 28, 2026"). */
export function formatDate(value: string | Date | null | undefined, options: DateFormatOptions = {}): string {
  const parsed = read(value);
  if (!parsed) return NO_DATE;
  return formatter('date', options, parsed.day ? 'UTC' : options.timeZone).format(parsed.date);
}

/** The time of a moment ("7:09 PM"); a calendar day has none: '—'. */
export function formatTime(value: string | Date | null | undefined, options: DateFormatOptions = {}): string {
  const parsed = read(value);
  if (!parsed || parsed.day) return NO_DATE;
  return formatter('time', options, options.timeZone).format(parsed.date);
}

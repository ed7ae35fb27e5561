// One date and time format across the window (src/shared/date-format.ts): the locale's, through
// Intl; a calendar day never shifted by the time zone; what does not read shows as '—'.
import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatTime, NO_DATE } from '../../src/shared/date-format';

// ICU puts a narrow no-break space before "PM" and between some parts: compare as plain spaces.
const plain = (text: string): string => text.replace(/[\u202f\u00a0]/g, ' ');
const US = { locale: 'en-US', timeZone: 'UTC' };

describe('formatDateTime', () => {
  it('shows a moment in the locale, to the minute', () => {
    expect(plain(formatDateTime('2026-12-01T19:09:03.120Z', US))).toBe('Dec 1, 2026, 7:09 PM');
    expect(plain(formatDateTime('2026-12-01T19:09:03Z', { locale: 'de-DE', timeZone: 'UTC' }))).toBe('01.12.2026, 19:09');
    expect(plain(formatDateTime('2026-12-01T19:09:03Z', { locale: 'en-GB', timeZone: 'UTC' }))).toBe('1 Dec 2026, 19:09');
  });

  it('adds seconds only when asked (the audit log)', () => {
    expect(plain(formatDateTime('2026-12-01T19:09:03Z', { ...US, seconds: true }))).toBe('Dec 1, 2026, 7:09:03 PM');
  });

  it('shows the moment in the given time zone, with an offset read as written', () => {
    expect(plain(formatDateTime('2026-12-01T23:30:00Z', { locale: 'en-US', timeZone: 'Europe/Helsinki' }))).toBe('Dec 2, 2026, 1:30 AM');
    expect(plain(formatDateTime('2026-12-02T01:30:00+02:00', US))).toBe('Dec 1, 2026, 11:30 PM');
  });

  it('shows a calendar day as that day, without a time', () => {
    expect(plain(formatDateTime('2026-11-28', { locale: 'en-US', timeZone: 'Pacific/Honolulu' }))).toBe('Nov 28, 2026');
  });

  it('accepts a Date', () => {
    expect(plain(formatDateTime(new Date(Date.UTC(2026, 10, 28, 8, 5)), US))).toBe('Nov 28, 2026, 8:05 AM');
  });
});

describe('formatDate', () => {
  it('never shifts a calendar day by the time zone', () => {
    for (const timeZone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'UTC', 'America/Los_Angeles', 'Asia/Tokyo']) {
      expect(plain(formatDate('2026-11-28', { locale: 'en-US', timeZone }))).toBe('Nov 28, 2026');
    }
  });

  it('gives the local day of a moment (a certificate valid until an instant)', () => {
    expect(plain(formatDate('2026-11-28T23:30:00Z', { locale: 'en-US', timeZone: 'UTC' }))).toBe('Nov 28, 2026');
    expect(plain(formatDate('2026-11-28T23:30:00Z', { locale: 'en-US', timeZone: 'Asia/Tokyo' }))).toBe('Nov 29, 2026');
  });

  it('follows the locale', () => {
    expect(plain(formatDate('2026-11-28', { locale: 'fi-FI' }))).toBe('28.11.2026');
    expect(plain(formatDate('2026-11-28', { locale: 'ja-JP' }))).toBe('2026/11/28');
  });
});

describe('formatTime', () => {
  it('shows the time of a moment; a calendar day has none', () => {
    expect(plain(formatTime('2026-12-01T19:09:03Z', US))).toBe('7:09 PM');
    expect(plain(formatTime('2026-12-01T19:09:03Z', { ...US, seconds: true }))).toBe('7:09:03 PM');
    expect(formatTime('2026-12-01', US)).toBe(NO_DATE);
  });
});

describe('what does not read', () => {
  const bad: unknown[] = ['', 'not a date', '2026-02-30', '2026-13-01', '2026-11-28T25:00Z', 'Dec 1, 2026', '11/28/2026', '1764356943', `2026-11-28${'0'.repeat(100)}`, null, undefined, new Date(Number.NaN)];
  it.each(bad)('shows %j as a dash, never "Invalid Date"', (value) => {
    const input = value as string | Date | null | undefined;
    expect(formatDateTime(input, US)).toBe(NO_DATE);
    expect(formatDate(input, US)).toBe(NO_DATE);
    expect(formatTime(input, US)).toBe(NO_DATE);
  });

  it('falls back to the OS locale and zone when given ones Intl does not know', () => {
    expect(formatDate('2026-11-28', { locale: 'not a locale!', timeZone: 'Nowhere/Atlantis' })).toMatch(/28/);
    expect(formatDateTime('2026-11-28T10:00:00Z', { timeZone: 'Nowhere/Atlantis' })).toMatch(/2026/);
  });

  it('uses the OS locale by default', () => {
    const expected = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(Date.UTC(2026, 10, 28)));
    expect(formatDate('2026-11-28')).toBe(expected);
  });
});

// The sidebar's search, status filter and sort, its items' state line, and the listbox's keys
// (src/renderer/connection-list.ts, pure).
import { describe, expect, it } from 'vitest';
import { listCount, listState, moveActive, typeahead, visibleConnections } from '../../src/renderer/connection-list';
import type { ConnectionView, TestReport } from '../../src/shared/types';

const report = (ok: boolean, verdict = ok ? 'ok' : 'http-unauthorized'): TestReport => ({ ok, verdict } as TestReport);
const view = (name: string, more: Partial<ConnectionView> = {}): ConnectionView =>
  ({ id: name, name, serverAddress: `https://${name.toLowerCase().replace(/ /g, '-')}.example.com`, enabled: true, expiry: 'none', lastTest: null, lastTestedAt: null, ...more }) as ConnectionView;

const list = [
  view('Prod 10', { lastTest: report(true), lastTestedAt: '2026-11-20T10:00:00Z' }),
  view('Prod 9', { lastTest: report(false), lastTestedAt: '2026-11-22T10:00:00Z' }),
  view('Staging', { enabled: false }),
  view('Eval', { expiry: 'expiring', lastTest: report(false, 'test-cancelled'), lastTestedAt: '2026-11-21T10:00:00Z' }),
  view('Old', { expiry: 'expired', lastTest: report(true), lastTestedAt: '2026-11-01T10:00:00Z' }),
];
const names = (options: Partial<Parameters<typeof visibleConnections>[1]>) => visibleConnections(list, { query: '', status: 'all', sort: 'name', ...options }).map((c) => c.name);

describe('the connection list', () => {
  it('sorts by name, numbers in order, and by last test, never-tested last', () => {
    expect(names({})).toEqual(['Eval', 'Old', 'Prod 9', 'Prod 10', 'Staging']);
    expect(names({ sort: 'last-test' })).toEqual(['Prod 9', 'Eval', 'Prod 10', 'Old', 'Staging']);
  });

  it('searches names and addresses, ignoring case', () => {
    expect(names({ query: 'PROD' })).toEqual(['Prod 9', 'Prod 10']);
    expect(names({ query: 'staging.example' })).toEqual(['Staging']);
    expect(names({ query: 'nothing' })).toEqual([]);
  });

  it('filters by status: a cancelled test is not a failure, an expired token is', () => {
    expect(names({ status: 'failing' })).toEqual(['Old', 'Prod 9']);
    expect(names({ status: 'untested' })).toEqual(['Eval']);
    expect(names({ status: 'disabled' })).toEqual(['Staging']);
    expect(names({ status: 'expiring' })).toEqual(['Eval', 'Old']);
  });
});

describe("an item's state line", () => {
  const tested = (ok: boolean, more: Partial<ConnectionView> = {}) =>
    view('X', { verifyCertificate: true, pinnedSpki: null, tokenState: 'saved', lastTest: { ...report(ok), title: ok ? 'Connection successful' : 'API token rejected' }, ...more });

  it('says when a working connection does not check its server, in a warning tone', () => {
    expect(listState(tested(true))).toEqual({ label: 'Connected', tone: 'ok' });
    expect(listState(tested(true, { verifyCertificate: false }))).toEqual({ label: 'Connected · certificate not verified', tone: 'warn' });
    // A pinned key is checked, whatever Verify certificate says.
    expect(listState(tested(true, { verifyCertificate: false, pinnedSpki: 'sha256/abc' }))).toEqual({ label: 'Connected', tone: 'ok' });
    expect(listState(tested(false, { verifyCertificate: false }))).toEqual({ label: 'API token rejected', tone: 'failed' });
    expect(listState(tested(true, { verifyCertificate: false, lastTest: null }))).toEqual({ label: 'Not tested yet · certificate not verified', tone: 'warn' });
  });

  it('says when there is no API token (an import without secrets), unless disabled', () => {
    expect(listState(tested(true, { tokenState: 'missing', lastTest: null }))).toEqual({ label: 'No API token', tone: 'warn' });
    expect(listState(tested(true, { tokenState: 'missing', enabled: false }))).toEqual({ label: 'Disabled', tone: 'off' });
    expect(listState(tested(true, { tokenState: 'undecryptable' })).tone).toBe('failed');
    expect(listState(tested(true, { expiry: 'expiring' })).label).toBe('Connected · expires soon');
    expect(listState(tested(true, { expiry: 'expired' }))).toEqual({ label: 'Token expired', tone: 'failed' });
  });

  it('counts what is shown of all', () => {
    expect(listCount(500, 500)).toBe('500 connections');
    expect(listCount(1, 1)).toBe('1 connection');
    expect(listCount(12, 500)).toBe('12 of 500');
    expect(listCount(0, 500)).toBe('0 of 500');
  });
});

describe('the listbox keys', () => {
  it('move by one, by a page, to either end, and stay within the list', () => {
    expect(moveActive('ArrowDown', 0, 10, 4)).toBe(1);
    expect(moveActive('ArrowDown', 9, 10, 4)).toBe(9);
    expect(moveActive('ArrowUp', 0, 10, 4)).toBe(0);
    expect(moveActive('PageDown', 2, 10, 4)).toBe(6);
    expect(moveActive('PageDown', 8, 10, 4)).toBe(9);
    expect(moveActive('PageUp', 2, 10, 4)).toBe(0);
    expect(moveActive('Home', 5, 10, 4)).toBe(0);
    expect(moveActive('End', 5, 10, 4)).toBe(9);
    // No active option yet: Down takes the first.
    expect(moveActive('ArrowDown', -1, 10, 4)).toBe(0);
    expect(moveActive('ArrowUp', -1, 10, 4)).toBe(0);
    expect(moveActive('Enter', 5, 10, 4)).toBeNull();
    expect(moveActive('ArrowDown', 0, 0, 4)).toBeNull();
  });

  it('typeahead: the next name with that letter, wrapping; a repeated letter cycles; more letters refine', () => {
    const names = ['Amsterdam', 'Berlin', 'Bern', 'Bonn', 'Zürich', 'zagreb'];
    expect(typeahead(names, 0, 'b')).toBe(1);
    expect(typeahead(names, 1, 'b')).toBe(2); // from the active one on
    expect(typeahead(names, 3, 'b')).toBe(1); // wraps around
    expect(typeahead(names, 1, 'bb')).toBe(2); // the same letter again cycles
    expect(typeahead(names, 1, 'bo')).toBe(3);
    expect(typeahead(names, 1, 'ber')).toBe(1); // refining keeps the active one if it still matches
    expect(typeahead(names, 0, 'z')).toBe(4); // accents and case ignored
    expect(typeahead(names, 4, 'Z')).toBe(5);
    expect(typeahead(names, 0, 'x')).toBe(-1);
    expect(typeahead([], 0, 'a')).toBe(-1);
  });
});

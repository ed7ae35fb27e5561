// Which connections the sidebar shows, and in what order: a search by name or address, a filter by
// status, a sort by name or by last test. Pure, so it is tested under Node.
import type { ConnectionView } from '../shared/types';

export type StatusFilter = 'all' | 'failing' | 'untested' | 'disabled' | 'expiring';
export type SortBy = 'name' | 'last-test';

export const STATUS_FILTERS: Record<StatusFilter, string> = {
  all: 'All',
  failing: 'Failing',
  untested: 'Not tested',
  disabled: 'Disabled',
  expiring: 'Expiring or expired',
};

function matches(connection: ConnectionView, status: StatusFilter): boolean {
  const tested = connection.lastTest !== null && connection.lastTest.verdict !== 'test-cancelled';
  switch (status) {
    case 'all':
      return true;
    case 'failing':
      return connection.enabled && ((tested && !connection.lastTest!.ok) || connection.expiry === 'expired');
    case 'untested':
      return connection.enabled && !tested;
    case 'disabled':
      return !connection.enabled;
    case 'expiring':
      return connection.expiry === 'expiring' || connection.expiry === 'expired';
  }
}

// One collator for every comparison: localeCompare with options builds one per call, which made
// sorting 500 names take about 20 ms instead of 1.
const NAMES = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
const byName = (a: ConnectionView, b: ConnectionView): number => NAMES.compare(a.name, b.name);

export function visibleConnections(list: readonly ConnectionView[], options: { query: string; status: StatusFilter; sort: SortBy }): ConnectionView[] {
  const query = options.query.trim().toLowerCase();
  const shown = list.filter((c) => matches(c, options.status) && (query === '' || c.name.toLowerCase().includes(query) || c.serverAddress.toLowerCase().includes(query)));
  if (options.sort === 'name') return shown.sort(byName);
  // Most recently tested first; never tested last, by name.
  return shown.sort((a, b) => (b.lastTestedAt ?? '').localeCompare(a.lastTestedAt ?? '') || byName(a, b));
}

/** The colour of an item's dot: warn for a connection that works but does not check its server. */
export type Tone = 'ok' | 'warn' | 'failed' | 'untested' | 'off';

/** Verify certificate No and no pinned key: whoever answers at the address gets the token. */
export const certificateUnchecked = (connection: ConnectionView): boolean => !connection.verifyCertificate && connection.pinnedSpki === null;

/** An item's state line and tone, from what main last said about the connection. */
export function listState(connection: ConnectionView): { label: string; tone: Tone } {
  const unchecked = certificateUnchecked(connection) ? ' · certificate not verified' : '';
  const expiring = connection.expiry === 'expiring' ? ' · expires soon' : '';
  if (!connection.enabled) return { label: 'Disabled', tone: 'off' };
  // An import without its secrets, or a token that was lost: nothing can be tested until one is entered.
  if (connection.tokenState === 'missing') return { label: `No API token${unchecked}`, tone: 'warn' };
  if (connection.tokenState === 'undecryptable') return { label: 'API token cannot be read', tone: 'failed' };
  if (connection.expiry === 'expired') return { label: 'Token expired', tone: 'failed' };
  if (!connection.lastTest) return { label: `Not tested yet${unchecked}${expiring}`, tone: unchecked ? 'warn' : 'untested' };
  if (connection.lastTest.verdict === 'test-cancelled') return { label: `Test cancelled${unchecked}${expiring}`, tone: 'untested' };
  if (!connection.lastTest.ok) return { label: `${connection.lastTest.title}${expiring}`, tone: 'failed' };
  return { label: `Connected${unchecked}${expiring}`, tone: unchecked ? 'warn' : 'ok' };
}

/** The line above the list: how many are shown, of how many. */
export function listCount(shown: number, total: number): string {
  if (shown === total) return total === 1 ? '1 connection' : `${total} connections`;
  return `${shown} of ${total}`;
}

/**
 * Where a navigation key moves the active item of a list of `count` (WAI-ARIA listbox): one up or
 * down, a page (`page` items) up or down, to either end. null for any other key, or an empty list.
 */
export function moveActive(key: string, index: number, count: number, page: number): number | null {
  if (count === 0) return null;
  const last = count - 1;
  const from = index < 0 ? -1 : Math.min(index, last);
  const to: Record<string, number> = {
    ArrowDown: from + 1,
    ArrowUp: from < 0 ? 0 : from - 1,
    PageDown: from + Math.max(1, page),
    PageUp: from - Math.max(1, page),
    Home: 0,
    End: last,
  };
  const next = to[key];
  return next === undefined ? null : Math.max(0, Math.min(last, next));
}

const LETTERS = new Intl.Collator(undefined, { sensitivity: 'base' });
const startsWith = (name: string, typed: string): boolean => LETTERS.compare(name.slice(0, typed.length), typed) === 0;

/**
 * Typeahead (WAI-ARIA listbox): the next name starting with what was typed, from the active item on,
 * wrapping around; the same character again and again cycles through the names starting with it.
 * Accents and case are ignored ("z" finds "Zürich"). -1 when no name matches.
 */
export function typeahead(names: readonly string[], active: number, typed: string): number {
  if (names.length === 0 || typed === '') return -1;
  const chars = [...typed];
  const repeated = chars.every((c) => c === chars[0]);
  const search = repeated ? chars[0]! : typed;
  // A new first letter, or the same again, looks past the active item; more letters refine it.
  const first = repeated ? active + 1 : Math.max(0, active);
  for (let step = 0; step < names.length; step++) {
    const at = (first + step + names.length) % names.length;
    if (startsWith(names[at]!, search)) return at;
  }
  return -1;
}

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

const byName = (a: ConnectionView, b: ConnectionView): number => a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: 'base' });

export function visibleConnections(list: readonly ConnectionView[], options: { query: string; status: StatusFilter; sort: SortBy }): ConnectionView[] {
  const query = options.query.trim().toLowerCase();
  const shown = list.filter((c) => matches(c, options.status) && (query === '' || c.name.toLowerCase().includes(query) || c.serverAddress.toLowerCase().includes(query)));
  if (options.sort === 'name') return shown.sort(byName);
  // Most recently tested first; never tested last, by name.
  return shown.sort((a, b) => (b.lastTestedAt ?? '').localeCompare(a.lastTestedAt ?? '') || byName(a, b));
}

// The sidebar: brand, + New connection, the list's search, filter and sort, the list, and the footer
// (audit log, export and import, theme, where tokens are kept). Only the list scrolls: everything
// else stays in view however many connections there are.
import { useMemo, useState } from 'react';
import appIcon from '../../../resources/icon.svg';
import type { StatusView } from '../../shared/types';
import { listCount, STATUS_FILTERS, visibleConnections, type SortBy, type StatusFilter } from '../connection-list';
import { useKeybridge } from '../store';
import { applyTheme, storedTheme, type ThemeChoice } from '../store/theme';
import { ConnectionList } from './ConnectionList';

/** Where saved API tokens are, in one line: the admin always knows what protects them. */
function tokenStorage(status: StatusView): string {
  if (status.secretProtection === 'encrypted') return `API tokens encrypted by ${status.secretStore}`;
  if (status.secretProtection === 'obfuscated' && status.allowObfuscatedSecrets) return `API tokens only obfuscated on disk: ${status.secretStore}`;
  return status.secretProtection === 'obfuscated' ? `API tokens in memory only: ${status.secretStore}` : 'API tokens in memory only';
}

export function Sidebar() {
  const connections = useKeybridge((s) => s.connections);
  const selectedId = useKeybridge((s) => s.selectedId);
  const view = useKeybridge((s) => s.view);
  const select = useKeybridge((s) => s.select);
  const show = useKeybridge((s) => s.show);
  const busy = useKeybridge((s) => s.busy);
  const status = useKeybridge((s) => s.status);
  const onConnections = view.kind === 'connection';
  const [query, setQuery] = useState('');
  const [statusFilter, setStatusFilter] = useState<StatusFilter>('all');
  const [sort, setSort] = useState<SortBy>('name');
  const [theme, chooseTheme] = useState<ThemeChoice>(storedTheme);
  const setTheme = (choice: ThemeChoice): void => {
    applyTheme(choice);
    chooseTheme(choice);
  };
  // Worked out again only when the connections or the search, filter or sort change.
  const shown = useMemo(() => visibleConnections(connections, { query, status: statusFilter, sort }), [connections, query, statusFilter, sort]);
  const filtered = shown.length !== connections.length;
  const clear = (): void => {
    setQuery('');
    setStatusFilter('all');
  };

  return (
    <nav className="sidebar" aria-label="Connections">
      <div className="sidebar-top">
        <div className="brand">
          <img className="brand-mark" src={appIcon} alt="" width={32} height={32} />
          <div className="brand-text">
            <div className="brand-name">Keybridge</div>
            <div className="brand-sub">Key manager connections</div>
          </div>
        </div>
        <button type="button" className="button button-new" onClick={() => select(null)} disabled={busy !== null}>
          + New connection
        </button>
        {connections.length > 1 ? (
          <div className="list-tools" role="search">
            <input type="search" aria-label="Search connections" placeholder="Search name or address" value={query} onChange={(e) => setQuery(e.target.value)} />
            <div className="list-tools-row">
              <select aria-label="Show" value={statusFilter} onChange={(e) => setStatusFilter(e.target.value as StatusFilter)}>
                {Object.entries(STATUS_FILTERS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
              <select aria-label="Sort by" value={sort} onChange={(e) => setSort(e.target.value as SortBy)}>
                <option value="name">By name</option>
                <option value="last-test">By last test</option>
              </select>
            </div>
            <p className="list-count" role="status">
              {listCount(shown.length, connections.length)}
            </p>
          </div>
        ) : null}
      </div>
      {shown.length > 0 ? (
        <ConnectionList connections={shown} selectedId={onConnections ? selectedId : null} onOpen={select} arrangement={`${query}|${statusFilter}|${sort}`} />
      ) : null}
      {filtered && shown.length === 0 ? (
        <div className="sidebar-empty">
          <p>
            No connection matches{query.trim() ? ` “${query.trim()}”` : ''}
            {statusFilter !== 'all' ? ` among ${STATUS_FILTERS[statusFilter]}` : ''}.
          </p>
          <button type="button" className="link-button" onClick={clear}>
            {statusFilter === 'all' ? 'Clear the search' : query.trim() ? 'Clear the search and filter' : 'Show all connections'}
          </button>
        </div>
      ) : null}
      {connections.length === 0 && busy !== 'loading' ? (
        <p className="sidebar-empty">No connections yet. Fill in the form to add your first key manager.</p>
      ) : null}
      <div className="sidebar-footer">
        <div className="sidebar-views">
          <button
            type="button"
            className={`nav-item${view.kind === 'audit' ? ' is-selected' : ''}`}
            aria-current={view.kind === 'audit' ? 'page' : undefined}
            onClick={() => show({ kind: 'audit' })}
            disabled={busy !== null}
          >
            Audit log
          </button>
          <button
            type="button"
            className={`nav-item${view.kind === 'transfer' ? ' is-selected' : ''}`}
            aria-current={view.kind === 'transfer' ? 'page' : undefined}
            onClick={() => show({ kind: 'transfer' })}
            disabled={busy !== null}
          >
            Export and import
          </button>
        </div>
        <label className="theme-choice">
          Theme
          <select value={theme} onChange={(e) => setTheme(e.target.value as ThemeChoice)}>
            <option value="system">As the system</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
        {status ? <p className="sidebar-note">{tokenStorage(status)}</p> : null}
      </div>
    </nav>
  );
}

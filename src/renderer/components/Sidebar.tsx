import { useState, type KeyboardEvent } from 'react';
import type { ConnectionView, StatusView } from '../../shared/types';
import { STATUS_FILTERS, visibleConnections, type SortBy, type StatusFilter } from '../connection-list';
import { useKeybridge } from '../store';
import { applyTheme, storedTheme, type ThemeChoice } from '../store/theme';

function stateOf(connection: ConnectionView): { label: string; tone: 'ok' | 'failed' | 'untested' | 'off' } {
  if (!connection.enabled) return { label: 'Disabled', tone: 'off' };
  if (connection.expiry === 'expired') return { label: 'Token expired', tone: 'failed' };
  if (!connection.lastTest) return { label: 'Not tested yet', tone: 'untested' };
  if (connection.lastTest.verdict === 'test-cancelled') return { label: 'Test cancelled', tone: 'untested' };
  return connection.lastTest.ok ? { label: 'Connected', tone: 'ok' } : { label: connection.lastTest.title, tone: 'failed' };
}

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
  const shown = visibleConnections(connections, { query, status: statusFilter, sort });
  const filtered = shown.length !== connections.length;

  /** Up and down arrows move through the list, Home and End to its ends. */
  const onListKey = (event: KeyboardEvent<HTMLUListElement>): void => {
    const items = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('button.connection-item')];
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    const next = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 }[event.key];
    if (next === undefined || items.length === 0) return;
    event.preventDefault();
    items[Math.max(0, Math.min(items.length - 1, next))]?.focus();
  };

  return (
    <nav className="sidebar" aria-label="Connections">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          ⇄
        </span>
        <div>
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
          {filtered ? (
            <p className="list-count" role="status">
              {shown.length} of {connections.length}
            </p>
          ) : null}
        </div>
      ) : null}
      <ul className="connection-list" aria-label="Saved connections" onKeyDown={onListKey}>
        {shown.map((connection) => {
          const state = stateOf(connection);
          const current = onConnections && connection.id === selectedId;
          return (
            <li key={connection.id}>
              <button
                type="button"
                className={`connection-item${current ? ' is-selected' : ''}`}
                aria-current={current ? 'true' : undefined}
                onClick={() => select(connection.id)}
                disabled={busy !== null}
              >
                <span className={`dot dot-${state.tone}`} aria-hidden="true" />
                <span className="connection-text">
                  <span className="connection-name" title={connection.name}>
                    {connection.name}
                  </span>
                  {/* What a test reaches: the punycode host, with an internationalised name's Unicode beside it. */}
                  <span className="connection-address" title={connection.reaches?.unicodeHost ? `${connection.reaches.unicodeHost} is reached as ${connection.reaches.asciiHost}` : undefined}>
                    {connection.reaches?.address ?? connection.serverAddress}
                    {connection.reaches?.unicodeHost ? ` (${connection.reaches.unicodeHost})` : ''}
                  </span>
                  <span className="connection-state">
                    {state.label}
                    {connection.expiry === 'expiring' ? ' · expires soon' : ''}
                  </span>
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {connections.length === 0 && busy !== 'loading' ? (
        <p className="sidebar-empty">No connections yet. Fill in the form to add your first key manager.</p>
      ) : null}
      <div className="sidebar-footer">
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

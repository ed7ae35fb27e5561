import type { ConnectionView } from '../../shared/types';
import { useKeybridge } from '../store';

function stateOf(connection: ConnectionView): { label: string; tone: 'ok' | 'failed' | 'untested' } {
  if (!connection.lastTest) return { label: 'Not tested yet', tone: 'untested' };
  return connection.lastTest.ok ? { label: 'Connected', tone: 'ok' } : { label: connection.lastTest.title, tone: 'failed' };
}

export function Sidebar() {
  const connections = useKeybridge((s) => s.connections);
  const selectedId = useKeybridge((s) => s.selectedId);
  const select = useKeybridge((s) => s.select);
  const busy = useKeybridge((s) => s.busy);

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
      <ul className="connection-list">
        {connections.map((connection) => {
          const state = stateOf(connection);
          return (
            <li key={connection.id}>
              <button
                type="button"
                className={`connection-item${connection.id === selectedId ? ' is-selected' : ''}`}
                aria-current={connection.id === selectedId ? 'true' : undefined}
                onClick={() => select(connection.id)}
                disabled={busy !== null}
              >
                <span className={`dot dot-${state.tone}`} aria-hidden="true" />
                <span className="connection-text">
                  <span className="connection-name">{connection.name}</span>
                  <span className="connection-address">{connection.serverAddress}</span>
                  <span className="connection-state">{state.label}</span>
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {connections.length === 0 && busy !== 'loading' ? (
        <p className="sidebar-empty">No connections yet. Fill in the form to add your first key manager.</p>
      ) : null}
    </nav>
  );
}

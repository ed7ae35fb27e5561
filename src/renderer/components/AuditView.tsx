import { useCallback, useEffect, useState } from 'react';
import type { AuditEntry } from '../../shared/types';
import { api } from '../api';
import { KeybridgeCallError } from '../../shared/rpc';
import { useKeybridge } from '../store';

const ACTIONS = [
  'connection-created',
  'connection-updated',
  'connection-deleted',
  'connection-enabled',
  'connection-disabled',
  'token-imported',
  'token-rotated',
  'token-rotation-refused',
  'certificate-trusted',
  'certificate-forgotten',
  'connection-tested',
  'connections-exported',
  'connections-imported',
  'secret-policy-changed',
  'secret-orphans-removed',
] as const;

const dateTime = (iso: string): string => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function AuditView() {
  const connections = useKeybridge((s) => s.connections);
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [action, setAction] = useState('');
  const [outcome, setOutcome] = useState<'' | 'success' | 'failure'>('');
  const [connectionId, setConnectionId] = useState('');
  const [text, setText] = useState('');
  const [message, setMessage] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setEntries(
        await api.listAudit({
          ...(action ? { action } : {}),
          ...(outcome ? { outcome } : {}),
          ...(connectionId ? { connectionId } : {}),
          ...(text.trim() ? { text: text.trim() } : {}),
          limit: 500,
        }),
      );
    } catch (error) {
      setMessage(error instanceof KeybridgeCallError ? error.message : 'The audit log could not be read.');
    }
  }, [action, outcome, connectionId, text]);

  useEffect(() => {
    // Loading is asynchronous; the state is set when the answer arrives.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void load();
  }, [load]);

  const exportAs = async (format: 'csv' | 'json'): Promise<void> => {
    try {
      const result = await api.exportAudit({ format });
      setMessage(result ? `Exported ${result.count} entries to ${result.file}.` : null);
    } catch (error) {
      setMessage(error instanceof KeybridgeCallError ? error.message : 'The audit log could not be exported.');
    }
  };

  return (
    <div className="pane">
      <header className="pane-header">
        <div>
          <h1 id="pane-title">Audit log</h1>
          <p className="pane-sub">Every change and every test, on this workstation. Secrets are never written here.</p>
        </div>
        <div className="pane-actions">
          <button type="button" className="button" onClick={() => void exportAs('csv')}>
            Export CSV…
          </button>
          <button type="button" className="button" onClick={() => void exportAs('json')}>
            Export JSON…
          </button>
        </div>
      </header>
      {message ? (
        <div className="banner banner-ok" role="status">
          {message}
        </div>
      ) : null}
      <div className="card">
        <div className="filters" role="group" aria-label="Filters">
          <label>
            Action
            <select value={action} onChange={(e) => setAction(e.target.value)}>
              <option value="">All actions</option>
              {ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
          <label>
            Outcome
            <select value={outcome} onChange={(e) => setOutcome(e.target.value as typeof outcome)}>
              <option value="">Any</option>
              <option value="success">Success</option>
              <option value="failure">Failure</option>
            </select>
          </label>
          <label>
            Connection
            <select value={connectionId} onChange={(e) => setConnectionId(e.target.value)}>
              <option value="">All connections</option>
              {connections.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Search
            <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Name or detail" />
          </label>
        </div>
        {entries === null ? (
          <p className="muted">Loading…</p>
        ) : entries.length === 0 ? (
          <p className="muted">No entries match.</p>
        ) : (
          <table className="audit">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">User</th>
                <th scope="col">Action</th>
                <th scope="col">Connection</th>
                <th scope="col">Outcome</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e, i) => (
                <tr key={`${e.time}-${i}`}>
                  <td>{dateTime(e.time)}</td>
                  <td>{e.user}</td>
                  <td className="mono">{e.action}</td>
                  <td>{e.connectionName ?? '—'}</td>
                  <td className={e.outcome === 'failure' ? 'outcome-failure' : 'outcome-success'}>{e.outcome}</td>
                  <td className="mono">{e.detail ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}

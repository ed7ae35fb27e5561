// The audit log: every change and every test on this workstation, newest first, filtered in main.
// Actions and outcomes in words (audit-words.ts), times in the one format (date-format.ts, with
// seconds: entries of one minute stay apart); the CSV and JSON exports keep the codes and ISO times.
import { useCallback, useEffect, useState } from 'react';
import { AUDIT_ACTION_WORDS, AUDIT_ACTIONS, AUDIT_OUTCOME_WORDS, auditActionWords, auditOutcomeWords, isAuditAction } from '../../shared/audit-words';
import { formatDateTime } from '../../shared/date-format';
import { KeybridgeCallError } from '../../shared/rpc';
import type { AuditAction, AuditEntry } from '../../shared/types';
import { useKeybridge } from '../store';

type Outcome = '' | AuditEntry['outcome'];

export function AuditView() {
  const connections = useKeybridge((s) => s.connections);
  const listAudit = useKeybridge((s) => s.listAudit);
  const exportAudit = useKeybridge((s) => s.exportAudit);
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [action, setAction] = useState<'' | AuditAction>('');
  const [outcome, setOutcome] = useState<Outcome>('');
  const [connectionId, setConnectionId] = useState('');
  const [text, setText] = useState('');
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);

  const load = useCallback(async () => {
    try {
      setEntries(
        await listAudit({
          ...(action ? { action } : {}),
          ...(outcome ? { outcome } : {}),
          ...(connectionId ? { connectionId } : {}),
          ...(text.trim() ? { text: text.trim() } : {}),
          limit: 500,
        }),
      );
    } catch (error) {
      setMessage({ tone: 'error', text: error instanceof KeybridgeCallError ? error.message : 'The audit log could not be read.' });
    }
  }, [listAudit, action, outcome, connectionId, text]);

  useEffect(() => {
    // Loading is asynchronous; the state is set when the answer arrives.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void load();
  }, [load]);

  const exportAs = async (format: 'csv' | 'json'): Promise<void> => {
    try {
      const result = await exportAudit({ format });
      setMessage(result ? { tone: 'ok', text: `Exported ${result.count} entries to ${result.file}.` } : null);
    } catch (error) {
      setMessage({ tone: 'error', text: error instanceof KeybridgeCallError ? error.message : 'The audit log could not be exported.' });
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
        <div className={`banner ${message.tone === 'error' ? 'banner-error' : 'banner-ok'}`} role={message.tone === 'error' ? 'alert' : 'status'}>
          {message.text}
        </div>
      ) : null}
      <div className="card">
        <div className="filters" role="group" aria-label="Filters">
          <label>
            Action
            <select value={action} onChange={(e) => setAction(isAuditAction(e.target.value) ? e.target.value : '')}>
              <option value="">All actions</option>
              {AUDIT_ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {AUDIT_ACTION_WORDS[a]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Outcome
            <select value={outcome} onChange={(e) => setOutcome(e.target.value === 'success' || e.target.value === 'failure' ? e.target.value : '')}>
              <option value="">Any</option>
              <option value="success">{AUDIT_OUTCOME_WORDS.success}</option>
              <option value="failure">{AUDIT_OUTCOME_WORDS.failure}</option>
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
                  <td className="audit-time">
                    <time dateTime={e.time} title={e.time}>
                      {formatDateTime(e.time, { seconds: true })}
                    </time>
                  </td>
                  <td className="audit-user">{e.user}</td>
                  {/* The code, as the exports write it, in the tooltip: the words are for reading, the code for matching. */}
                  <td className="audit-action" title={e.action}>
                    {auditActionWords(e.action)}
                  </td>
                  <td className="audit-connection">{e.connectionName ?? '—'}</td>
                  <td className={e.outcome === 'failure' ? 'audit-outcome outcome-failure' : 'audit-outcome outcome-success'}>{auditOutcomeWords(e.outcome)}</td>
                  <td className="audit-detail mono">{e.detail ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}

import { useState, type KeyboardEvent } from 'react';
import type { ConnectionView } from '../../shared/types';
import { api } from '../api';
import { useKeybridge, type Outcome } from '../store';
import { ConnectionForm } from './ConnectionForm';
import { TestReportView } from './TestReportView';

function expiryBanner(connection: ConnectionView): string | null {
  if (connection.expiry === 'expired') return `The API token expired on ${connection.expiresOn}. Renew it in the key manager, then set the new expiry date or rotate the token.`;
  if (connection.expiry === 'expiring') return `The API token expires on ${connection.expiresOn}. Renew it in the key manager before then.`;
  return null;
}

function RotatePanel({ connection, onDone }: { connection: ConnectionView; onDone: (outcome: Outcome) => void }) {
  const rotate = useKeybridge((s) => s.rotate);
  const busy = useKeybridge((s) => s.busy);
  const [token, setToken] = useState('');
  return (
    <form
      className="card rotate"
      aria-label="Rotate token"
      onSubmit={(event) => {
        event.preventDefault();
        void rotate(connection.id, { apiToken: token }).then((outcome) => {
          setToken('');
          onDone(outcome);
        });
      }}
    >
      <label htmlFor="rotate-token">New API token</label>
      <p className="field-help">Keybridge tests the new token first and replaces the saved one only if the test passes.</p>
      <div className="input-with-button">
        <input id="rotate-token" type="password" autoFocus value={token} onChange={(e) => setToken(e.target.value)} autoComplete="off" spellCheck={false} />
        <button type="submit" className="button button-primary" disabled={busy !== null || token.trim() === ''}>
          Test and replace
        </button>
      </div>
    </form>
  );
}

export function ConnectionPane() {
  const selected = useKeybridge((s) => s.connections.find((c) => c.id === s.selectedId) ?? null);
  const busy = useKeybridge((s) => s.busy);
  const retest = useKeybridge((s) => s.retest);
  const remove = useKeybridge((s) => s.remove);
  const setEnabled = useKeybridge((s) => s.setEnabled);
  const trustCertificate = useKeybridge((s) => s.trustCertificate);
  const forgetTrustedCertificate = useKeybridge((s) => s.forgetTrustedCertificate);
  const [confirmingDelete, setConfirmingDelete] = useState<string | null>(null);
  const [rotating, setRotating] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: 'error' | 'ok'; text: string } | null>(null);

  if (busy === 'loading') return <p className="loading">Loading connections…</p>;

  const run = async (action: Promise<Outcome>, success?: string): Promise<void> => {
    const outcome = await action;
    setMessage(outcome.ok ? (success ? { tone: 'ok', text: success } : null) : { tone: 'error', text: outcome.message });
  };
  const banner = selected ? expiryBanner(selected) : null;

  /** Escape closes the open panel and gives focus back to the button that opened it. */
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.key !== 'Escape' || (!rotating && !confirmingDelete)) return;
    const trigger = rotating ? 'rotate-trigger' : 'delete-trigger';
    setRotating(null);
    setConfirmingDelete(null);
    requestAnimationFrame(() => document.getElementById(trigger)?.focus());
  };

  return (
    <div className="pane" onKeyDown={onKeyDown}>
      <header className="pane-header">
        <div>
          <h1 id="pane-title">
            {selected ? selected.name : 'New connection'}
            {selected && !selected.enabled ? <span className="badge badge-muted">Disabled</span> : null}
          </h1>
          <p className="pane-sub">
            {selected
              ? 'Change the settings and save, or test the saved connection again.'
              : 'Connect to a key manager: enter its address, import the API token, decide how its certificate is trusted.'}
          </p>
        </div>
        {selected ? (
          <div className="pane-actions">
            <button type="button" className="button" disabled={busy !== null || !selected.enabled} onClick={() => void run(retest(selected.id))}>
              Test again
            </button>
            <button type="button" id="rotate-trigger" className="button" disabled={busy !== null || !selected.enabled} onClick={() => setRotating(rotating === selected.id ? null : selected.id)} aria-expanded={rotating === selected.id}>
              Rotate token…
            </button>
            <button
              type="button"
              className="button"
              disabled={busy !== null}
              onClick={() => void run(setEnabled(selected.id, !selected.enabled), selected.enabled ? 'Disabled: Keybridge will not use this connection until you enable it. Its token is kept.' : 'Enabled.')}
            >
              {selected.enabled ? 'Disable' : 'Enable'}
            </button>
            {confirmingDelete === selected.id ? (
              <span className="confirm" role="group" aria-label="Confirm deletion">
                <span>Delete this connection and its saved API token?</span>
                <button
                  type="button"
                  className="button button-danger"
                  disabled={busy !== null}
                  onClick={() => {
                    setConfirmingDelete(null);
                    // After a delete the work continues in the list: focus its first connection (or + New connection).
                    void run(remove(selected.id)).then(() =>
                      requestAnimationFrame(() => document.querySelector<HTMLElement>('button.connection-item, button.button-new')?.focus()),
                    );
                  }}
                >
                  Delete
                </button>
                {/* The safe choice has focus, so Enter does not delete by accident and Escape closes. */}
                <button type="button" className="button" autoFocus onClick={() => setConfirmingDelete(null)}>
                  Cancel
                </button>
              </span>
            ) : (
              <button type="button" id="delete-trigger" className="button button-quiet" disabled={busy !== null} onClick={() => setConfirmingDelete(selected.id)}>
                Delete…
              </button>
            )}
          </div>
        ) : null}
      </header>
      {banner ? (
        <div className={`banner ${selected?.expiry === 'expired' ? 'banner-error' : 'banner-warning'}`} role="status">
          {banner}
        </div>
      ) : null}
      {message ? (
        <div className={`banner ${message.tone === 'error' ? 'banner-error' : 'banner-ok'}`} role={message.tone === 'error' ? 'alert' : 'status'}>
          {message.text}
        </div>
      ) : null}
      {selected && selected.enabled && rotating === selected.id ? (
        <RotatePanel
          connection={selected}
          onDone={(outcome) => {
            if (outcome.ok) setRotating(null);
            setMessage(outcome.ok ? { tone: 'ok', text: 'Token rotated: the new token passed the test and replaced the old one.' } : { tone: 'error', text: outcome.message });
          }}
        />
      ) : null}
      <div className="pane-body">
        <ConnectionForm key={selected?.id ?? 'new'} connection={selected} />
        <TestReportView
          connection={selected}
          testing={busy === 'testing'}
          onCancel={() => selected && void api.cancelTest({ id: selected.id })}
          onTrust={(pin) => selected && void run(trustCertificate(selected.id, pin))}
          onForget={() => selected && void run(forgetTrustedCertificate(selected.id))}
        />
      </div>
    </div>
  );
}

// The open connection: its header (name, Rotate token…, Disable, Delete…), the form and the test
// report side by side (or one above the other in a narrow window), each scrolling on its own, and
// the action bar below them, always in view.
import { useCallback, useRef, useState, type KeyboardEvent } from 'react';
import { formatDate } from '../../shared/date-format';
import type { ConnectionView, PresetId } from '../../shared/types';
import { KeybridgeCallError } from '../../shared/rpc';
import { useKeybridge, type Outcome } from '../store';
import { ActionBar } from './ActionBar';
import { ConnectionForm } from './connection-form/ConnectionForm';
import { TestReportView } from './TestReportView';

function expiryBanner(connection: ConnectionView): string | null {
  if (!connection.expiresOn) return null;
  if (connection.expiry === 'expired') return `The API token expired on ${formatDate(connection.expiresOn)}. Renew it in the key manager, then set the new expiry date or rotate the token.`;
  if (connection.expiry === 'expiring') return `The API token expires on ${formatDate(connection.expiresOn)}. Renew it in the key manager before then.`;
  return null;
}

/** A new token, pasted or imported from the key manager's file, tested before it replaces the saved one. */
function RotatePanel({ connection, onDone }: { connection: ConnectionView; onDone: (outcome: Outcome) => void }) {
  const rotate = useKeybridge((s) => s.rotate);
  const importTokenFile = useKeybridge((s) => s.importTokenFile);
  const testing = useKeybridge((s) => s.testingId !== null);
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const finish = (outcome: Outcome): void => {
    setToken('');
    onDone(outcome);
    // Refused: the panel stays, and the work continues in its field.
    if (!outcome.ok) requestAnimationFrame(() => document.getElementById('rotate-token')?.focus());
  };
  const fromFile = async (): Promise<void> => {
    try {
      const imported = await importTokenFile();
      if (imported) finish(await rotate(connection.id, { tokenImportId: imported.importId }));
    } catch (failure) {
      setError(failure instanceof KeybridgeCallError ? failure.message : 'The file could not be imported.');
    }
  };
  return (
    <form
      className="card rotate"
      aria-label="Rotate token"
      onSubmit={(event) => {
        event.preventDefault();
        void rotate(connection.id, { apiToken: token }).then(finish);
      }}
    >
      <label htmlFor="rotate-token">New API token</label>
      <p className="field-help">Keybridge tests the new token first and replaces the saved one only if the test passes.</p>
      <div className="input-with-button">
        <input id="rotate-token" type="password" autoFocus value={token} onChange={(e) => setToken(e.target.value)} autoComplete="off" spellCheck={false} aria-describedby={error ? 'rotate-error' : undefined} />
        <button type="submit" className="button button-primary" disabled={testing || token.trim() === ''}>
          Test and replace
        </button>
        <button type="button" className="button" disabled={testing} onClick={() => void fromFile()}>
          Import from file…
        </button>
      </div>
      {error ? (
        <p className="field-error" id="rotate-error">
          {error}
        </p>
      ) : null}
    </form>
  );
}

/** Gives focus to the element with this id once React has drawn the change. */
const focusSoon = (id: string): void => {
  requestAnimationFrame(() => document.getElementById(id)?.focus());
};

export function ConnectionPane() {
  const selected = useKeybridge((s) => s.connections.find((c) => c.id === s.selectedId) ?? null);
  const busy = useKeybridge((s) => s.busy);
  const paneKey = useKeybridge((s) => s.paneKey);
  const testing = useKeybridge((s) => s.testingId !== null && s.testingId === s.selectedId);
  const remove = useKeybridge((s) => s.remove);
  const setEnabled = useKeybridge((s) => s.setEnabled);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [rotating, setRotating] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'ok'; text: string } | null>(null);
  const [product, setProduct] = useState<PresetId | null>(null);
  const onProductChange = useCallback((preset: PresetId) => setProduct(preset), []);
  const body = useRef<HTMLDivElement>(null);

  if (busy === 'loading') return <p className="loading">Loading connections…</p>;

  const run = async (action: Promise<Outcome>, success?: string): Promise<void> => {
    const outcome = await action;
    setMessage(outcome.ok ? (success ? { tone: 'ok', text: success } : null) : { tone: 'error', text: outcome.message });
  };
  const banner = selected ? expiryBanner(selected) : null;
  const closeDelete = (): void => {
    setConfirmingDelete(false);
    focusSoon('delete-trigger');
  };

  /** Escape closes the open panel and gives focus back to the button that opened it. */
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.key !== 'Escape' || (!rotating && !confirmingDelete)) return;
    // This Escape closed a panel: it does not also cancel a running test (App).
    event.preventDefault();
    if (rotating) focusSoon('rotate-trigger');
    else focusSoon('delete-trigger');
    setRotating(false);
    setConfirmingDelete(false);
  };

  return (
    <div className="pane" onKeyDown={onKeyDown}>
      <header className="pane-header">
        <div className="pane-title">
          <h1 id="pane-title" title={selected?.name}>
            <span className="pane-name">{selected ? selected.name : 'New connection'}</span>
            {selected && !selected.enabled ? <span className="badge badge-muted">Disabled</span> : null}
          </h1>
        </div>
        {selected ? (
          <div className="pane-actions">
            <button type="button" id="rotate-trigger" className="button" disabled={busy !== null || testing || !selected.enabled} onClick={() => setRotating(!rotating)} aria-expanded={rotating}>
              Rotate token…
            </button>
            <button
              type="button"
              className="button"
              disabled={busy !== null || testing}
              onClick={() => void run(setEnabled(selected.id, !selected.enabled), selected.enabled ? 'Disabled: Keybridge will not use this connection until you enable it. Its token is kept.' : 'Enabled.')}
            >
              {selected.enabled ? 'Disable' : 'Enable'}
            </button>
            <button type="button" id="delete-trigger" className="button button-quiet" disabled={busy !== null || testing} onClick={() => setConfirmingDelete(true)} aria-expanded={confirmingDelete}>
              Delete…
            </button>
          </div>
        ) : (
          <p className="pane-sub">Enter the key manager's address, import the API token, decide how its certificate is trusted.</p>
        )}
      </header>
      {selected && confirmingDelete ? (
        <div className="banner banner-error confirm-row" role="group" aria-label="Confirm deletion">
          <span>Delete this connection and its saved API token? This cannot be undone.</span>
          <span className="confirm-buttons">
            {/* The safe choice has focus, so Enter does not delete by accident; Cancel and Escape give focus back to Delete…. */}
            <button type="button" className="button" autoFocus onClick={closeDelete}>
              Cancel
            </button>
            <button
              type="button"
              className="button button-danger"
              disabled={busy !== null}
              onClick={() => {
                setConfirmingDelete(false);
                // After a delete the work continues in the list.
                void run(remove(selected.id)).then(() =>
                  requestAnimationFrame(() => document.querySelector<HTMLElement>('[role="listbox"], button.button-new')?.focus()),
                );
              }}
            >
              Delete
            </button>
          </span>
        </div>
      ) : null}
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
      {selected && selected.enabled && rotating ? (
        <RotatePanel
          connection={selected}
          onDone={(outcome) => {
            if (outcome.ok) {
              setRotating(false);
              focusSoon('rotate-trigger');
            }
            setMessage(outcome.ok ? { tone: 'ok', text: 'Token rotated: the new token passed the test and replaced the old one.' } : { tone: 'error', text: outcome.message });
          }}
        />
      ) : null}
      <div className="pane-body" ref={body}>
        <div className="pane-column">
          <ConnectionForm key={paneKey} connection={selected} onProductChange={onProductChange} />
        </div>
        <div className="pane-column">
          <TestReportView connection={selected} product={product ?? selected?.preset ?? null} />
        </div>
      </div>
      <ActionBar connection={selected} />
    </div>
  );
}

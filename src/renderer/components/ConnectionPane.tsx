import { useState } from 'react';
import { useKeybridge } from '../store';
import { ConnectionForm } from './ConnectionForm';
import { TestReportView } from './TestReportView';

export function ConnectionPane() {
  const selected = useKeybridge((s) => s.connections.find((c) => c.id === s.selectedId) ?? null);
  const busy = useKeybridge((s) => s.busy);
  const retest = useKeybridge((s) => s.retest);
  const remove = useKeybridge((s) => s.remove);
  const trustCertificate = useKeybridge((s) => s.trustCertificate);
  const forgetTrustedCertificate = useKeybridge((s) => s.forgetTrustedCertificate);
  const [confirmingDelete, setConfirmingDelete] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  if (busy === 'loading') return <p className="loading">Loading connections…</p>;

  const run = async (action: Promise<{ ok: boolean; message?: string }>): Promise<void> => {
    const outcome = await action;
    setActionError(outcome.ok ? null : (outcome.message ?? null));
  };

  return (
    <div className="pane">
      <header className="pane-header">
        <div>
          <h1 id="pane-title">{selected ? selected.name : 'New connection'}</h1>
          <p className="pane-sub">
            {selected
              ? 'Change the settings and save, or test the saved connection again.'
              : 'Connect to a key manager: enter its address, paste the API token, decide how its certificate is trusted.'}
          </p>
        </div>
        {selected ? (
          <div className="pane-actions">
            <button type="button" className="button" disabled={busy !== null} onClick={() => void run(retest(selected.id))}>
              Test again
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
                    void run(remove(selected.id));
                  }}
                >
                  Delete
                </button>
                <button type="button" className="button" onClick={() => setConfirmingDelete(null)}>
                  Cancel
                </button>
              </span>
            ) : (
              <button type="button" className="button button-quiet" disabled={busy !== null} onClick={() => setConfirmingDelete(selected.id)}>
                Delete…
              </button>
            )}
          </div>
        ) : null}
      </header>
      {actionError ? (
        <div className="banner banner-error" role="alert">
          {actionError}
        </div>
      ) : null}
      <div className="pane-body">
        <ConnectionForm key={selected?.id ?? 'new'} connection={selected} />
        <TestReportView
          connection={selected}
          testing={busy === 'testing'}
          onTrust={(pin) => selected && void run(trustCertificate(selected.id, pin))}
          onForget={() => selected && void run(forgetTrustedCertificate(selected.id))}
        />
      </div>
    </div>
  );
}

import { useState } from 'react';
import type { ConnectionView } from '../../../shared/types';
import { formatDate } from '../../../shared/date-format';
import { useKeybridge, type Outcome } from '../../store';
import { CertificateName } from '../CertificateName';

/**
 * The certificate files of a saved connection: extra CA certificates to trust, and the client
 * certificate for mutual TLS. Files are chosen in a native dialog and read in main.
 */
export function TrustFiles({ connection, clientMarked }: { connection: ConnectionView; clientMarked: string | null }) {
  // Not while this connection is saved or tested: the change would race the test's settings.
  const locked = useKeybridge((s) => s.busy !== null || s.testingId === connection.id);
  const addCa = useKeybridge((s) => s.addCaCertificate);
  const removeCa = useKeybridge((s) => s.removeCaCertificate);
  const setClient = useKeybridge((s) => s.setClientCertificate);
  const removeClient = useKeybridge((s) => s.removeClientCertificate);
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  const run = async (action: Promise<Outcome>): Promise<void> => {
    const outcome = await action;
    setError(outcome.ok ? null : outcome.message);
  };

  return (
    <div className="trust-files">
      <div className="field">
        <span className="label">CA certificates trusted for this connection</span>
        {connection.extraCas.length === 0 ? <p className="field-help">None: the built-in CAs (and the OS store, if chosen) decide.</p> : null}
        <ul className="plain-list" aria-label="Trusted CA certificates">
          {connection.extraCas.map((ca) => (
            <li key={ca.sha256}>
              <span>
                <CertificateName name={ca.subject} /> <span className="muted">until {formatDate(ca.validTo)}</span>
              </span>
              <button type="button" className="button button-small" disabled={locked} onClick={() => void run(removeCa(connection.id, ca.sha256))}>
                Remove
              </button>
            </li>
          ))}
        </ul>
        <div>
          <button type="button" className="button button-small" disabled={locked} onClick={() => void run(addCa(connection.id))}>
            Add CA certificate…
          </button>
        </div>
      </div>
      <div className={`field${clientMarked ? ' is-marked' : ''}`}>
        <span className="label">Client certificate (mutual TLS)</span>
        {clientMarked ? <div className="field-note verdict-fix" role="status">{clientMarked}</div> : null}
        {connection.clientCertificate ? (
          <div className="plain-list-item">
            <span>
              <CertificateName name={connection.clientCertificate.subject} /> <span className="muted">until {formatDate(connection.clientCertificate.validTo)}</span>
            </span>
            <button type="button" className="button button-small" disabled={locked} onClick={() => void run(removeClient(connection.id))}>
              Remove
            </button>
          </div>
        ) : (
          <>
            <label htmlFor={`${connection.id}-p12`} className="field-help">
              Passphrase of the PKCS#12 file or key, if it has one
            </label>
            <div className="input-with-button">
              <input id={`${connection.id}-p12`} type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoComplete="off" />
              <button
                type="button"
                className="button button-small"
                disabled={locked}
                onClick={() => void run(setClient(connection.id, passphrase)).then(() => setPassphrase(''))}
              >
                Choose client certificate…
              </button>
            </div>
          </>
        )}
      </div>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

import { useState } from 'react';
import { api } from '../api';
import { KeybridgeCallError } from '../../shared/rpc';
import type { ImportPreview } from '../../shared/types';
import { useKeybridge } from '../store';

const MIN_PASSPHRASE = 12;

/** What the preview says about how far the file can be trusted. */
const PROTECTION: Record<ImportPreview['protection'], string> = {
  passphrase: 'Protected by the passphrase: these are the connection settings exactly as they were exported.',
  checksum: 'This export has no passphrase: Keybridge checked that it is undamaged, but cannot prove who wrote it. Check that every server address is one you expect before importing.',
  none: 'This export comes from an earlier Keybridge and is not protected against changes. Check that every server address is one you expect before importing.',
};

export function TransferView() {
  const load = useKeybridge((s) => s.load);
  const [includeSecrets, setIncludeSecrets] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [importPassphrase, setImportPassphrase] = useState('');
  const [needsPassphrase, setNeedsPassphrase] = useState(false);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);

  const problem = includeSecrets
    ? passphrase.length < MIN_PASSPHRASE
      ? `Choose a passphrase of at least ${MIN_PASSPHRASE} characters.`
      : passphrase !== confirm
        ? 'The two passphrases differ.'
        : null
    : null;

  const fail = (error: unknown): void =>
    setMessage({ tone: 'error', text: error instanceof KeybridgeCallError ? error.message : 'Something went wrong. Nothing was changed.' });

  const doExport = async (): Promise<void> => {
    try {
      const result = await api.exportConnections({ includeSecrets, ...(includeSecrets ? { passphrase } : {}) });
      if (result) {
        setMessage({ tone: 'ok', text: `Exported ${result.count} connection(s) to ${result.file}${result.withSecrets ? ', with their secrets encrypted by your passphrase' : ', without secrets'}.` });
        setPassphrase('');
        setConfirm('');
      }
    } catch (error) {
      fail(error);
    }
  };

  /** Step one: choose the file; main reads, verifies and checks it, and lists what it would create. */
  const doPreview = async (): Promise<void> => {
    try {
      const shown = await api.previewImport(importPassphrase ? { passphrase: importPassphrase } : {});
      if (shown) {
        setPreview(shown);
        setMessage(null);
      }
    } catch (error) {
      setPreview(null);
      if (error instanceof KeybridgeCallError && (error.code === 'passphrase-required' || error.code === 'wrong-passphrase')) setNeedsPassphrase(true);
      fail(error);
    }
  };

  /** Step two: import exactly what the preview showed. */
  const doImport = async (previewId: string): Promise<void> => {
    try {
      const result = await api.importConnections({ previewId });
      setPreview(null);
      setNeedsPassphrase(false);
      setImportPassphrase('');
      setMessage({ tone: 'ok', text: `Imported ${result.imported} connection(s) (${result.secrets} with secrets); ${result.skipped} skipped because they were already here.` });
      await load();
    } catch (error) {
      setPreview(null);
      fail(error);
    }
  };

  const fresh = preview?.connections.filter((c) => !c.exists).length ?? 0;

  return (
    <div className="pane">
      <header className="pane-header">
        <div>
          <h1 id="pane-title">Export and import</h1>
          <p className="pane-sub">Move connections between workstations. Secrets leave only inside a file encrypted with a passphrase you choose.</p>
        </div>
      </header>
      {message ? (
        <div className={`banner ${message.tone === 'error' ? 'banner-error' : 'banner-ok'}`} role={message.tone === 'error' ? 'alert' : 'status'}>
          {message.text}
        </div>
      ) : null}
      <div className="pane-body">
        <section className="card form" aria-label="Export connections">
          <h2>Export</h2>
          <label className="checkbox">
            <input type="checkbox" checked={includeSecrets} onChange={(e) => setIncludeSecrets(e.target.checked)} /> Include API tokens, encrypted with a passphrase
          </label>
          {includeSecrets ? (
            <>
              <div className="field">
                <label htmlFor="export-passphrase">Passphrase</label>
                <input id="export-passphrase" type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoComplete="new-password" />
              </div>
              <div className="field">
                <label htmlFor="export-confirm">Passphrase again</label>
                <input id="export-confirm" type="password" value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="new-password" />
                {/* The rule is a hint until something is typed; then a mistake is shown as one. */}
                <p className={problem && passphrase !== '' ? 'field-error' : 'field-help'}>
                  {problem ?? 'Tell the passphrase to the other workstation\'s admin by another channel than the file.'}
                </p>
              </div>
            </>
          ) : (
            <p className="field-help">Without tokens, the other workstation asks for each token before its first test.</p>
          )}
          <div className="form-actions">
            <button type="button" className="button button-primary" disabled={problem !== null} onClick={() => void doExport()}>
              Export connections…
            </button>
          </div>
        </section>
        <section className="card form" aria-label="Import connections">
          <h2>Import</h2>
          <p className="field-help">Connections already on this workstation are kept as they are.</p>
          {needsPassphrase ? (
            <div className="field">
              <label htmlFor="import-passphrase">Passphrase of the export</label>
              <input id="import-passphrase" type="password" value={importPassphrase} onChange={(e) => setImportPassphrase(e.target.value)} autoComplete="off" />
            </div>
          ) : null}
          {preview ? (
            <div className="import-preview" role="group" aria-label="What the import creates">
              <p className={preview.protection === 'passphrase' ? 'field-help' : 'banner banner-warning'}>{PROTECTION[preview.protection]}</p>
              <table className="preview-table">
                <caption>{preview.file}</caption>
                <thead>
                  <tr>
                    <th scope="col">Connection</th>
                    <th scope="col">Server address</th>
                    <th scope="col">On this workstation</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.connections.map((c, index) => (
                    <tr key={index}>
                      <td>{c.name}</td>
                      <td className="mono">{c.serverAddress}</td>
                      <td>{c.exists ? 'Already here: kept as it is' : c.withSecret ? 'New, with its API token' : 'New, without a token'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <div className="form-actions">
                <button type="button" className="button button-primary" disabled={fresh === 0} onClick={() => void doImport(preview.previewId)}>
                  {fresh === 1 ? 'Import 1 connection' : `Import ${fresh} connections`}
                </button>
                <button type="button" className="button" onClick={() => setPreview(null)}>
                  Cancel
                </button>
              </div>
            </div>
          ) : (
            <div className="form-actions">
              <button type="button" className="button button-primary" onClick={() => void doPreview()}>
                Import connections…
              </button>
            </div>
          )}
        </section>
      </div>
    </div>
  );
}

// Export and import: connections move between workstations, secrets only inside a file encrypted
// with a passphrase. An import is previewed first: every connection with where its secret would go
// and what it would trust, as the file says, for the admin to check before anything is created.
import { Fragment, useState, type ReactNode } from 'react';
import { readProxySetting } from '../../shared/proxy-setting';
import { KeybridgeCallError } from '../../shared/rpc';
import type { AuthMethod, ImportedConnection, ImportPreview } from '../../shared/types';
import { useKeybridge } from '../store';
import { CertificateName } from './CertificateName';

const MIN_PASSPHRASE = 12;

/** What the preview says about how far the file can be trusted. */
const PROTECTION: Record<ImportPreview['protection'], string> = {
  passphrase: 'Protected by the passphrase: these are the connection settings exactly as they were exported.',
  checksum:
    'This export has no passphrase: Keybridge checked that it is undamaged, but cannot prove who wrote it. Check that every server address is one you expect. Its trust settings (Verify certificate, pinned key, CA certificates, proxy) are not imported unless you keep them for a connection.',
  none: 'This export comes from an earlier Keybridge and is not protected against changes. Check that every server address is one you expect. Its trust settings (Verify certificate, pinned key, CA certificates, proxy) are not imported unless you keep them for a connection.',
};

/** How the secret is sent, in the form's words. */
const AUTH: Record<AuthMethod, (identity: string | null) => string> = {
  bearer: () => 'Token (Authorization: Bearer)',
  header: (identity) => `API key in the header ${identity ?? ''}`,
  basic: (identity) => `User name and password (HTTP Basic), user ${identity ?? ''}`,
  'passportal-hmac': (identity) => `Access key (Passportal HMAC), access key ID ${identity ?? ''}`,
};

/** Text with a line-break opportunity after each match of `after` ("/" in paths, ":" in fingerprints); elsewhere only when a part cannot fit. */
function breakAfter(text: string, after: RegExp): ReactNode[] {
  return text.split(after).map((part, i) => (
    <Fragment key={i}>
      {part}
      <wbr />
    </Fragment>
  ));
}

const SLASHES = /(?<=[/\\])/;

/**
 * A web address as the file writes it, wrapping after its scheme, after its host or at a "/": never
 * inside the host while it fits a line of its own, since the host is what the admin is asked to
 * check. It is not cut with an ellipsis either: the cut end could be the part that matters
 * ("keymanager.example.com.attacker.example"). A host wider than the whole column breaks after a
 * dot, as a last resort (views.css: the host is one inline block).
 */
function Address({ address }: { address: string }) {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)?([^/?#]*)([\s\S]*)$/i.exec(address);
  const [, scheme = '', host = '', rest = ''] = match ?? [];
  return (
    <span className="address" title={address}>
      {scheme ? (
        <>
          <span className="address-scheme">{scheme}</span>
          <wbr />
        </>
      ) : null}
      <span className="address-host">
        {host.split(/(?<=\.)/).map((label, i) => (
          <Fragment key={i}>
            {i > 0 ? <wbr /> : null}
            <span className="address-label">{label}</span>
          </Fragment>
        ))}
      </span>
      {breakAfter(rest, SLASHES)}
    </span>
  );
}

function Proxy({ proxy }: { proxy: string }) {
  const setting = readProxySetting(proxy);
  if (setting.kind === 'environment') return <>From the environment (HTTPS_PROXY, NO_PROXY)</>;
  if (setting.kind === 'none') return <>None: straight to the server</>;
  return (
    <span className="mono">
      <Address address={setting.url} />
    </span>
  );
}

/** Everything that decides where one connection's secret goes and what it trusts, as the file says. */
function ImportedSettings({ connection, authenticated, keep, onKeep }: { connection: ImportedConnection; authenticated: boolean; keep: boolean; onKeep: (keep: boolean) => void }) {
  const { trust } = connection;
  const keepId = `keep-trust-${connection.id}`;
  const whyId = `keep-trust-why-${connection.id}`;
  return (
    <div className="import-trust" role="group" aria-label={`Settings of ${connection.name}`}>
      <dl className="import-trust-list">
        <dt>Product</dt>
        <dd>{connection.product}</dd>
        <dt>Authentication</dt>
        <dd>{AUTH[connection.authMethod](connection.authIdentity)}</dd>
        <dt>Path tested</dt>
        <dd className="mono">{breakAfter(connection.endpoint, SLASHES)}</dd>
        <dt>Verify certificate</dt>
        <dd>{trust.verifyCertificate ? 'Yes' : <strong className="import-trust-risk">No: the certificate is not checked; anyone in between can read the token</strong>}</dd>
        <dt>Pinned key</dt>
        <dd>
          {trust.pinnedSpki ? (
            <>
              <span className="import-trust-risk">A certificate with this public key is trusted, whoever issued it (SHA-256 of the key):</span>
              <br />
              <span className="mono">{trust.pinnedSpki}</span>
            </>
          ) : (
            'None'
          )}
        </dd>
        <dt>CA certificates</dt>
        <dd>
          {trust.extraCas.length === 0 ? (
            'None besides the built-in ones'
          ) : (
            <ul className="import-trust-cas">
              {trust.extraCas.map((ca) => (
                <li key={ca.sha256}>
                  <CertificateName name={ca.subject} className="import-trust-risk" />
                  <br />
                  <span className="mono">SHA-256 {breakAfter(ca.sha256, /(?<=:)/)}</span>
                </li>
              ))}
            </ul>
          )}
          {trust.useSystemCa ? <div className="import-trust-risk">Also trusts this computer&apos;s own CA store</div> : null}
        </dd>
        <dt>Client certificate</dt>
        <dd>
          {trust.clientCertificate ? (
            <>
              <CertificateName name={trust.clientCertificate.subject} />
              <br />
              <span className="field-help">Not imported: its private key never leaves the other workstation. Choose the certificate again here.</span>
            </>
          ) : (
            'None'
          )}
        </dd>
        <dt>Proxy</dt>
        <dd className={trust.proxy === '' ? undefined : 'import-trust-risk'}>
          <Proxy proxy={trust.proxy} />
        </dd>
      </dl>
      {connection.exists ? (
        <p className="field-help">Already on this workstation: nothing of this file is used for it.</p>
      ) : !connection.customTrust ? (
        <p className="field-help">These are the safe defaults: the certificate is verified against the built-in authorities, the proxy comes from the environment.</p>
      ) : authenticated ? (
        <p className="field-help">Imported as they are: the passphrase proves these settings were not changed since the export.</p>
      ) : (
        <div className="import-trust-keep">
          <label className="checkbox" htmlFor={keepId}>
            <input id={keepId} type="checkbox" checked={keep} onChange={(e) => onKeep(e.target.checked)} aria-describedby={whyId} /> Keep these settings
          </label>
          <p id={whyId} className={keep ? 'field-help import-trust-warning' : 'field-help'}>
            {keep
              ? 'Kept: the token for this connection will be sent as these settings say. Keep them only if you know they are yours: this file has no passphrase, so anyone could have changed them.'
              : 'Not kept: this file has no passphrase, so anyone could have changed these settings (and its checksum). Imported without them: Verify certificate Yes, no pinned key, no extra CA certificates, proxy from the environment.'}
          </p>
        </div>
      )}
    </div>
  );
}

export function TransferView() {
  const exportConnections = useKeybridge((s) => s.exportConnections);
  const previewImport = useKeybridge((s) => s.previewImport);
  const importConnections = useKeybridge((s) => s.importConnections);
  const [includeSecrets, setIncludeSecrets] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [importPassphrase, setImportPassphrase] = useState('');
  const [needsPassphrase, setNeedsPassphrase] = useState(false);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  /** Connections of the preview whose trust settings the admin keeps (a file without a passphrase: none until ticked). */
  const [keepTrust, setKeepTrust] = useState<ReadonlySet<string>>(new Set());
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
      const result = await exportConnections({ includeSecrets, ...(includeSecrets ? { passphrase } : {}) });
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
      const shown = await previewImport(importPassphrase ? { passphrase: importPassphrase } : {});
      if (shown) {
        setPreview(shown);
        setKeepTrust(new Set());
        setMessage(null);
      }
    } catch (error) {
      setPreview(null);
      if (error instanceof KeybridgeCallError && (error.code === 'passphrase-required' || error.code === 'wrong-passphrase')) setNeedsPassphrase(true);
      fail(error);
    }
  };

  /** Step two: import exactly what the preview showed. */
  const doImport = async (shown: ImportPreview): Promise<void> => {
    try {
      const kept = shown.protection === 'passphrase' ? [] : shown.connections.filter((c) => keepTrust.has(c.id) && !c.exists).map((c) => c.id);
      const result = await importConnections({ previewId: shown.previewId, ...(kept.length > 0 ? { keepTrust: kept } : {}) });
      setPreview(null);
      setNeedsPassphrase(false);
      setImportPassphrase('');
      setKeepTrust(new Set());
      const trust = [
        result.trustKept > 0 ? `trust settings kept for ${result.trustKept}` : '',
        result.trustReset > 0 ? `trust settings set to the safe defaults for ${result.trustReset}` : '',
      ].filter(Boolean);
      setMessage({
        tone: 'ok',
        text: `Imported ${result.imported} connection(s) (${result.secrets} with secrets); ${result.skipped} skipped because they were already here${trust.length > 0 ? `; ${trust.join(', ')}` : ''}.`,
      });
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
              <div className="table-scroll">
                <table className="preview-table">
                  <caption>{breakAfter(preview.file, SLASHES)}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Connection</th>
                      <th scope="col">On this workstation</th>
                    </tr>
                  </thead>
                  <tbody>
                    {preview.connections.map((c) => (
                      <Fragment key={c.id}>
                        <tr className="preview-connection">
                          <th scope="row" className="preview-name">
                            {c.name}
                          </th>
                          <td className="preview-state">{c.exists ? 'Already here: kept as it is' : c.withSecret ? 'New, with its API token' : 'New, without a token'}</td>
                        </tr>
                        {/* The address the admin is asked to check: a line of its own, the table's full width. */}
                        <tr className="preview-address">
                          <td colSpan={2}>
                            <span className="preview-address-label">Server address</span> <span className="mono">
                              <Address address={c.serverAddress} />
                            </span>
                          </td>
                        </tr>
                        <tr className="preview-settings">
                          <td colSpan={2}>
                            <ImportedSettings
                              connection={c}
                              authenticated={preview.protection === 'passphrase'}
                              keep={keepTrust.has(c.id)}
                              onKeep={(keep) =>
                                setKeepTrust((before) => {
                                  const next = new Set(before);
                                  if (keep) next.add(c.id);
                                  else next.delete(c.id);
                                  return next;
                                })
                              }
                            />
                          </td>
                        </tr>
                      </Fragment>
                    ))}
                  </tbody>
                </table>
              </div>
              <div className="form-actions">
                <button type="button" className="button button-primary" disabled={fresh === 0} onClick={() => void doImport(preview)}>
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

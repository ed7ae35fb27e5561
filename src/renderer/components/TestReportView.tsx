import { useEffect, useRef, useState } from 'react';
import { formatDateTime } from '../../shared/date-format';
import { PRESETS } from '../../shared/presets';
import { duration } from '../../shared/report-sections';
import { portalSettings, portalSettingsText } from '../../shared/portal-settings';
import { curlCommand, opensslCommand, type ReproduceInput } from '../../shared/reproduce-commands';
import { clientCertificateFact, reportText, STEP_NAMES } from '../../shared/report-text';
import type { CertificateSummary, ConnectionView, PresetId, TestReport, TestStep, TlsDetails } from '../../shared/types';
import { useKeybridge } from '../store';
import { CertificateName } from './CertificateName';
import { Waterfall } from './Waterfall';

const dateTime = formatDateTime;

const STEP_MARKS = { passed: '✓', failed: '✕', skipped: '–' } as const;

/** Verdicts after which trusting the shown certificate is the natural next step. */
const TRUSTABLE = new Set(['tls-self-signed', 'tls-untrusted-root', 'tls-incomplete-chain', 'tls-pin-mismatch']);
/** Verdicts for which trusting the certificate comes first in "What to do", before turning verification off. */
const TRUST_FIRST = new Set(['tls-self-signed', 'tls-untrusted-root']);

/** A button that copies text and says so for a moment. */
function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState<'copied' | 'failed' | null>(null);
  useEffect(() => {
    if (!done) return;
    const timer = setTimeout(() => setDone(null), 2000);
    return () => clearTimeout(timer);
  }, [done]);
  return (
    <button
      type="button"
      className="button button-small"
      onClick={() => void navigator.clipboard.writeText(text).then(() => setDone('copied'), () => setDone('failed'))}
    >
      {done === 'copied' ? 'Copied' : done === 'failed' ? 'Could not copy' : label}
    </button>
  );
}

function Steps({ steps, label = 'Test steps' }: { steps: TestStep[]; label?: string }) {
  return (
    <ol className="steps" aria-label={label}>
      {steps.map((step) => (
        <li key={step.id} className={`step step-${step.status}`}>
          <span className="step-mark" aria-hidden="true">
            {STEP_MARKS[step.status]}
          </span>
          <span className="step-name">
            {STEP_NAMES[step.id]}
            <span className="visually-hidden"> {step.status}</span>
          </span>
          <span className="step-detail">{step.detail}</span>
          <span className="step-ms">{step.status === 'skipped' ? '' : duration(step.ms)}</span>
        </li>
      ))}
    </ol>
  );
}

function Certificate({ certificate, tls, testedAt }: { certificate: CertificateSummary; tls: TlsDetails | null; testedAt: string }) {
  // Judged at the time of the test, which is what the report describes.
  const expired = new Date(certificate.validTo).getTime() < new Date(testedAt).getTime();
  return (
    <section className="certificate" aria-label="Server certificate">
      <h3>
        Server certificate
        {certificate.selfSigned ? <span className="badge badge-warning">Self-signed</span> : null}
        {expired ? <span className="badge badge-error">Expired</span> : null}
      </h3>
      <dl className="details">
        <dt>Subject</dt>
        <dd>{certificate.subject ? <CertificateName name={certificate.subject} /> : '—'}</dd>
        <dt>Issuer</dt>
        <dd>{certificate.issuer ? <CertificateName name={certificate.issuer} /> : '—'}</dd>
        <dt>Names</dt>
        <dd>{certificate.subjectAltNames.length > 0 ? certificate.subjectAltNames.join(', ') : '—'}</dd>
        <dt>Valid</dt>
        <dd>
          {dateTime(certificate.validFrom)} – {dateTime(certificate.validTo)}
        </dd>
        <dt>SHA-256</dt>
        <dd className="mono fingerprint">{certificate.sha256}</dd>
        <dt>Key pin</dt>
        <dd className="mono fingerprint">{certificate.spkiSha256}</dd>
        {tls ? (
          <>
            <dt>TLS</dt>
            <dd>
              {tls.protocol ?? '—'} · {tls.cipher ?? '—'} · trusted by: {tls.trustSource}
            </dd>
          </>
        ) : null}
        {tls && clientCertificateFact(tls) ? (
          <>
            <dt>Client certificate</dt>
            <dd>{clientCertificateFact(tls)}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

interface Props {
  connection: ConnectionView | null;
  /** The product the form shows: a first run's words follow it. */
  product: PresetId | null;
}

const NO_STEPS: TestStep[] = [];

export function TestReportView({ connection, product }: Props) {
  const report: TestReport | null = connection?.lastTest ?? null;
  const certificate = report?.certificate ?? null;
  const appVersion = useKeybridge((s) => s.status?.version ?? '');
  const fromSource = useKeybridge((s) => s.status?.fromSource ?? false);
  const firstRun = useKeybridge((s) => s.connections.length === 0 && s.busy !== 'loading');
  const testing = useKeybridge((s) => connection !== null && s.testingId === connection.id);
  const liveSteps = useKeybridge((s) => (connection !== null && s.progress?.connectionId === connection.id ? s.progress.steps : NO_STEPS));
  const cancelTest = useKeybridge((s) => s.cancelTest);
  /** One test at a time: trusting tests again, so it waits for any running test. */
  const anyTest = useKeybridge((s) => s.testingId !== null || s.busy !== null);
  const trustCertificate = useKeybridge((s) => s.trustCertificate);
  const [trustError, setTrustError] = useState<string | null>(null);
  const onTrust = (pin: string): void => {
    if (connection) void trustCertificate(connection.id, pin).then((outcome) => setTrustError(outcome.ok ? null : outcome.message));
  };
  // Trusting the certificate is offered where it is the answer: a verdict about the certificate's
  // trust, or a passing test that did not verify it. Not under a rejected token or a gateway error.
  const canTrust =
    report !== null && certificate !== null && connection?.pinnedSpki !== certificate.spkiSha256 && (TRUSTABLE.has(report.verdict) || (report.ok && report.tls?.trustSource === 'not verified'));
  const trustFirst = canTrust && report !== null && TRUST_FIRST.has(report.verdict);
  const cancelled = report?.verdict === 'test-cancelled';
  const preset = PRESETS[product ?? connection?.preset ?? 'generic'] ?? PRESETS.generic;
  const portal = report && connection ? portalSettings(connection, report) : null;
  // What the key manager answered, as received (redacted in main; cookies by name only).
  const rawResponse = report?.response
    ? [`HTTP ${report.response.status}`, ...report.response.headers.map(([name, value]) => `${name}: ${value}`), '', report.response.body].join('\n')
    : null;
  // The same test with the admin's own tools: the tested URL with this connection's settings.
  const reproduce =
    report?.url && connection
      ? (() => {
          const input: ReproduceInput = {
            url: report.url,
            authMethod: connection.authMethod,
            authIdentity: connection.authIdentity,
            verifyCertificate: connection.verifyCertificate,
            pinnedSpki: connection.pinnedSpki,
            hasExtraCa: connection.extraCas.length > 0,
            hasClientCertificate: connection.clientCertificate !== null,
            proxy: connection.proxy,
          };
          return { curl: curlCommand(input), openssl: opensslCommand(input) };
        })()
      : null;

  // When a test ends, the verdict is where the work continues: bring it into view and focus it.
  const verdict = useRef<HTMLHeadingElement>(null);
  const wasTesting = useRef(testing);
  useEffect(() => {
    if (wasTesting.current && !testing) {
      verdict.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
      verdict.current?.focus({ preventScroll: true });
    }
    wasTesting.current = testing;
  }, [testing]);
  return (
    <section className="card report" aria-label="Test result" aria-busy={testing}>
      <div role="status" aria-live="polite">
        {testing ? (
          <div className="report-head">
            <span className="spinner" aria-hidden="true" />
            <div className="grow">
              <h2>Testing connection…</h2>
              <p className="muted">{liveSteps.length === 0 ? 'Starting' : `${STEP_NAMES[liveSteps[liveSteps.length - 1]!.id]} done`} · Escape cancels</p>
            </div>
            {connection ? (
              <button type="button" className="button" onClick={() => cancelTest(connection.id)}>
                Cancel test
              </button>
            ) : null}
          </div>
        ) : report === null ? (
          <div className="report-empty">
            {firstRun ? (
              <>
                <h2>Set up your first connection</h2>
                <ol className="first-run">
                  <li>
                    In {preset.id === 'generic' ? 'your key manager' : preset.product}, create the {preset.secretLabel} for the API user and download it: the steps are under
                    the product's name in the form.
                  </li>
                  <li>Here, enter the server address (General), import the {preset.secretLabel} (Authentication), decide how the certificate is trusted (TLS), then Save and test connection.</li>
                </ol>
                {fromSource ? (
                  <p className="muted">
                    No key manager at hand? The demo key manager (<span className="mono">npm run demo:key-manager</span> in this source folder) answers like PrivX on this computer.
                  </p>
                ) : null}
              </>
            ) : (
              <>
                <h2>No test yet</h2>
                <p className="muted">Save and test the connection to see whether the key manager accepts the API token, and why not if it does not.</p>
              </>
            )}
          </div>
        ) : (
          <div className={`report-head ${report.ok ? 'is-ok' : cancelled ? 'is-neutral' : 'is-failed'}`}>
            <span className="report-icon" aria-hidden="true">
              {report.ok ? '✓' : cancelled ? '–' : '✕'}
            </span>
            <div>
              <h2 ref={verdict} tabIndex={-1}>
                {report.title}
              </h2>
              <p>{report.message}</p>
            </div>
          </div>
        )}
      </div>
      {testing && liveSteps.length > 0 ? <Steps steps={liveSteps} label="Steps so far" /> : null}
      {!testing && report !== null ? (
        <>
          {portal ? (
            <section className="portal-settings" aria-label="Settings for the portal">
              <h3>Settings for the portal</h3>
              {portal.where ? <p className="field-help">In {portal.where}:</p> : null}
              <dl className="details">
                {portal.rows.map((row) => (
                  <div key={row.label} className="details-row">
                    <dt>{row.label}</dt>
                    <dd className={row.label.includes('fingerprint') ? 'mono fingerprint' : undefined}>{row.value}</dd>
                  </div>
                ))}
              </dl>
              <div>
                <CopyButton text={portalSettingsText(portal)} label="Copy settings" />
              </div>
            </section>
          ) : null}
          {report.hint ? (
            <div className="hint">
              <strong>What to do</strong>
              <p>{report.hint}</p>
              {trustFirst && certificate ? (
                <div className="trust-first">
                  <p>
                    SHA-256 fingerprint to compare: <span className="mono fingerprint">{certificate.sha256}</span>
                  </p>
                  <div className="form-actions">
                    <button type="button" className="button button-primary" disabled={anyTest} onClick={() => onTrust(certificate.spkiSha256)}>
                      Trust this certificate
                    </button>
                    <CopyButton text={certificate.sha256} label="Copy fingerprint" />
                  </div>
                </div>
              ) : null}
            </div>
          ) : null}
          {report.serverMessageFull ? (
            <details className="server-message">
              <summary>Full server message</summary>
              <pre>{report.serverMessageFull}</pre>
              <CopyButton text={report.serverMessageFull} label="Copy server message" />
            </details>
          ) : null}
          {rawResponse ? (
            <details className="server-message">
              <summary>Response as received (HTTP {report.response!.status})</summary>
              <pre>{rawResponse}</pre>
              <CopyButton text={rawResponse} label="Copy response" />
            </details>
          ) : null}
          {report.warnings.map((warning) => (
            <div className="banner banner-warning" key={warning}>
              {warning}
            </div>
          ))}
          {report.steps.length > 0 ? <Steps steps={report.steps} /> : null}
          {report.steps.length > 0 ? <Waterfall timings={report.timings} /> : null}
          <dl className="details">
            <dt>Result</dt>
            <dd className="mono">{report.verdict}</dd>
            {report.url ? (
              <>
                <dt>Tested</dt>
                <dd className="mono">GET {report.url}</dd>
              </>
            ) : null}
            {report.httpStatus !== null ? (
              <>
                <dt>HTTP status</dt>
                <dd>{report.httpStatus}</dd>
              </>
            ) : null}
            <dt>Time</dt>
            <dd>
              {duration(report.durationMs)} · {dateTime(report.testedAt)}
            </dd>
          </dl>
          {certificate ? <Certificate certificate={certificate} tls={report.tls} testedAt={report.testedAt} /> : null}
          <div className="form-actions report-copy">
            <CopyButton text={reportText(report, { connectionName: connection?.name ?? '', appVersion }, 'markdown')} label="Copy report (Markdown)" />
            <CopyButton text={reportText(report, { connectionName: connection?.name ?? '', appVersion }, 'text')} label="Copy as text" />
            {reproduce?.curl ? <CopyButton text={reproduce.curl} label="Copy as curl" /> : null}
            {reproduce ? <CopyButton text={reproduce.openssl} label="Copy as openssl" /> : null}
          </div>
          {reproduce ? (
            <p className="field-help">
              The commands read the secret from <span className="mono">$KEYBRIDGE_TOKEN</span>: set it in your shell first (they never hold it).
            </p>
          ) : null}
          {trustError ? (
            <div className="banner banner-error" role="alert">
              {trustError}
            </div>
          ) : null}
          {canTrust && certificate && !trustFirst ? (
            <div className="trust">
              <p>
                Check the SHA-256 fingerprint above with the key manager's administrator. If it matches, Keybridge can trust this certificate
                for this connection only, and will warn if the server's key ever changes.
              </p>
              <button type="button" className="button" disabled={anyTest} onClick={() => onTrust(certificate.spkiSha256)}>
                Trust this certificate
              </button>
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

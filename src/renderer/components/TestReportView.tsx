import type { CertificateSummary, TestReport } from '../../shared/types';

const dateTime = (iso: string): string =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function Certificate({ certificate, testedAt }: { certificate: CertificateSummary; testedAt: string }) {
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
        <dd>{certificate.subject || '—'}</dd>
        <dt>Issuer</dt>
        <dd>{certificate.issuer || '—'}</dd>
        <dt>Names</dt>
        <dd>{certificate.subjectAltNames.length > 0 ? certificate.subjectAltNames.join(', ') : '—'}</dd>
        <dt>Valid</dt>
        <dd>
          {dateTime(certificate.validFrom)} – {dateTime(certificate.validTo)}
        </dd>
        <dt>SHA-256</dt>
        <dd className="mono fingerprint">{certificate.sha256}</dd>
      </dl>
    </section>
  );
}

export function TestReportView({ report, testing }: { report: TestReport | null; testing: boolean }) {
  return (
    <section className="card report" aria-label="Test result" aria-busy={testing}>
      <div role="status" aria-live="polite">
        {testing ? (
          <div className="report-head">
            <span className="spinner" aria-hidden="true" />
            <div>
              <h2>Testing connection…</h2>
              <p className="muted">Connecting, checking the certificate and sending the API token.</p>
            </div>
          </div>
        ) : report === null ? (
          <div className="report-empty">
            <h2>No test yet</h2>
            <p className="muted">Save and test the connection to see whether the key manager accepts the API token, and why not if it does not.</p>
          </div>
        ) : (
          <div className={`report-head ${report.ok ? 'is-ok' : 'is-failed'}`}>
            <span className="report-icon" aria-hidden="true">
              {report.ok ? '✓' : '✕'}
            </span>
            <div>
              <h2>{report.title}</h2>
              <p>{report.message}</p>
            </div>
          </div>
        )}
      </div>
      {!testing && report !== null ? (
        <>
          {report.hint ? (
            <div className="hint">
              <strong>What to do</strong>
              <p>{report.hint}</p>
            </div>
          ) : null}
          {report.warnings.map((warning) => (
            <div className="banner banner-warning" key={warning}>
              {warning}
            </div>
          ))}
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
              {report.durationMs} ms · {dateTime(report.testedAt)}
            </dd>
          </dl>
          {report.certificate ? <Certificate certificate={report.certificate} testedAt={report.testedAt} /> : null}
        </>
      ) : null}
    </section>
  );
}

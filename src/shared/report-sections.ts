// What a test report says, section by section, in Keybridge's words: the one place that decides the
// marks, the durations and the sentences that both the CLI's terminal report (cli/format-report.ts)
// and the window's copied report (report-text.ts, plain text or Markdown) show. Those formats only lay
// the sections out, and make them safe for where they go: nothing here is escaped, and the strings
// carry a server's words (certificate names, its message in the steps), so a format must neither
// print a field raw into Markdown nor to a terminal without cleaning it. Pure: no node, no DOM.
import type { StepId, TestReport, TestStep, TlsDetails, Verdict } from './types';

/** The steps' names as the window and reports show them. */
export const STEP_NAMES: Record<StepId, string> = {
  address: 'Address',
  dns: 'Name lookup',
  tcp: 'Connection',
  proxy: 'Proxy',
  tls: 'Certificate and TLS',
  http: 'Request',
  auth: 'Authentication',
};

/** The mark of a step, in every output. */
export const STEP_MARKS: Record<TestStep['status'], string> = { passed: '✓', failed: '✗', skipped: '–' };

/** The mark of the verdict: a cancelled test did not fail, it was stopped, so it reads like a skipped step. */
export function verdictMark(report: Pick<TestReport, 'ok' | 'verdict'>): string {
  return report.ok ? STEP_MARKS.passed : report.verdict === 'test-cancelled' ? STEP_MARKS.skipped : STEP_MARKS.failed;
}

/** A duration in milliseconds, always with one decimal (a column of them lines up); '-' for a phase that did not happen. */
export function duration(ms: number | null): string {
  return ms === null ? '-' : `${ms.toFixed(1)} ms`;
}

/** What the server asked of a client certificate, in one line; null when it asked nothing. */
export function clientCertificateFact(tls: TlsDetails | null): string | null {
  const request = tls?.clientCertificateRequest;
  if (!request) return null;
  const more = Math.max(0, request.acceptedIssuers.length - 3) + (request.omitted ?? 0);
  const accepts = request.acceptedIssuers.length
    ? `accepts certificates issued by ${request.acceptedIssuers.slice(0, 3).join('; ')}${more ? ` and ${more} more` : ''}`
    : 'accepts any issuer';
  const sent = !request.sent
    ? 'none sent'
    : request.clientIssuer
      ? `sent one issued by ${request.clientIssuer}${request.clientIssuerAccepted === false ? ' (not one it accepts)' : ''}`
      : 'one sent';
  return `requested by the server: ${accepts}; ${sent}`;
}

export interface StepSection {
  id: StepId;
  name: string;
  mark: string;
  detail: string;
  /** Null for a skipped step: it took no time worth showing. */
  duration: string | null;
}

export interface CertificateSection {
  subject: string;
  issuer: string;
  selfSigned: boolean;
  names: string[];
  /** "<from> to <to>". */
  validity: string;
  sha256: string;
  keyPin: string;
}

export interface ReportSections {
  verdict: { mark: string; title: string; code: Verdict; message: string; hint: string | null };
  warnings: string[];
  accessTokenExpiresAt: string | null;
  steps: StepSection[];
  /** Protocol, cipher and what made the certificate trusted, in one line; null without a handshake. */
  tls: string | null;
  clientCertificate: string | null;
  certificate: CertificateSection | null;
  /** "dns …, tcp …, tls …, first byte …, total …". */
  timings: string;
}

export function reportSections(report: TestReport): ReportSections {
  const { certificate: cert, tls, timings: t } = report;
  return {
    verdict: { mark: verdictMark(report), title: report.title, code: report.verdict, message: report.message, hint: report.hint || null },
    warnings: report.warnings,
    accessTokenExpiresAt: report.accessTokenExpiresAt ?? null,
    steps: report.steps.map((step) => ({
      id: step.id,
      name: STEP_NAMES[step.id],
      mark: STEP_MARKS[step.status],
      detail: step.detail,
      duration: step.status === 'skipped' ? null : duration(step.ms),
    })),
    // The space before ';' stays when the cipher is unknown: both outputs have always shown it so.
    tls: tls ? `${tls.protocol ?? '-'} ${tls.cipher ?? ''}; trusted by: ${tls.trustSource}` : null,
    clientCertificate: clientCertificateFact(tls),
    certificate: cert
      ? {
          subject: cert.subject,
          issuer: cert.issuer,
          selfSigned: cert.selfSigned,
          names: cert.subjectAltNames,
          validity: `${cert.validFrom} to ${cert.validTo}`,
          sha256: cert.sha256,
          keyPin: cert.spkiSha256,
        }
      : null,
    timings: `dns ${duration(t.dns)}, tcp ${duration(t.tcp)}, tls ${duration(t.tls)}, first byte ${duration(t.firstByte)}, total ${duration(t.total)}`,
  };
}

// The human form of a test report: the steps as a checklist with timings, then the verdict. Every
// line goes through visibleControls, so that nothing in it reaches the terminal as a control
// character, even from a report that did not come through the report's cleaning (redact.ts).
import { visibleControls } from '../main/core/cli-facade';
import type { TestReport, Verdict } from '../shared/types';
import { clientCertificateFact } from '../shared/report-text';

const MARK = { passed: '✓', failed: '✗', skipped: '–' } as const;

/** The same advice as the window gives, in terms of this command's options. */
const CLI_TIPS: Partial<Record<Verdict, string>> = {
  'tls-self-signed': 'With this command: --pin <the key below> to trust this certificate only (after comparing its fingerprint), or --no-verify for an evaluation server.',
  'tls-untrusted-root': 'With this command: --ca <CA certificate file>, --system-ca, or --pin <the key below>.',
  'tls-pin-mismatch': 'With this command: --pin <the presented key> once the new certificate is confirmed.',
  'tls-client-cert-required': 'With this command: --client-cert FILE --client-key FILE, or --pfx FILE.',
  'insecure-http-refused': 'With this command: --allow-insecure-http, only on a network you trust.',
};

export function formatReport(report: TestReport): string {
  const lines: string[] = [];
  for (const step of report.steps) {
    const time = step.status === 'skipped' ? '' : ` ${step.ms.toFixed(1)} ms`;
    lines.push(`  ${MARK[step.status]} ${step.id.padEnd(7)}${time.padStart(11)}  ${step.detail}`);
  }
  lines.push('', `${report.ok ? '✓' : '✗'} ${report.title}  [${report.verdict}]`, `  ${report.message}`);
  if (report.hint) lines.push(`  What to do: ${report.hint}`);
  const tip = CLI_TIPS[report.verdict];
  if (tip) lines.push(`  ${tip}`);
  for (const warning of report.warnings) lines.push(`  Warning: ${warning}`);
  if (report.accessTokenExpiresAt) lines.push(`  Access token expires ${report.accessTokenExpiresAt}`);
  const cert = report.certificate;
  if (cert) {
    lines.push('', `  Certificate: ${cert.subject}${cert.selfSigned ? ' (self-signed)' : `, issued by ${cert.issuer}`}`);
    if (cert.subjectAltNames.length > 0) lines.push(`    names    ${cert.subjectAltNames.join(', ')}`);
    lines.push(`    valid    ${cert.validFrom} to ${cert.validTo}`);
    lines.push(`    SHA-256  ${cert.sha256}`);
    lines.push(`    key pin  ${cert.spkiSha256}`);
    if (report.tls) lines.push(`    TLS      ${report.tls.protocol ?? '?'} ${report.tls.cipher ?? ''}; trusted by: ${report.tls.trustSource}`);
  }
  const asked = clientCertificateFact(report.tls);
  if (asked) lines.push(`  Client certificate ${asked}`);
  const t = report.timings;
  const ms = (v: number | null): string => (v === null ? '-' : `${Math.round(v)} ms`);
  lines.push('', `  Timings: dns ${ms(t.dns)}, tcp ${ms(t.tcp)}, tls ${ms(t.tls)}, first byte ${ms(t.firstByte)}, total ${ms(t.total)}`);
  return lines.map((line) => visibleControls(line)).join('\n');
}

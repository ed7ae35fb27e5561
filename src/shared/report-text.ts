// A test report as text for a support ticket: plain text or Markdown, with the verdict, what to do,
// the steps, the certificate, the timings and the versions. Built from the report the window got,
// which holds no secret (main redacted it), so neither does this. Pure: no node, no DOM.
import type { TestReport } from './types';

export interface ReportContext {
  connectionName: string;
  appVersion: string;
}

/** The steps' names as the window and reports show them. */
export const STEP_NAMES: Record<TestReport['steps'][number]['id'], string> = {
  address: 'Address',
  dns: 'Name lookup',
  tcp: 'Connection',
  proxy: 'Proxy',
  tls: 'Certificate and TLS',
  http: 'Request',
  auth: 'Authentication',
};
const MARKS = { passed: '✓', failed: '✗', skipped: '–' } as const;
const ms = (value: number | null): string => (value === null ? '-' : `${Math.round(value * 10) / 10} ms`);

export function reportText(report: TestReport, context: ReportContext, format: 'text' | 'markdown'): string {
  const md = format === 'markdown';
  const heading = (text: string): string => (md ? `### ${text}` : text.toUpperCase());
  const code = (text: string): string => (md ? `\`${text.replace(/`/g, "'")}\`` : text);
  const lines: string[] = [];
  lines.push(md ? `## Keybridge connection test: ${context.connectionName}` : `Keybridge connection test: ${context.connectionName}`, '');
  lines.push(`${report.ok ? '✓' : report.verdict === 'test-cancelled' ? '–' : '✗'} ${report.title} (${code(report.verdict)})`);
  lines.push(report.message);
  if (report.hint) lines.push('', `What to do: ${report.hint}`);
  for (const warning of report.warnings) lines.push(`Warning: ${warning}`);
  lines.push('', heading('Steps'));
  for (const step of report.steps) {
    const row = `${MARKS[step.status]} ${STEP_NAMES[step.id]}: ${step.detail}${step.status === 'skipped' ? '' : ` (${ms(step.ms)})`}`;
    lines.push(md ? `- ${row}` : `  ${row}`);
  }
  lines.push('', heading('Request'));
  const facts: [string, string][] = [
    ['Tested', report.url ? `GET ${report.url}` : '-'],
    ['HTTP status', report.httpStatus === null ? '-' : String(report.httpStatus)],
    ['Tested at', report.testedAt],
    ['Timings', `dns ${ms(report.timings.dns)}, tcp ${ms(report.timings.tcp)}, tls ${ms(report.timings.tls)}, first byte ${ms(report.timings.firstByte)}, total ${ms(report.timings.total)}`],
  ];
  if (report.tls) facts.push(['TLS', `${report.tls.protocol ?? '-'} ${report.tls.cipher ?? ''}; trusted by: ${report.tls.trustSource}`]);
  const certificate = report.certificate;
  if (certificate) {
    facts.push(
      ['Certificate', `${certificate.subject}${certificate.selfSigned ? ' (self-signed)' : ''}`],
      ['Issuer', certificate.issuer],
      ['Names', certificate.subjectAltNames.join(', ') || '-'],
      ['Valid', `${certificate.validFrom} to ${certificate.validTo}`],
      ['SHA-256', code(certificate.sha256)],
      ['Key pin', code(certificate.spkiSha256)],
    );
  }
  facts.push(['Keybridge', context.appVersion]);
  for (const [name, value] of facts) lines.push(md ? `- **${name}**: ${value}` : `  ${name.padEnd(12)} ${value}`);
  return `${lines.join('\n')}\n`;
}

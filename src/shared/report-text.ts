// A test report as text for a support ticket: plain text or Markdown, with the verdict, what to do,
// the steps, the certificate, the timings and the versions. Built from the report the window got,
// which holds no secret (main redacted it), so neither does this. Pure: no node, no DOM.
// What it says comes from report-sections.ts (as the CLI's terminal report does); this only lays it
// out. In Markdown, nothing of what a server said becomes markup: names and codes go into code spans,
// sentences are escaped (report-markdown.ts).
import { markdownCode, markdownText } from './report-markdown';
import { reportSections } from './report-sections';
import type { TestReport } from './types';

export { markdownCode, markdownText } from './report-markdown';
export { clientCertificateFact, STEP_NAMES } from './report-sections';

export interface ReportContext {
  connectionName: string;
  appVersion: string;
}

export function reportText(report: TestReport, context: ReportContext, format: 'text' | 'markdown'): string {
  const md = format === 'markdown';
  const heading = (text: string): string => (md ? `### ${text}` : text.toUpperCase());
  /** Names, codes and addresses: a code span. */
  const code = (text: string): string => (md ? markdownCode(text) : text);
  /** Sentences (Keybridge's, with a server's words in them): escaped. */
  const say = (text: string): string => (md ? markdownText(text) : text);
  const s = reportSections(report);
  const lines: string[] = [];
  lines.push(md ? `## Keybridge connection test: ${say(context.connectionName)}` : `Keybridge connection test: ${context.connectionName}`, '');
  lines.push(`${s.verdict.mark} ${say(s.verdict.title)} (${code(s.verdict.code)})`);
  lines.push(say(s.verdict.message));
  if (s.verdict.hint) lines.push('', `What to do: ${say(s.verdict.hint)}`);
  for (const warning of s.warnings) lines.push(`Warning: ${say(warning)}`);
  if (s.accessTokenExpiresAt) lines.push(`Access token expires ${say(s.accessTokenExpiresAt)}`);
  lines.push('', heading('Steps'));
  for (const step of s.steps) {
    const row = `${step.mark} ${step.name}: ${say(step.detail)}${step.duration === null ? '' : ` (${step.duration})`}`;
    lines.push(md ? `- ${row}` : `  ${row}`);
  }
  lines.push('', heading('Request'));
  const facts: [string, string][] = [
    ['Tested', report.url ? `GET ${code(report.url)}` : '-'],
    ['HTTP status', report.httpStatus === null ? '-' : String(report.httpStatus)],
    ['Tested at', say(report.testedAt)],
    ['Timings', s.timings],
  ];
  if (s.tls) facts.push(['TLS', say(s.tls)]);
  if (s.clientCertificate) facts.push(['Client cert', say(s.clientCertificate)]);
  const cert = s.certificate;
  if (cert) {
    facts.push(
      ['Certificate', `${code(cert.subject)}${cert.selfSigned ? ' (self-signed)' : ''}`],
      ['Issuer', code(cert.issuer)],
      ['Names', cert.names.map(code).join(', ') || '-'],
      ['Valid', say(cert.validity)],
      ['SHA-256', code(cert.sha256)],
      ['Key pin', code(cert.keyPin)],
    );
  }
  facts.push(['Keybridge', say(context.appVersion)]);
  for (const [name, value] of facts) lines.push(md ? `- **${name}**: ${value}` : `  ${name.padEnd(12)} ${value}`);
  return `${lines.join('\n')}\n`;
}

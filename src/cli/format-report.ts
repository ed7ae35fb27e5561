// The terminal form of a test report: the steps as a checklist with timings, then the verdict. What
// it says comes from shared/report-sections.ts (as the window's copied report does); this only lays
// it out for a terminal and adds the CLI's own advice. Every line goes through visibleControls, so
// that nothing in it reaches the terminal as a control character, even from a report that did not
// come through the report's cleaning (redact.ts).
import { visibleControls } from '../main/core/cli-facade';
import { reportSections } from '../shared/report-sections';
import type { TestReport, Verdict } from '../shared/types';

/** The same advice as the window gives, in terms of this command's options. */
const CLI_TIPS: Partial<Record<Verdict, string>> = {
  'tls-self-signed': 'With this command: --pin <the key below> to trust this certificate only (after comparing its fingerprint), or --no-verify for an evaluation server.',
  'tls-untrusted-root': 'With this command: --ca <CA certificate file>, --system-ca, or --pin <the key below>.',
  'tls-pin-mismatch': 'With this command: --pin <the presented key> once the new certificate is confirmed.',
  'tls-client-cert-required': 'With this command: --client-cert FILE --client-key FILE, or --pfx FILE.',
  'insecure-http-refused': 'With this command: --allow-insecure-http, only on a network you trust.',
};

export function formatReport(report: TestReport): string {
  const s = reportSections(report);
  const lines: string[] = [];
  for (const step of s.steps) {
    // The step's code (not its name) keeps the column narrow; the duration is right-aligned.
    const time = step.duration === null ? '' : ` ${step.duration}`;
    lines.push(`  ${step.mark} ${step.id.padEnd(7)}${time.padStart(11)}  ${step.detail}`);
  }
  lines.push('', `${s.verdict.mark} ${s.verdict.title}  [${s.verdict.code}]`, `  ${s.verdict.message}`);
  if (s.verdict.hint) lines.push(`  What to do: ${s.verdict.hint}`);
  const tip = CLI_TIPS[s.verdict.code];
  if (tip) lines.push(`  ${tip}`);
  for (const warning of s.warnings) lines.push(`  Warning: ${warning}`);
  if (s.accessTokenExpiresAt) lines.push(`  Access token expires ${s.accessTokenExpiresAt}`);
  const cert = s.certificate;
  if (cert) {
    lines.push('', `  Certificate: ${cert.subject}${cert.selfSigned ? ' (self-signed)' : `, issued by ${cert.issuer}`}`);
    if (cert.names.length > 0) lines.push(`    names    ${cert.names.join(', ')}`);
    lines.push(`    valid    ${cert.validity}`, `    SHA-256  ${cert.sha256}`, `    key pin  ${cert.keyPin}`);
    if (s.tls) lines.push(`    TLS      ${s.tls}`);
  }
  if (s.clientCertificate) lines.push(`  Client certificate ${s.clientCertificate}`);
  lines.push('', `  Timings: ${s.timings}`);
  return lines.map((line) => visibleControls(line)).join('\n');
}

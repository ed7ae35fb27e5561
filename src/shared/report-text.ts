// A test report as text for a support ticket: plain text or Markdown, with the verdict, what to do,
// the steps, the certificate, the timings and the versions. Built from the report the window got,
// which holds no secret (main redacted it), so neither does this. Pure: no node, no DOM.
// In Markdown, nothing of what a server said (its message, certificate names, Server header, in the
// report's sentences and steps) becomes a link, an image, HTML, a heading or a table in the ticket:
// names and codes go into code spans, sentences are escaped (see markdownText).
import type { TestReport, TlsDetails } from './types';

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

/** One line: a line break (there should be none) would let the text start a block of its own. */
const oneLine = (text: string): string => text.replace(/[\r\n\u2028\u2029]+/g, ' ');

/**
 * A Markdown code span that shows `text` exactly: its fence is one backtick longer than the longest
 * run of backticks inside, with a space either side when the text starts or ends with a backtick or
 * a space (CommonMark takes one space off each side). Nothing in it is a link, HTML or markup.
 */
export function markdownCode(text: string): string {
  const content = oneLine(text);
  if (content.trim() === '') return content === '' ? '' : `\`${content}\``;
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(content) ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

// What renderers make a link of by themselves (GFM's autolinks): an address with a scheme, www., an
// e-mail address (up to a space, a quote, < > or a backtick, without trailing punctuation); and an
// @mention, which notifies someone in a ticket.
const AUTOLINKABLE = /(?:[a-z][a-z0-9+.-]*:\/\/|www\.)[^\s"'<>`]*[^\s"'<>`.,:;!?)\]*_~]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|@[\w-]+/giu;
// Characters that start Markdown or HTML anywhere in a line: escapes, code, emphasis, strikethrough,
// links and images, HTML and autolinks, entities, table cells, math. An _ between letters or digits
// starts nothing (TLS_AES_256 stays readable).
const INLINE = /[\\`*~[\]<>&|$!#]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;

/**
 * Markdown for a sentence that may hold anyone's words: every character that could start markup is
 * backslash-escaped (CommonMark shows an escaped punctuation character as itself), what a renderer
 * would link by itself goes into a code span, and a line cannot start a heading, a quote, a list, a
 * table or a code block. Shown, it reads exactly as `text`.
 */
export function markdownText(text: string): string {
  const line = oneLine(text).replace(/^[ \t]+/, '');
  let out = '';
  let at = 0;
  for (const match of line.matchAll(AUTOLINKABLE)) {
    out += line.slice(at, match.index).replace(INLINE, '\\$&') + markdownCode(match[0]);
    at = match.index + match[0].length;
  }
  out += line.slice(at).replace(INLINE, '\\$&');
  // At the start of a line: - + = (lists, setext underlines), > (quotes), 1. or 1) (ordered lists).
  return out.replace(/^[-+=>]/, '\\$&').replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
}

export function reportText(report: TestReport, context: ReportContext, format: 'text' | 'markdown'): string {
  const md = format === 'markdown';
  const heading = (text: string): string => (md ? `### ${text}` : text.toUpperCase());
  /** Names, codes and addresses: a code span. */
  const code = (text: string): string => (md ? markdownCode(text) : text);
  /** Sentences (Keybridge's, with a server's words in them): escaped. */
  const say = (text: string): string => (md ? markdownText(text) : text);
  const lines: string[] = [];
  lines.push(md ? `## Keybridge connection test: ${say(context.connectionName)}` : `Keybridge connection test: ${context.connectionName}`, '');
  lines.push(`${report.ok ? '✓' : report.verdict === 'test-cancelled' ? '–' : '✗'} ${say(report.title)} (${code(report.verdict)})`);
  lines.push(say(report.message));
  if (report.hint) lines.push('', `What to do: ${say(report.hint)}`);
  for (const warning of report.warnings) lines.push(`Warning: ${say(warning)}`);
  lines.push('', heading('Steps'));
  for (const step of report.steps) {
    const row = `${MARKS[step.status]} ${STEP_NAMES[step.id]}: ${say(step.detail)}${step.status === 'skipped' ? '' : ` (${ms(step.ms)})`}`;
    lines.push(md ? `- ${row}` : `  ${row}`);
  }
  lines.push('', heading('Request'));
  const facts: [string, string][] = [
    ['Tested', report.url ? `GET ${code(report.url)}` : '-'],
    ['HTTP status', report.httpStatus === null ? '-' : String(report.httpStatus)],
    ['Tested at', say(report.testedAt)],
    ['Timings', `dns ${ms(report.timings.dns)}, tcp ${ms(report.timings.tcp)}, tls ${ms(report.timings.tls)}, first byte ${ms(report.timings.firstByte)}, total ${ms(report.timings.total)}`],
  ];
  if (report.tls) facts.push(['TLS', say(`${report.tls.protocol ?? '-'} ${report.tls.cipher ?? ''}; trusted by: ${report.tls.trustSource}`)]);
  const asked = clientCertificateFact(report.tls);
  if (asked) facts.push(['Client cert', say(asked)]);
  const certificate = report.certificate;
  if (certificate) {
    facts.push(
      ['Certificate', `${code(certificate.subject)}${certificate.selfSigned ? ' (self-signed)' : ''}`],
      ['Issuer', code(certificate.issuer)],
      ['Names', certificate.subjectAltNames.map(code).join(', ') || '-'],
      ['Valid', say(`${certificate.validFrom} to ${certificate.validTo}`)],
      ['SHA-256', code(certificate.sha256)],
      ['Key pin', code(certificate.spkiSha256)],
    );
  }
  facts.push(['Keybridge', say(context.appVersion)]);
  for (const [name, value] of facts) lines.push(md ? `- **${name}**: ${value}` : `  ${name.padEnd(12)} ${value}`);
  return `${lines.join('\n')}\n`;
}

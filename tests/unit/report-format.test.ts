// The CLI's terminal report and the window's copied report (text and Markdown) are two layouts of one
// set of sections (src/shared/report-sections.ts). These tests read each output back into what it
// says (steps with marks and durations, the verdict, the facts) and expect the same from all of them,
// so that a mark, a duration format or a sentence changed in one output alone fails here.
import { describe, expect, it } from 'vitest';
import { formatReport } from '../../src/cli/format-report';
import { duration, STEP_MARKS, STEP_NAMES } from '../../src/shared/report-sections';
import { reportText } from '../../src/shared/report-text';
import type { StepId, TestReport } from '../../src/shared/types';

const REPORT: TestReport = {
  ok: false,
  verdict: 'tls-self-signed',
  title: 'Self-signed certificate',
  message: 'The server presented a certificate that it signed itself.',
  hint: 'Compare its fingerprint, then pin it.',
  url: 'https://km.example/api/v3/',
  httpStatus: null,
  warnings: ['The certificate expires in 5 days.'],
  certificate: {
    subject: 'CN=km.example',
    issuer: 'CN=km.example',
    subjectAltNames: ['DNS:km.example', 'IP Address:127.0.0.1'],
    validFrom: '2026-01-01T00:00:00Z',
    validTo: '2027-01-01T00:00:00Z',
    sha256: 'AB:CD:EF',
    spkiSha256: 'sha256/pin',
    selfSigned: true,
  },
  tls: {
    protocol: 'TLSv1.3',
    cipher: 'TLS_AES_128_GCM_SHA256',
    trustSource: 'rejected',
    chain: [],
    clientCertificateRequest: { acceptedIssuers: ['CN=Client CA'], sent: false },
  },
  steps: [
    { id: 'address', status: 'passed', ms: 0.04, detail: 'km.example port 443' },
    { id: 'dns', status: 'passed', ms: 1.25, detail: '127.0.0.1' },
    { id: 'tcp', status: 'passed', ms: 12, detail: 'connected to 127.0.0.1' },
    { id: 'proxy', status: 'skipped', ms: 0, detail: 'no proxy' },
    { id: 'tls', status: 'failed', ms: 123.456, detail: 'self-signed certificate' },
    { id: 'http', status: 'skipped', ms: 0, detail: 'not sent' },
  ],
  timings: { dns: 1.25, tcp: 12, tls: 123.456, firstByte: null, total: 150.55 },
  accessTokenExpiresAt: '2026-12-01T00:00:00Z',
  durationMs: 151,
  testedAt: '2026-11-21T10:00:00Z',
};
const CONTEXT = { connectionName: 'Evaluation', appVersion: '0.1.0' };

interface Step {
  mark: string;
  name: string;
  detail: string;
  duration: string | null;
}

/** The steps as the terminal shows them: "  ✓ tls       123.5 ms  detail" (a step's code, not its name). */
function terminalSteps(text: string): Step[] {
  const ids = Object.keys(STEP_NAMES).join('|');
  return [...text.matchAll(new RegExp(`^ {2}(\\S) (${ids}) +(?:(\\d+\\.\\d ms) {2})?(.*)$`, 'gmu'))].map((m) => ({
    mark: m[1]!,
    name: STEP_NAMES[m[2] as StepId],
    detail: m[4]!,
    duration: m[3] ?? null,
  }));
}

/** The steps as the copied report shows them: "  ✓ Certificate and TLS: detail (123.5 ms)" (Markdown: "- " first). */
function copiedSteps(text: string): Step[] {
  const names = Object.values(STEP_NAMES).join('|');
  return [...text.matchAll(new RegExp(`^(?: {2}|- )(\\S) (${names}): (.*?)(?: \\((-|\\d+\\.\\d ms)\\))?$`, 'gmu'))].map((m) => ({
    mark: m[1]!,
    name: m[2]!,
    detail: m[3]!,
    duration: m[4] ?? null,
  }));
}

describe('the terminal report and the copied report say the same', () => {
  const terminal = formatReport(REPORT);
  const text = reportText(REPORT, CONTEXT, 'text');
  const markdown = reportText(REPORT, CONTEXT, 'markdown');

  it('show the same steps, with the same marks and durations', () => {
    const expected: Step[] = [
      { mark: '✓', name: 'Address', detail: 'km.example port 443', duration: '0.0 ms' },
      { mark: '✓', name: 'Name lookup', detail: '127.0.0.1', duration: '1.3 ms' },
      { mark: '✓', name: 'Connection', detail: 'connected to 127.0.0.1', duration: '12.0 ms' },
      { mark: '–', name: 'Proxy', detail: 'no proxy', duration: null },
      { mark: '✗', name: 'Certificate and TLS', detail: 'self-signed certificate', duration: '123.5 ms' },
      { mark: '–', name: 'Request', detail: 'not sent', duration: null },
    ];
    expect(terminalSteps(terminal)).toEqual(expected);
    expect(copiedSteps(text)).toEqual(expected);
    expect(copiedSteps(markdown)).toEqual(expected);
  });

  it('show the same verdict, warnings, expiry, TLS, client certificate and timings', () => {
    const timings = 'dns 1.3 ms, tcp 12.0 ms, tls 123.5 ms, first byte -, total 150.6 ms';
    const tls = 'TLSv1.3 TLS_AES_128_GCM_SHA256; trusted by: rejected';
    const asked = 'requested by the server: accepts certificates issued by CN=Client CA; none sent';
    expect(terminal).toContain('\n✗ Self-signed certificate  [tls-self-signed]\n');
    expect(text).toContain('\n✗ Self-signed certificate (tls-self-signed)\n');
    for (const [output, line] of [
      [terminal, `  ${REPORT.message}`],
      [text, REPORT.message],
      [terminal, `  What to do: ${REPORT.hint}`],
      [text, `What to do: ${REPORT.hint}`],
      [terminal, `  Warning: ${REPORT.warnings[0]}`],
      [text, `Warning: ${REPORT.warnings[0]}`],
      [terminal, '  Access token expires 2026-12-01T00:00:00Z'],
      [text, 'Access token expires 2026-12-01T00:00:00Z'],
      [terminal, `  Timings: ${timings}`],
      [text, `  Timings      ${timings}`],
      [markdown, `- **Timings**: ${timings}`],
      [terminal, `    TLS      ${tls}`],
      [text, `  TLS          ${tls}`],
      [terminal, `  Client certificate ${asked}`],
      [text, `  Client cert  ${asked}`],
      [terminal, '    valid    2026-01-01T00:00:00Z to 2027-01-01T00:00:00Z'],
      [text, '  Valid        2026-01-01T00:00:00Z to 2027-01-01T00:00:00Z'],
      [terminal, '    key pin  sha256/pin'],
      [text, '  Key pin      sha256/pin'],
    ] as const) {
      expect(output.split('\n'), line).toContain(line);
    }
  });

  it('mark a cancelled test alike: stopped, not failed', () => {
    const cancelled: TestReport = { ...REPORT, verdict: 'test-cancelled', title: 'Test cancelled', certificate: null, tls: null };
    expect(formatReport(cancelled)).toContain(`\n${STEP_MARKS.skipped} Test cancelled  [test-cancelled]\n`);
    expect(reportText(cancelled, CONTEXT, 'text')).toContain(`\n${STEP_MARKS.skipped} Test cancelled (test-cancelled)\n`);
  });

  it('the terminal report, line by line', () => {
    expect(terminal).toBe(
      [
        '  ✓ address     0.0 ms  km.example port 443',
        '  ✓ dns         1.3 ms  127.0.0.1',
        '  ✓ tcp        12.0 ms  connected to 127.0.0.1',
        '  – proxy               no proxy',
        '  ✗ tls       123.5 ms  self-signed certificate',
        '  – http                not sent',
        '',
        '✗ Self-signed certificate  [tls-self-signed]',
        '  The server presented a certificate that it signed itself.',
        '  What to do: Compare its fingerprint, then pin it.',
        '  With this command: --pin <the key below> to trust this certificate only (after comparing its fingerprint), or --no-verify for an evaluation server.',
        '  Warning: The certificate expires in 5 days.',
        '  Access token expires 2026-12-01T00:00:00Z',
        '',
        '  Certificate: CN=km.example (self-signed)',
        '    names    DNS:km.example, IP Address:127.0.0.1',
        '    valid    2026-01-01T00:00:00Z to 2027-01-01T00:00:00Z',
        '    SHA-256  AB:CD:EF',
        '    key pin  sha256/pin',
        '    TLS      TLSv1.3 TLS_AES_128_GCM_SHA256; trusted by: rejected',
        '  Client certificate requested by the server: accepts certificates issued by CN=Client CA; none sent',
        '',
        '  Timings: dns 1.3 ms, tcp 12.0 ms, tls 123.5 ms, first byte -, total 150.6 ms',
      ].join('\n'),
    );
  });

  it('one duration format: one decimal, "-" for a phase that did not happen', () => {
    expect([duration(0), duration(0.04), duration(12), duration(123.456), duration(null)]).toEqual(['0.0 ms', '0.0 ms', '12.0 ms', '123.5 ms', '-']);
  });
});

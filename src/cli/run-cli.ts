// `keybridge test <address>`: the connection test engine, headless, for evaluation servers and
// scripts. Exit 0 = connection successful, 1 = the test failed, 2 = bad usage or unreadable input.
// No secret is ever printed: not in the report, not in an error message.
import { parseArgs } from 'node:util';
import { printable, runConnectionTest, visibleControls } from '../main/core/cli-facade';
import { SPKI_PIN } from '../shared/limits';
import { PRESETS } from '../shared/presets';
import type { TestReport } from '../shared/types';
import { formatReport } from './format-report';
import { addressOf, formatPresets, parseExpectation, productOf, proxyOf, readAuth, readClientCertificate, readPem, readSpec, withSpec } from './inputs';
import { OPTIONS, USAGE, UsageError, type CliIo } from './options';

export { USAGE, type CliIo } from './options';

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let report: TestReport;
  let json: boolean;
  try {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    json = values.json;
    const [command, given, ...rest] = positionals;
    if (command === 'presets') {
      io.out(json ? JSON.stringify(Object.values(PRESETS), null, 2) : formatPresets());
      return 0;
    }
    if (command !== 'test') throw new UsageError(command ? `Unknown command "${command}".` : 'Missing command.');
    const proxy = proxyOf(values);
    const address = addressOf(given, values);
    const named = productOf(values);
    const spec = values.openapi === undefined ? undefined : await readSpec(values.openapi, values, proxy, { address, defaultPort: named.defaultPort });
    const preset = withSpec(named, spec);
    if (rest.length > 0) throw new UsageError('Only one server address can be tested at a time.');
    const timeoutMs = values.timeout === undefined ? undefined : Number(values.timeout);
    if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 600_000)) {
      throw new UsageError('--timeout takes a whole number of milliseconds from 100 to 600000.');
    }
    if (values.pin !== undefined && !SPKI_PIN.test(values.pin)) {
      throw new UsageError('--pin takes "sha256/" followed by the base64 SHA-256 of the public key, as a previous test printed it.');
    }
    report = await runConnectionTest({
      serverAddress: address,
      auth: await readAuth(values, io.env, preset),
      trust: {
        verifyCertificate: !values['no-verify'],
        extraCaPem: await Promise.all((values.ca ?? []).map((file) => readPem(file, 'CA certificate', 'CERTIFICATE'))),
        useSystemCa: values['system-ca'],
        pinnedSpki: values.pin ?? null,
      },
      clientCertificate: await readClientCertificate(values, io.env),
      endpoint: values.endpoint ?? preset.endpoint,
      successRule: parseExpectation(values['expect-json']) ?? preset.successRule,
      defaultPort: preset.defaultPort,
      hints: preset.hints,
      proxy,
      allowInsecureHttp: values['allow-insecure-http'],
      timeoutMs,
      signal: io.signal,
    });
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      // A usage error may repeat a file name or a downloaded specification's words: no escapes reach the terminal.
      io.err(`keybridge: ${printable(visibleControls((error as Error).message), 2000)}\n\nRun "keybridge --help" for the options.`);
      return 2;
    }
    throw error;
  }
  io.out(json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.ok ? 0 : 1;
}

// `keybridge test <address>`: the connection test engine, headless, for evaluation servers and
// scripts. Exit 0 = connection successful, 1 = the test failed, 2 = bad usage or unreadable input.
import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { runConnectionTest } from '../main/core/connection-test/run-test';
import { checkApiToken } from '../main/core/secrets/token-rules';
import type { TestReport } from '../shared/types';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
}

export const USAGE = `Usage: keybridge test <server address> (--token-file FILE | --token-env VAR) [options]

Tests the API connection to a key manager: GET <address>/api/v3/ with "Authorization: Bearer <token>".

Options:
  --token-file FILE   read the API token from FILE (the key manager's downloaded token file)
  --token-env VAR     read the API token from the environment variable VAR
  --no-verify         do not verify the server certificate (evaluation servers only)
  --endpoint PATH     API path to test (default /api/v3/)
  --timeout MS        give up after MS milliseconds (default 20000)
  --json              print one JSON object instead of text
  -h, --help          show this help

Exit status: 0 connection successful, 1 test failed, 2 bad usage or unreadable input.`;

const MAX_TOKEN_FILE = 64 * 1024;

class UsageError extends Error {}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        'token-file': { type: 'string' },
        'token-env': { type: 'string' },
        'no-verify': { type: 'boolean', default: false },
        endpoint: { type: 'string' },
        timeout: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    const [command, address, ...rest] = positionals;
    if (command !== 'test') throw new UsageError(command ? `Unknown command "${command}".` : 'Missing command.');
    if (!address) throw new UsageError('Missing the server address.');
    if (rest.length > 0) throw new UsageError('Only one server address can be tested at a time.');
    const timeoutMs = values.timeout === undefined ? undefined : Number(values.timeout);
    if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 600_000)) {
      throw new UsageError('--timeout takes a whole number of milliseconds from 100 to 600000.');
    }
    const token = await readToken(values['token-file'], values['token-env'], io.env);
    const report = await runConnectionTest({
      serverAddress: address,
      token,
      verifyCertificate: !values['no-verify'],
      testPath: values.endpoint,
      timeoutMs,
    });
    io.out(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return report.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`keybridge: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

async function readToken(file: string | undefined, envName: string | undefined, env: CliIo['env']): Promise<string> {
  if ((file === undefined) === (envName === undefined)) throw new UsageError('Give the API token with exactly one of --token-file or --token-env.');
  let raw: string;
  if (file !== undefined) {
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch {
      throw new UsageError(`Cannot read the token file ${file}.`);
    }
    if (size > MAX_TOKEN_FILE) throw new UsageError(`The token file ${file} is larger than 64 KiB: it is not a token file.`);
    const bytes = await readFile(file);
    if (bytes.includes(0)) throw new UsageError(`The token file ${file} holds binary data, not a token.`);
    raw = bytes.toString('utf8');
  } else {
    const value = env[envName as string];
    if (value === undefined) throw new UsageError(`The environment variable ${envName} is not set.`);
    raw = value;
  }
  const checked = checkApiToken(raw);
  if (!checked.ok) throw new UsageError(checked.message);
  return checked.token;
}

export function formatReport(report: TestReport): string {
  const lines = [`${report.ok ? '✓' : '✗'} ${report.title}  [${report.verdict}]`, `  ${report.message}`];
  if (report.hint) lines.push(`  What to do: ${report.hint}`);
  for (const warning of report.warnings) lines.push(`  Warning: ${warning}`);
  if (report.url) lines.push(`  Tested: GET ${report.url}${report.httpStatus === null ? '' : ` -> HTTP ${report.httpStatus}`} in ${report.durationMs} ms`);
  const cert = report.certificate;
  if (cert) {
    lines.push(`  Certificate: ${cert.subject}${cert.selfSigned ? ' (self-signed)' : `, issued by ${cert.issuer}`}`);
    lines.push(`    valid ${cert.validFrom} to ${cert.validTo}`);
    lines.push(`    SHA-256 ${cert.sha256}`);
  }
  return lines.join('\n');
}

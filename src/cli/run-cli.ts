// `keybridge test <address>`: the connection test engine, headless, for evaluation servers and
// scripts. Exit 0 = connection successful, 1 = the test failed, 2 = bad usage or unreadable input.
// No secret is ever printed: not in the report, not in an error message.
import { parseArgs } from 'node:util';
import {
  atServerOrigin,
  checkApiToken,
  checkHeaderName,
  checkProxySetting,
  downloadOpenApi,
  parseKeyFile,
  printable,
  readBoundedFile,
  readOpenApi,
  runConnectionTest,
  specConnectionFor,
  visibleControls,
  type AuthSpec,
  type ClientCertificate,
} from '../main/core/cli-facade';
import { parseJsonRule, PRESET_IDS, PRESETS, staAddress, type AuthMethod, type JsonRule, type Preset, type PresetId } from '../shared/presets';
import type { OpenApiSummary, TestReport } from '../shared/types';
import { formatReport } from './format-report';
import { readProxySetting } from '../shared/proxy-setting';
import { LIMITS, SPKI_PIN } from '../shared/limits';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
  /** Cancels a running test (Ctrl-C). */
  signal?: AbortSignal;
}

export const USAGE = `Usage: keybridge test <server address> [options]
       keybridge presets

Tests the API connection to a key manager step by step (address, DNS, TCP, TLS, HTTP, auth) and
says which step failed, why, and what to do.

Product (keybridge presets lists them):
  --preset ID                the key manager product: its authentication, port, endpoint, success
                             rule and hints (privx, passportal, thales-sta, cipherinsights,
                             manageengine-pmp, generic); the options below override it
  --zone Z --tenant CODE     Thales STA: build https://api.<Z>.safenetid.com/api/v1/tenants/<CODE>/
                             (instead of the server address)
  --scope SCOPE              Passportal: the scope of the access token (default docs_api)
  --openapi FILE|URL         CipherInsights (or any API with one): the OpenAPI specification
                             (JSON or YAML; an https:// URL is downloaded with the trust options
                             below) gives the authentication header and the test request

Authentication (--auth, default bearer or the product's):
  --auth bearer              Authorization: Bearer <token>          (--token-file or --token-env)
  --auth header:<Name>       the key in header <Name>, e.g. header:apikey, header:AUTHTOKEN
  --auth basic               HTTP Basic                            (--user U --password-env VAR)
  --auth passportal-hmac     access key exchanged for an access token (--access-key-id ID --secret-file F)
  --token-file FILE          read the token or key from FILE (the key manager's downloaded file;
                             for Passportal, the file with the Access key ID and Secret access key)
  --token-env VAR            read the token or key from environment variable VAR

Trust:
  --no-verify                do not verify the certificate (evaluation servers; still shown)
  --ca FILE                  also trust this CA certificate (PEM); repeatable
  --system-ca                also trust the OS store (where the runtime can read it)
  --pin sha256/<base64>      trust exactly this public key (as printed by a previous test)
  --client-cert FILE --client-key FILE     client certificate for mutual TLS (PEM)
  --pfx FILE [--passphrase-env VAR]        client certificate as PKCS#12

Request:
  --endpoint PATH            API path to test (default /api/v3/, or the product's)
  --expect-json PATH=VALUE   success only if the JSON answer has this value: a string, or a JSON
                             number, true, false or null (e.g. success=true, totalResults=1)
  --proxy URL                http:// proxy without credentials (a proxy password is never taken
                             on the command line: give it in HTTPS_PROXY); default: HTTPS_PROXY /
                             NO_PROXY from the environment
  --no-proxy                 never use a proxy
  --allow-insecure-http      allow sending the secret over plain http:// (warned)
  --timeout MS               give up after MS milliseconds (default 20000)
  --json                     print one JSON object instead of text
  -h, --help                 show this help

Exit status: 0 connection successful, 1 test failed, 2 bad usage or unreadable input.`;

const MAX_SECRET_FILE = LIMITS.keyFile;
const MAX_PEM_FILE = 1024 * 1024;

class UsageError extends Error {}

const OPTIONS = {
  preset: { type: 'string' },
  zone: { type: 'string' },
  tenant: { type: 'string' },
  scope: { type: 'string' },
  openapi: { type: 'string' },
  auth: { type: 'string' },
  'token-file': { type: 'string' },
  'token-env': { type: 'string' },
  'access-key-id': { type: 'string' },
  'secret-file': { type: 'string' },
  user: { type: 'string' },
  'password-env': { type: 'string' },
  'no-verify': { type: 'boolean', default: false },
  ca: { type: 'string', multiple: true },
  'system-ca': { type: 'boolean', default: false },
  pin: { type: 'string' },
  'client-cert': { type: 'string' },
  'client-key': { type: 'string' },
  pfx: { type: 'string' },
  'passphrase-env': { type: 'string' },
  endpoint: { type: 'string' },
  'expect-json': { type: 'string' },
  proxy: { type: 'string' },
  'no-proxy': { type: 'boolean', default: false },
  'allow-insecure-http': { type: 'boolean', default: false },
  timeout: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

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
    const named = values.preset === undefined ? undefined : presetOf(values.preset);
    const spec = values.openapi === undefined ? undefined : await readSpec(values.openapi, values, proxy, { address, defaultPort: named?.defaultPort });
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
      endpoint: values.endpoint ?? preset?.endpoint,
      successRule: parseExpectation(values['expect-json']) ?? preset?.successRule,
      defaultPort: preset?.defaultPort,
      hints: preset?.hints,
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

/** The specification from a file, or downloaded from an https:// address with the same trust options as the test. */
async function readSpec(source: string, values: Values, proxy: string | null | undefined, server: { address: string; defaultPort: number | undefined }): Promise<OpenApiSummary> {
  // The server's trust options (--no-verify, --pin, --ca) apply only at the server's own origin.
  const read = /^https:\/\//i.test(source)
    ? await downloadOpenApi(
        source,
        specConnectionFor(atServerOrigin(source, server.address, server.defaultPort), {
          trust: {
            verifyCertificate: !values['no-verify'],
            extraCaPem: await Promise.all((values.ca ?? []).map((file) => readPem(file, 'CA certificate', 'CERTIFICATE'))),
            useSystemCa: values['system-ca'],
            pinnedSpki: values.pin ?? null,
          },
          proxy,
        }),
      )
    : await readOpenApi((await readBounded(source, LIMITS.openApiSpec, 'OpenAPI file')).toString('utf8'));
  if (!read.ok) throw new UsageError(`${source}: ${read.message}`);
  return read.summary;
}

/** The product's settings as the imported specification corrects them: its header, its first test request. */
function withSpec(preset: Preset | undefined, spec: OpenApiSummary | undefined): Preset | undefined {
  if (!spec) return preset;
  const base = preset ?? PRESETS.generic;
  const auth = spec.auth && base.methods.includes(spec.auth.method) ? spec.auth : null;
  return {
    ...base,
    ...(auth ? { auth: auth.method, headerName: auth.method === 'header' ? auth.headerName : base.headerName } : {}),
    endpoint: spec.endpoints[0] ?? base.endpoint,
  };
}

/**
 * The proxy: none (--no-proxy), from the environment (undefined), or the one given, which carries
 * no credentials: the command line is readable in the process list, so a proxy user and password
 * come from HTTPS_PROXY, as in the window. Messages never repeat what was given.
 */
function proxyOf(values: Values): string | null | undefined {
  if (values['no-proxy'] && values.proxy !== undefined) throw new UsageError('Give either --proxy or --no-proxy, not both.');
  if (values['no-proxy']) return null;
  if (values.proxy === undefined) return undefined;
  if (hasCredentials(values.proxy)) {
    throw new UsageError('--proxy takes the proxy address without a user name or password (a proxy password is never taken on the command line): give them in HTTPS_PROXY instead.');
  }
  const checked = checkProxySetting(values.proxy);
  if (!checked.ok) throw new UsageError(`--proxy: ${checked.message}`);
  if (readProxySetting(checked.value).kind !== 'custom') throw new UsageError('--proxy takes an http:// proxy address, e.g. http://proxy.example.com:3128 (--no-proxy: no proxy).');
  return checked.value;
}

/** user[:password]@ before the host, whether or not the rest of the address parses. */
function hasCredentials(proxy: string): boolean {
  const text = proxy.trim();
  try {
    const url = new URL(text.includes('://') ? text : `http://${text}`);
    if (url.username !== '' || url.password !== '') return true;
  } catch {
    // Not an address: still refused below, and its authority is checked for an "@" here.
  }
  const authority = text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/?#\\]/, 1)[0] ?? '';
  return authority.includes('@');
}

function presetOf(id: string): Preset {
  if (!(PRESET_IDS as readonly string[]).includes(id)) throw new UsageError(`Unknown --preset "${id}": use one of ${PRESET_IDS.join(', ')}.`);
  return PRESETS[id as PresetId];
}

/** The address to test: as given, or Thales STA's built from --zone and --tenant. */
function addressOf(given: string | undefined, values: Values): string {
  if (values.zone !== undefined || values.tenant !== undefined) {
    if (given) throw new UsageError('Give either a server address or --zone and --tenant, not both.');
    if (values.zone === undefined || values.tenant === undefined) throw new UsageError('--zone and --tenant go together.');
    const built = staAddress(values.zone, values.tenant);
    if (!built.ok) throw new UsageError(built.message);
    return built.address;
  }
  if (!given) throw new UsageError('Missing the server address.');
  return given;
}

function formatPresets(): string {
  return Object.values(PRESETS)
    .map((p) => {
      const how = p.auth === 'header' ? `header ${p.headerName ?? '<named by its OpenAPI specification>'}` : p.auth;
      return `${p.id.padEnd(17)} ${p.product}\n${''.padEnd(18)}auth ${how}; tests ${p.endpoint}${p.defaultPort ? `; port ${p.defaultPort}` : ''}${p.successRule ? `; success when ${p.successRule.jsonPath} = ${JSON.stringify(p.successRule.equals)}` : ''}\n${''.padEnd(18)}key: ${p.keyFrom}`;
    })
    .join('\n');
}

async function readAuth(values: Values, env: CliIo['env'], preset: Preset | undefined): Promise<AuthSpec> {
  if (preset && values.auth === undefined && preset.auth === 'header' && !preset.headerName) {
    throw new UsageError(`${preset.product} does not document the header that carries the key: give it with --auth header:<Name>, or --openapi with the product's specification.`);
  }
  const method = values.auth ?? (preset ? (preset.auth === 'header' ? `header:${preset.headerName ?? ''}` : preset.auth) : 'bearer');
  if (preset && !preset.methods.includes(method.startsWith('header:') ? 'header' : (method as AuthMethod))) {
    throw new UsageError(`${preset.product} does not use --auth ${method}.`);
  }
  if (method === 'bearer') return { method: 'bearer', token: await readSecret(values, env, 'API token') };
  if (method.startsWith('header:')) {
    const headerName = method.slice('header:'.length);
    const problem = checkHeaderName(headerName);
    if (problem) throw new UsageError(problem);
    return { method: 'header', headerName, key: await readSecret(values, env, 'API key') };
  }
  if (method === 'basic') {
    if (!values.user) throw new UsageError('--auth basic needs --user.');
    if (!values['password-env']) throw new UsageError('--auth basic needs --password-env VAR (a password is never taken on the command line).');
    const password = env[values['password-env']];
    if (password === undefined || password === '') throw new UsageError(`The environment variable ${values['password-env']} is not set.`);
    return { method: 'basic', username: values.user, password };
  }
  if (method === 'passportal-hmac') {
    const scope = values.scope ?? undefined;
    if (values['token-file'] !== undefined) {
      // The file Passportal's "Create access key" dialog content was saved to: both values.
      const file = values['token-file'];
      const parsed = parseKeyFile(file, await readBounded(file, MAX_SECRET_FILE, 'access key file'));
      if (!parsed.ok || parsed.kind !== 'access-key-pair') throw new UsageError(`${file} does not hold an Access key ID and a Secret access key.`);
      return { method: 'passportal-hmac', accessKeyId: values['access-key-id'] ?? parsed.accessKeyId, secretAccessKey: parsed.secret, ...(scope ? { scope } : {}) };
    }
    if (!values['access-key-id']) throw new UsageError('--auth passportal-hmac needs --access-key-id (or --token-file with the access key file).');
    if (!values['secret-file']) throw new UsageError('--auth passportal-hmac needs --secret-file with the secret access key.');
    const secretAccessKey = await readSecretFile(values['secret-file'], 'secret access key');
    return { method: 'passportal-hmac', accessKeyId: values['access-key-id'], secretAccessKey, ...(scope ? { scope } : {}) };
  }
  throw new UsageError(`Unknown --auth "${method}": use bearer, header:<Name>, basic or passportal-hmac.`);
}

async function readSecret(values: Values, env: CliIo['env'], what: string): Promise<string> {
  const file = values['token-file'];
  const envName = values['token-env'];
  if ((file === undefined) === (envName === undefined)) throw new UsageError(`Give the ${what} with exactly one of --token-file or --token-env.`);
  if (file !== undefined) return readSecretFile(file, what);
  const value = env[envName as string];
  if (value === undefined) throw new UsageError(`The environment variable ${envName} is not set.`);
  return checked(value, what);
}

async function readSecretFile(file: string, what: string): Promise<string> {
  const bytes = await readBounded(file, MAX_SECRET_FILE, `${what} file`);
  if (bytes.includes(0)) throw new UsageError(`The ${what} file ${file} holds binary data, not a key.`);
  return checked(bytes.toString('utf8'), what);
}

function checked(raw: string, what: string): string {
  const result = checkApiToken(raw);
  if (!result.ok) throw new UsageError(result.message.replace('The API token', `The ${what}`));
  return result.token;
}

async function readBounded(file: string, max: number, what: string): Promise<Buffer> {
  const read = await readBoundedFile(file, max);
  if (read.ok) return read.bytes;
  throw new UsageError(read.reason === 'too-large' ? `The ${what} ${file} is larger than ${max / 1024} KiB.` : `Cannot read the ${what} ${file}.`);
}

async function readPem(file: string, what: string, label: string): Promise<string> {
  const text = (await readBounded(file, MAX_PEM_FILE, `${what} file`)).toString('utf8');
  if (!new RegExp(`-----BEGIN [A-Z ]*${label}-----`).test(text)) {
    throw new UsageError(`The ${what} file ${file} is not PEM (no "-----BEGIN ${label}-----" line).`);
  }
  return text;
}

async function readClientCertificate(values: Values, env: CliIo['env']): Promise<ClientCertificate | undefined> {
  const pem = values['client-cert'] !== undefined || values['client-key'] !== undefined;
  if (pem && values.pfx !== undefined) throw new UsageError('Give the client certificate either as --client-cert/--client-key or as --pfx, not both.');
  if (pem) {
    if (!values['client-cert'] || !values['client-key']) throw new UsageError('--client-cert and --client-key go together.');
    return {
      certPem: await readPem(values['client-cert'], 'client certificate', 'CERTIFICATE'),
      keyPem: await readPem(values['client-key'], 'client key', 'PRIVATE KEY'),
    };
  }
  if (values.pfx !== undefined) {
    const passphraseVar = values['passphrase-env'];
    const passphrase = passphraseVar === undefined ? undefined : env[passphraseVar];
    if (passphraseVar !== undefined && passphrase === undefined) throw new UsageError(`The environment variable ${passphraseVar} is not set.`);
    return { pfx: await readBounded(values.pfx, MAX_PEM_FILE, 'PKCS#12 file'), passphrase };
  }
  return undefined;
}

function parseExpectation(text: string | undefined): JsonRule | undefined {
  if (text === undefined) return undefined;
  const parsed = parseJsonRule(text);
  if (!parsed.ok || parsed.rule === null) throw new UsageError('--expect-json takes PATH=VALUE, e.g. operation.result.status=Success or success=true.');
  return parsed.rule;
}

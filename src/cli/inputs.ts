// The command's inputs, read the way the window's service reads them: the preset, the address, the
// authentication and its secret (from a file or the environment, never the command line), the
// client certificate, the proxy, the OpenAPI specification, the success rule. A bad input is a
// UsageError with one clear line, never an echo of a secret.
import {
  atServerOrigin,
  checkApiToken,
  checkHeaderName,
  checkProxySetting,
  downloadOpenApi,
  parseKeyFile,
  readBoundedFile,
  readOpenApi,
  specConnectionFor,
  type AuthSpec,
  type ClientCertificate,
} from '../main/core/cli-facade';
import { specSettings } from '../shared/connection-profile';
import { LIMITS } from '../shared/limits';
import { parseJsonRule, PRESET_IDS, PRESETS, staAddress, type AuthMethod, type JsonRule, type Preset, type PresetId } from '../shared/presets';
import { readProxySetting } from '../shared/proxy-setting';
import type { OpenApiSummary } from '../shared/types';
import { UsageError, type CliIo, type Values } from './options';

const MAX_SECRET_FILE = LIMITS.keyFile;
const MAX_PEM_FILE = 1024 * 1024;

/** The specification from a file, or downloaded from an https:// address with the same trust options as the test. */
export async function readSpec(source: string, values: Values, proxy: string | null | undefined, server: { address: string; defaultPort: number | undefined }): Promise<OpenApiSummary> {
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
export function withSpec(preset: Preset | undefined, spec: OpenApiSummary | undefined): Preset | undefined {
  if (!spec) return preset;
  const base = preset ?? PRESETS.generic;
  const { auth, endpoint } = specSettings(base, spec);
  return {
    ...base,
    ...(auth ? { auth: auth.method, headerName: auth.method === 'header' ? auth.headerName : base.headerName } : {}),
    endpoint: endpoint ?? base.endpoint,
  };
}

/**
 * The proxy: none (--no-proxy), from the environment (undefined), or the one given, which carries
 * no credentials: the command line is readable in the process list, so a proxy user and password
 * come from HTTPS_PROXY, as in the window. Messages never repeat what was given.
 */
export function proxyOf(values: Values): string | null | undefined {
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
export function hasCredentials(proxy: string): boolean {
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

export function presetOf(id: string): Preset {
  if (!(PRESET_IDS as readonly string[]).includes(id)) throw new UsageError(`Unknown --preset "${id}": use one of ${PRESET_IDS.join(', ')}.`);
  return PRESETS[id as PresetId];
}

/** The address to test: as given, or Thales STA's built from --zone and --tenant. */
export function addressOf(given: string | undefined, values: Values): string {
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

export function formatPresets(): string {
  return Object.values(PRESETS)
    .map((p) => {
      const how = p.auth === 'header' ? `header ${p.headerName ?? '<named by its OpenAPI specification>'}` : p.auth;
      return `${p.id.padEnd(17)} ${p.product}\n${''.padEnd(18)}auth ${how}; tests ${p.endpoint}${p.defaultPort ? `; port ${p.defaultPort}` : ''}${p.successRule ? `; success when ${p.successRule.jsonPath} = ${JSON.stringify(p.successRule.equals)}` : ''}\n${''.padEnd(18)}key: ${p.keyFrom}`;
    })
    .join('\n');
}

export async function readAuth(values: Values, env: CliIo['env'], preset: Preset | undefined): Promise<AuthSpec> {
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

export async function readSecret(values: Values, env: CliIo['env'], what: string): Promise<string> {
  const file = values['token-file'];
  const envName = values['token-env'];
  if ((file === undefined) === (envName === undefined)) throw new UsageError(`Give the ${what} with exactly one of --token-file or --token-env.`);
  if (file !== undefined) return readSecretFile(file, what);
  const value = env[envName as string];
  if (value === undefined) throw new UsageError(`The environment variable ${envName} is not set.`);
  return checked(value, what);
}

export async function readSecretFile(file: string, what: string): Promise<string> {
  const bytes = await readBounded(file, MAX_SECRET_FILE, `${what} file`);
  if (bytes.includes(0)) throw new UsageError(`The ${what} file ${file} holds binary data, not a key.`);
  return checked(bytes.toString('utf8'), what);
}

export function checked(raw: string, what: string): string {
  const result = checkApiToken(raw);
  if (!result.ok) throw new UsageError(result.message.replace('The API token', `The ${what}`));
  return result.token;
}

export async function readBounded(file: string, max: number, what: string): Promise<Buffer> {
  const read = await readBoundedFile(file, max);
  if (read.ok) return read.bytes;
  throw new UsageError(read.reason === 'too-large' ? `The ${what} ${file} is larger than ${max / 1024} KiB.` : `Cannot read the ${what} ${file}.`);
}

export async function readPem(file: string, what: string, label: string): Promise<string> {
  const text = (await readBounded(file, MAX_PEM_FILE, `${what} file`)).toString('utf8');
  if (!new RegExp(`-----BEGIN [A-Z ]*${label}-----`).test(text)) {
    throw new UsageError(`The ${what} file ${file} is not PEM (no "-----BEGIN ${label}-----" line).`);
  }
  return text;
}

export async function readClientCertificate(values: Values, env: CliIo['env']): Promise<ClientCertificate | undefined> {
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

export function parseExpectation(text: string | undefined): JsonRule | undefined {
  if (text === undefined) return undefined;
  const parsed = parseJsonRule(text);
  if (!parsed.ok || parsed.rule === null) throw new UsageError('--expect-json takes PATH=VALUE, e.g. operation.result.status=Success or success=true.');
  return parsed.rule;
}

// The command's inputs, read the way the window's service reads them: the preset, the address, the
// authentication and its secret (from a file or the environment, never the command line), the
// client certificate, the proxy, the OpenAPI specification, the success rule. A bad input is a
// UsageError with one clear line, never an echo of a secret.
import {
  atServerOrigin,
  checkApiToken,
  checkProxySetting,
  downloadOpenApi,
  parseKeyFile,
  readBoundedFile,
  readOpenApi,
  specConnectionFor,
  type AuthSpec,
  type ClientCertificate,
} from '../main/core/cli-facade';
import { authFor, productForMethod, specSettings, type AuthProblem } from '../shared/connection-profile';
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
export function withSpec(preset: Preset, spec: OpenApiSummary | undefined): Preset {
  if (!spec) return preset;
  const { auth, endpoint } = specSettings(preset, spec);
  return {
    ...preset,
    ...(auth ? { auth: auth.method, headerName: auth.method === 'header' ? auth.headerName : preset.headerName } : {}),
    endpoint: endpoint ?? preset.endpoint,
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

/** --auth as the shared rule takes it: a method, and for header:<Name> the header's name. */
function authOption(given: string | undefined): { method?: AuthMethod; identity?: string } {
  if (given === undefined) return {};
  if (given.startsWith('header:')) return { method: 'header', identity: given.slice('header:'.length) };
  if ((['bearer', 'basic', 'passportal-hmac'] as const).some((m) => m === given)) return { method: given as AuthMethod };
  throw new UsageError(`Unknown --auth "${given}": use bearer, header:<Name>, basic or passportal-hmac.`);
}

/** The product a test is for: the one named, or the one the method belongs to (Passportal's access key), or the generic one. */
export function productOf(values: Values): Preset {
  if (values.preset !== undefined) return presetOf(values.preset);
  return PRESETS[productForMethod(authOption(values.auth).method ?? 'bearer')];
}

/** The authentication by the window's rule (shared/connection-profile.ts authFor), then its secret from a file or the environment. */
export async function readAuth(values: Values, env: CliIo['env'], preset: Preset): Promise<AuthSpec> {
  const option = authOption(values.auth);
  const method = option.method ?? preset.auth;
  // Passportal's access key file holds both values: its Access key ID fills in for --access-key-id.
  const keyPair =
    method === 'passportal-hmac' && values['token-file'] !== undefined ? await readKeyPair(values['token-file']) : undefined;
  const identity = method === 'basic' ? values.user : method === 'passportal-hmac' ? values['access-key-id'] : option.identity;
  const outcome = authFor(preset, { method, identity, scope: values.scope }, keyPair ? { imported: { kind: 'access-key-pair', accessKeyId: keyPair.accessKeyId } } : {});
  if (!outcome.ok) throw new UsageError(cliWords(outcome.problem, outcome.message, preset, values.auth, method));
  const auth = outcome.auth;
  switch (auth.method) {
    case 'bearer':
      return { method: 'bearer', token: await readSecret(values, env, 'API token') };
    case 'header':
      return { method: 'header', headerName: auth.headerName, key: await readSecret(values, env, 'API key') };
    case 'basic': {
      if (!values['password-env']) throw new UsageError('--auth basic needs --password-env VAR (a password is never taken on the command line).');
      const password = env[values['password-env']];
      if (password === undefined || password === '') throw new UsageError(`The environment variable ${values['password-env']} is not set.`);
      return { method: 'basic', username: auth.username, password };
    }
    case 'passportal-hmac': {
      if (!keyPair && !values['secret-file']) throw new UsageError('--auth passportal-hmac needs --secret-file with the secret access key.');
      const secretAccessKey = keyPair ? keyPair.secret : await readSecretFile(values['secret-file'] as string, 'secret access key');
      return { method: 'passportal-hmac', accessKeyId: auth.accessKeyId, secretAccessKey, ...(auth.scope ? { scope: auth.scope } : {}) };
    }
  }
}

/** The file Passportal's "Create access key" dialog content was saved to: both values. */
async function readKeyPair(file: string): Promise<{ accessKeyId: string; secret: string }> {
  const parsed = parseKeyFile(file, await readBounded(file, MAX_SECRET_FILE, 'access key file'));
  if (!parsed.ok || parsed.kind !== 'access-key-pair' || !parsed.accessKeyId) throw new UsageError(`${file} does not hold an Access key ID and a Secret access key.`);
  return { accessKeyId: parsed.accessKeyId, secret: parsed.secret };
}

/** The shared rule's refusal in this command's terms: the option to give. */
function cliWords(problem: AuthProblem, message: string, preset: Preset, given: string | undefined, method: AuthMethod): string {
  if (problem === 'method-not-offered') return `${preset.product} does not use --auth ${given ?? method}.`;
  if (problem !== 'missing-identity') return message;
  if (method === 'basic') return '--auth basic needs --user.';
  if (method === 'passportal-hmac') return '--auth passportal-hmac needs --access-key-id (or --token-file with the access key file).';
  return given === undefined
    ? `${preset.product} does not document the header that carries the key: give it with --auth header:<Name>, or --openapi with the product's specification.`
    : '--auth header:<Name> needs the name of the header that carries the key, e.g. header:apikey.';
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

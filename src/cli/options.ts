// The command line's options and usage text, and the error that is a usage mistake (exit 2).
import type { parseArgs } from 'node:util';

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

export class UsageError extends Error {}

export const OPTIONS = {
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

export type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

// Paste to fill (issue #16): a curl command ("copy as cURL" from Postman, Bruno, Insomnia or a
// browser, bash, cmd or PowerShell form), an HTTPie command, or a URL with its header lines, pasted
// into the server address field, becomes the form's address, method, header and endpoint. The key in
// it is handed back once as `secret`, for the caller to import as a key and forget: it never stays in
// the address, the endpoint or a message. Pure: no node, no DOM (the renderer imports it).
import { checkHeaderName, type AuthSetting } from './connection-profile';
import { PRESET_IDS, PRESETS, type PresetId } from './presets';

/** The methods a paste can name: a Passportal key pair is never in a command (its x-hash is a signature). */
export type PastedAuth = Extract<AuthSetting, { method: 'bearer' | 'header' | 'basic' }>;

export interface PastedConnection {
  /** scheme://host[:port], without credentials; STA's tenant base is kept (its endpoints are relative to it). */
  serverAddress: string | null;
  /** Path and query of the request, without any key: e.g. /SecretServer/api/v1/users/current. */
  endpoint: string | null;
  auth: PastedAuth | null;
  /** The token, API key or password found: only to be imported as a key. Null whenever `problems` is not empty. */
  secret: string | null;
  /** false when the command turned certificate checks off (curl -k, HTTPie --verify=no); null = not said. */
  verifyCertificate: false | null;
  /** The product the paste plainly belongs to (its own key header, its host), else null. */
  product: PresetId | null;
  /** What was ignored, in the admin's words. */
  warnings: string[];
  /** Why the paste cannot be used; when not empty, fill nothing. */
  problems: string[];
}

/** Longer text is refused: no command or address is that long. */
export const PASTE_LIMIT = 64 * 1024;
const MAX_WORDS = 4096;
/** A secret this short could match a path by chance: the final check looks for longer ones only. */
const GUARD_MIN = 6;

// ---------------------------------------------------------------------------------------------
// Entry

/** What the pasted text fills, or null when it is just an address (the field keeps its normal paste). */
export function pastedConnection(text: string): PastedConnection | null {
  if (text.length > PASTE_LIMIT) return refused('The pasted text is longer than 64 KiB: paste only the command or the address.');
  // A shell prompt copied along with the command: "$ curl …", "PS C:\Users\me> curl.exe …".
  const body = text.trim().replace(/^(?:[$%>]\s+|PS [^>\n]{0,260}>\s*)/, '');
  if (body === '') return null;
  const first = /^\S+/.exec(body)?.[0] ?? '';
  if (/^(?:\S*[\\/])?curl(?:\.exe)?$/i.test(first)) return fromCommand(body, curlRequest);
  if (/^(?:https?|xhs?)$/i.test(first) && /\s/.test(body)) return fromCommand(body, httpieRequest);
  const lines = linesRequest(body);
  if (lines) return finish(lines);
  if (/\s/.test(body) || !looksLikeUrl(body)) return null;
  // One URL: worth filling only when it carries a credential, which must not reach the address field.
  const target = resolveUrl(body, []);
  if (!target.ok || (target.userinfo === null && target.queryKeys.length === 0)) return null;
  return finish({ ...newRequest(), url: body });
}

function fromCommand(body: string, read: (words: string[]) => Request): PastedConnection {
  const words = shellWords(body, dialectOf(body));
  if (!words.ok) return refused(words.message);
  const request = read(words.words);
  if (words.cut) request.warnings.push(`Only the first command is read: what follows "${words.cut}" is ignored.`);
  return finish(request);
}

function refused(problem: string): PastedConnection {
  return { serverAddress: null, endpoint: null, auth: null, secret: null, verifyCertificate: null, product: null, warnings: [], problems: [problem] };
}

// ---------------------------------------------------------------------------------------------
// Shell words: bash (quotes, $'…', "\" + newline), cmd ("^" escapes and continuations, MSVCRT "\""),
// PowerShell (backtick escapes and continuations, '' inside '…'). Nothing is expanded: a $VAR stays
// as typed, and the placeholder check below reports it.

type Dialect = 'posix' | 'cmd' | 'powershell';
type Words = { ok: true; words: string[]; cut: string | null } | { ok: false; message: string };

const UNCLOSED = 'The command has a quote (\' or ") that is never closed: copy the whole command again.';

function dialectOf(text: string): Dialect {
  if (/\^\r?\n/.test(text) || /(?:^|\s)\^"/.test(text)) return 'cmd';
  if (/`\r?\n/.test(text)) return 'powershell';
  return 'posix';
}

/** The words of the first command (it ends at an unquoted |, ; or &&). */
function shellWords(input: string, dialect: Dialect): Words {
  const text = dialect === 'cmd' ? cmdUnescape(input) : input;
  const escape = dialect === 'posix' ? '\\' : dialect === 'powershell' ? '`' : null;
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const push = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  while (i < text.length) {
    if (words.length > MAX_WORDS) return { ok: false, message: 'The command has too many words to be one request.' };
    const c = text[i] as string;
    if (c === escape) {
      const next = text[i + 1];
      const skip = next === '\n' ? 2 : next === '\r' && text[i + 2] === '\n' ? 3 : 0;
      if (skip) i += skip; // a line continuation
      else {
        word += next === undefined ? c : dialect === 'powershell' ? backtick(next) : next;
        inWord = true;
        i += next === undefined ? 1 : 2;
      }
      continue;
    }
    if (dialect === 'cmd' && c === '\\') {
      const run = backslashes(text, i);
      word += run.value;
      inWord = true;
      i = run.next;
      continue;
    }
    let quoted: { value: string; next: number } | null | undefined;
    if (c === "'") quoted = readSingle(text, i + 1, dialect === 'powershell');
    else if (c === '"') quoted = readDouble(text, i + 1, dialect);
    else if (dialect === 'posix' && c === '$' && (text[i + 1] === "'" || text[i + 1] === '"')) {
      quoted = text[i + 1] === "'" ? readAnsiC(text, i + 2) : readDouble(text, i + 2, dialect);
    }
    if (quoted === null) return { ok: false, message: UNCLOSED };
    if (quoted !== undefined) {
      word += quoted.value;
      inWord = true;
      i = quoted.next;
      continue;
    }
    if (/\s/.test(c)) {
      push();
      i++;
      continue;
    }
    if (c === '#' && !inWord) {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? text.length : eol;
      continue;
    }
    if (c === '|' || c === ';' || (c === '&' && text[i + 1] === '&')) {
      push();
      return { ok: true, words, cut: c === '&' ? '&&' : c };
    }
    word += c;
    inWord = true;
    i++;
  }
  push();
  return { ok: true, words, cut: null };
}

function readSingle(text: string, start: number, doubledQuote: boolean): { value: string; next: number } | null {
  let value = '';
  let i = start;
  for (;;) {
    const close = text.indexOf("'", i);
    if (close < 0) return null;
    value += text.slice(i, close);
    // PowerShell writes a ' inside '…' as ''.
    if (doubledQuote && text[close + 1] === "'") {
      value += "'";
      i = close + 2;
      continue;
    }
    return { value, next: close + 1 };
  }
}

function readDouble(text: string, start: number, dialect: Dialect): { value: string; next: number } | null {
  let value = '';
  let i = start;
  while (i < text.length) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (c === '"') {
      if (dialect === 'powershell' && next === '"') {
        value += '"';
        i += 2;
        continue;
      }
      return { value, next: i + 1 };
    }
    if (dialect === 'posix' && c === '\\' && next !== undefined && '$`"\\\n'.includes(next)) {
      if (next !== '\n') value += next; // "\" + newline inside "…" is a continuation too
      i += 2;
    } else if (dialect === 'powershell' && c === '`' && next !== undefined) {
      if (next !== '\n') value += backtick(next);
      i += 2;
    } else if (dialect === 'cmd' && c === '\\') {
      const run = backslashes(text, i);
      value += run.value;
      i = run.next;
    } else {
      value += c;
      i++;
    }
  }
  return null;
}

const ANSI_SIMPLE: Record<string, string> = { n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };

/** bash's $'…': C escapes (\n, \xHH, \uHHHH, octal). */
function readAnsiC(text: string, start: number): { value: string; next: number } | null {
  let value = '';
  let i = start;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === "'") return { value, next: i + 1 };
    if (c !== '\\') {
      value += c;
      i++;
      continue;
    }
    const e = text[i + 1];
    if (e === undefined) return null;
    const simple = ANSI_SIMPLE[e];
    const digits = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    const hex = digits ? /^[0-9a-fA-F]+/.exec(text.slice(i + 2, i + 2 + digits))?.[0] : undefined;
    const octal = /^[0-7]{1,3}/.exec(text.slice(i + 1, i + 4))?.[0];
    if (simple !== undefined) {
      value += simple;
      i += 2;
    } else if (hex) {
      const point = parseInt(hex, 16);
      value += point <= 0x10ffff ? String.fromCodePoint(point) : '';
      i += 2 + hex.length;
    } else if (octal) {
      value += String.fromCharCode(parseInt(octal, 8) & 0xff);
      i += 1 + octal.length;
    } else {
      value += `\\${e}`;
      i += 2;
    }
  }
  return null;
}

const backtick = (c: string): string => ({ n: '\n', r: '\r', t: '\t', '0': '\0' })[c] ?? c;

/** MSVCRT's rule: 2n backslashes before a quote are n and the quote counts; 2n+1 are n and a literal quote. */
function backslashes(text: string, start: number): { value: string; next: number } {
  let end = start;
  while (text[end] === '\\') end++;
  const n = end - start;
  if (text[end] !== '"') return { value: '\\'.repeat(n), next: end };
  return n % 2 === 1 ? { value: `${'\\'.repeat(n >> 1)}"`, next: end + 1 } : { value: '\\'.repeat(n >> 1), next: end };
}

/**
 * cmd.exe's own pass, before the program splits its arguments: outside "…", ^X is X and ^ + newline
 * continues the line. Browsers write every quote as ^" (an escaped, hence literal, quote for cmd),
 * so their quotes reach curl's argument parser, which is the pass below this one.
 */
function cmdUnescape(text: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '"') quoted = !quoted;
    if (c !== '^' || quoted) {
      out += c;
      continue;
    }
    const next = text[i + 1];
    if (next === '\r' && text[i + 2] === '\n') i += 2;
    else if (next !== undefined) {
      i++;
      if (next !== '\n') out += next;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// What a command asks for, before it is judged

interface Header {
  name: string;
  value: string;
}

interface Request {
  url: string | null;
  /** No URL is needed (header lines pasted on their own). */
  urlOptional?: boolean;
  extraUrls: number;
  headers: Header[];
  /** -u / -a as given: user[:password], and the option that gave it. */
  user: { value: string; from: string } | null;
  bearer: string | null;
  /** Query pairs added by the command (curl -G data, --url-query, HTTPie name==value), encoded. */
  query: string[];
  insecure: boolean;
  warnings: string[];
  problems: string[];
}

const newRequest = (): Request => ({ url: null, extraUrls: 0, headers: [], user: null, bearer: null, query: [], insecure: false, warnings: [], problems: [] });

const addUrl = (request: Request, url: string): void => {
  if (request.url === null) request.url = url;
  else request.extraUrls++;
};

/** "Name: value" (curl, HTTPie, header lines), or null. */
function headerOf(line: string): Header | null {
  const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]{1,256})\s*:(.*)$/s.exec(line);
  return match ? { name: match[1] as string, value: (match[2] as string).trim() } : null;
}

// curl's options: what each does here, and whether it takes a value.
type Kind = 'header' | 'user' | 'bearer' | 'request' | 'head' | 'body' | 'get' | 'url' | 'url-query' | 'insecure' | 'proxy' | 'tls' | 'cookie' | 'netrc' | 'config' | 'digest' | 'ntlm' | 'negotiate' | 'aws-sigv4' | 'silent' | 'ignored';

const CURL_OPTIONS = new Map<string, { kind: Kind; arg: boolean }>();
const define = (kind: Kind, arg: boolean, names: string): void => {
  for (const name of names.split(' ')) CURL_OPTIONS.set(name, { kind, arg });
};
define('header', true, 'header');
define('user', true, 'user');
define('bearer', true, 'oauth2-bearer');
define('request', true, 'request');
define('head', false, 'head');
define('body', true, 'data data-raw data-binary data-ascii data-urlencode json form form-string upload-file');
define('get', false, 'get');
define('url', true, 'url');
define('url-query', true, 'url-query');
define('insecure', false, 'insecure');
define('proxy', true, 'proxy proxy-user noproxy socks4 socks4a socks5 socks5-hostname preproxy proxy-header proxy-cacert proxy-cert proxy-key');
define('proxy', false, 'proxy-insecure proxy-basic proxy-digest proxy-ntlm proxy-anyauth proxytunnel');
define('tls', true, 'cacert capath cert key cert-type key-type pass pinnedpubkey crlfile');
define('cookie', true, 'cookie');
define('netrc', false, 'netrc netrc-optional');
define('netrc', true, 'netrc-file');
define('config', true, 'config');
define('digest', false, 'digest');
define('ntlm', false, 'ntlm ntlm-wb');
define('negotiate', false, 'negotiate');
define('aws-sigv4', true, 'aws-sigv4');
define('silent', false, 'compressed silent show-error verbose location location-trusted include fail fail-with-body globoff ipv4 ipv6 no-buffer progress-bar no-progress-meter http1.0 http1.1 http2 http2-prior-knowledge http3 tlsv1 tlsv1.0 tlsv1.1 tlsv1.2 tlsv1.3 path-as-is remote-name remote-header-name remote-time basic anyauth no-keepalive no-sessionid tcp-nodelay ssl-reqd disable junk-session-cookies parallel create-dirs raw');
define('silent', true, 'user-agent referer output max-time connect-timeout write-out retry retry-delay retry-max-time max-redirs cookie-jar dump-header limit-rate tls-max ciphers trace trace-ascii stderr');
define('ignored', true, 'resolve connect-to interface dns-servers range time-cond continue-at speed-limit speed-time max-filesize local-port');

const SHORT: Record<string, string> = {
  H: 'header', u: 'user', X: 'request', I: 'head', d: 'data', F: 'form', T: 'upload-file', G: 'get', k: 'insecure', x: 'proxy', U: 'proxy-user', p: 'proxytunnel',
  E: 'cert', b: 'cookie', c: 'cookie-jar', n: 'netrc', K: 'config', A: 'user-agent', e: 'referer', o: 'output', O: 'remote-name', J: 'remote-header-name', R: 'remote-time',
  m: 'max-time', w: 'write-out', s: 'silent', S: 'show-error', v: 'verbose', L: 'location', i: 'include', f: 'fail', g: 'globoff', N: 'no-buffer', '#': 'progress-bar',
  '4': 'ipv4', '6': 'ipv6', '0': 'http1.0', '1': 'tlsv1', D: 'dump-header', q: 'disable', j: 'junk-session-cookies', Z: 'parallel', C: 'continue-at', r: 'range', z: 'time-cond',
  Y: 'speed-limit', y: 'speed-time',
};

/** An option name fit to show (never its value), or null. */
const shownOption = (word: string): string | null => {
  const name = word.split('=', 1)[0] as string;
  return /^-{1,2}[A-Za-z0-9#][A-Za-z0-9.-]{0,39}$/.test(name) ? name : null;
};

/** Where an option ignored without a problem can be set instead. */
const ELSEWHERE: Partial<Record<Kind, string>> = {
  proxy: 'set the proxy under Proxy.',
  tls: 'add the certificate or key in the TLS tab.',
  cookie: 'Keybridge sends only the key.',
  netrc: 'paste the user name and password themselves.',
  config: 'paste the options themselves.',
};

/** A command being read: its request, its data (a body, or the query with -G), its unknown options. */
interface CurlState {
  request: Request;
  data: Array<{ option: string; value: string; encode: boolean }>;
  get: boolean;
  unknown: string[];
}

function applyCurlOption(state: CurlState, option: string, kind: Kind, value: string): void {
  const { request } = state;
  const elsewhere = ELSEWHERE[kind];
  if (elsewhere) {
    request.warnings.push(`${option} ignored: ${elsewhere}`);
    return;
  }
  switch (kind) {
    case 'header': {
      if (value.startsWith('@')) {
        request.warnings.push(`${option} @file ignored: paste the headers themselves.`);
        return;
      }
      const header = headerOf(value);
      // "Name;" sends an empty header and "Name:" removes one: neither carries a key.
      if (header === null && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+;$/.test(value)) request.warnings.push('A header that is not "Name: value" was ignored.');
      if (header && header.value !== '') request.headers.push(header);
      return;
    }
    case 'user':
      request.user = { value, from: option };
      return;
    case 'bearer':
      request.bearer = value;
      return;
    case 'request': {
      const method = value.toUpperCase();
      if (method !== 'GET') request.warnings.push(`${option} ${/^[A-Z]{1,20}$/.test(method) ? `${method} ` : ''}ignored: Keybridge tests with GET.`);
      return;
    }
    case 'head':
      request.warnings.push(`${option} (HEAD) ignored: Keybridge tests with GET.`);
      return;
    case 'body':
      state.data.push({ option, value, encode: option === '--data-urlencode' });
      return;
    case 'get':
      state.get = true;
      return;
    case 'url':
      addUrl(request, value);
      return;
    case 'url-query':
      request.query.push(urlencodeData(value));
      return;
    case 'insecure':
      request.insecure = true;
      return;
    case 'digest':
    case 'ntlm':
    case 'negotiate':
    case 'aws-sigv4':
      request.problems.push(`${option}: ${AUTH_SCHEME_NAMES[kind]} is not a method Keybridge supports (it sends a Bearer token, Basic, or a key in a header).`);
      return;
    case 'ignored':
      state.unknown.push(option);
      return;
    default:
      return;
  }
}

function curlRequest(words: string[]): Request {
  const state: CurlState = { request: newRequest(), data: [], get: false, unknown: [] };
  const { request, data } = state;
  const apply = (option: string, kind: Kind, value: string): void => applyCurlOption(state, option, kind, value);
  // An unknown option may take a value: skip the next word unless it is the URL or an option.
  const skipsValue = (next: string | undefined): boolean => next !== undefined && !next.startsWith('-') && !looksLikeUrl(next);

  let i = 1;
  let optionsEnded = false;
  while (i < words.length) {
    const word = words[i++] as string;
    if (optionsEnded || !word.startsWith('-') || word === '-') {
      addUrl(request, word);
    } else if (word === '--') {
      optionsEnded = true;
    } else if (word.startsWith('--')) {
      // curl has no --name=value, but people write it: accepted for the options it knows.
      const eq = word.indexOf('=');
      const long = eq > 2 && CURL_OPTIONS.has(word.slice(2, eq)) ? word.slice(2, eq) : word.slice(2);
      const spec = CURL_OPTIONS.get(long);
      if (!spec) {
        state.unknown.push(shownOption(word) ?? 'an unreadable option');
        if (skipsValue(words[i])) i++;
        continue;
      }
      const value = spec.arg ? (long.length + 2 < word.length ? word.slice(long.length + 3) : words[i++]) : '';
      if (value === undefined) request.problems.push(`--${long} needs a value.`);
      else apply(`--${long}`, spec.kind, value);
    } else {
      // A cluster of short options (-sSLk); one that takes a value takes the rest of the word or the next.
      for (let k = 1; k < word.length; k++) {
        const letter = word[k] as string;
        const name = SHORT[letter];
        const spec = name === undefined ? undefined : CURL_OPTIONS.get(name);
        if (!spec) {
          state.unknown.push(/^[A-Za-z0-9#:]$/.test(letter) ? `-${letter}` : 'an unreadable option');
          if (k === word.length - 1 && skipsValue(words[i])) i++;
          break;
        }
        if (!spec.arg) {
          apply(`-${letter}`, spec.kind, '');
          continue;
        }
        const value = k + 1 < word.length ? word.slice(k + 1) : words[i++];
        if (value === undefined) request.problems.push(`-${letter} needs a value.`);
        else apply(`-${letter}`, spec.kind, value);
        break;
      }
    }
  }
  // With -G the data are the query; without it they are a body, which a GET test does not send.
  if (state.get) {
    for (const d of data) {
      if (d.value.startsWith('@') && d.option !== '--data-raw') request.warnings.push(`${d.option} @file ignored: paste the values themselves.`);
      else request.query.push(d.encode ? urlencodeData(d.value) : d.value);
    }
  } else if (data[0]) request.warnings.push(`A request body (${data[0].option}) is ignored: Keybridge tests with GET.`);
  if (state.unknown.length) request.warnings.push(`Options Keybridge does not use were ignored: ${listed(state.unknown)}.`);
  if (request.extraUrls) request.warnings.push('The command has more than one URL: only the first is used.');
  return request;
}

const AUTH_SCHEME_NAMES: Record<'digest' | 'ntlm' | 'negotiate' | 'aws-sigv4', string> = { digest: 'Digest authentication', ntlm: 'NTLM', negotiate: 'Negotiate (Kerberos)', 'aws-sigv4': 'AWS Signature Version 4' };

/** curl --data-urlencode: "name=content" encodes the content, "content" or "=content" all of it. */
function urlencodeData(value: string): string {
  const eq = value.indexOf('=');
  return eq < 0 ? encodeURIComponent(value) : eq === 0 ? encodeURIComponent(value.slice(1)) : `${value.slice(0, eq)}=${encodeURIComponent(value.slice(eq + 1))}`;
}

const listed = (names: string[]): string => {
  const unique = [...new Set(names)];
  return unique.length > 6 ? `${unique.slice(0, 6).join(', ')} and ${unique.length - 6} more` : unique.join(', ');
};

/** HTTPie / xh: http [options] [METHOD] URL [Name:value] [name==value] [name=value …]. */
function httpieRequest(words: string[]): Request {
  const request = newRequest();
  const unknown: string[] = [];
  let authType = 'basic';
  let i = 1;
  const valueOf = (word: string): string | undefined => (word.includes('=') ? word.slice(word.indexOf('=') + 1) : words[i++]);
  while (i < words.length && (words[i] as string).startsWith('-')) {
    const word = words[i++] as string;
    const name = word.split('=', 1)[0] as string;
    if (name === '-a' || name === '--auth') {
      const value = valueOf(word);
      if (value !== undefined) request.user = { value, from: name };
    } else if (name === '-A' || name === '--auth-type') authType = (valueOf(word) ?? '').toLowerCase();
    else if (name === '--verify') {
      const value = (valueOf(word) ?? '').toLowerCase();
      if (value === 'no' || value === 'false') request.insecure = true;
      else if (value !== 'yes' && value !== 'true') request.warnings.push('--verify ignored: add the certificate in the TLS tab.');
    } else if (name === '--proxy') {
      valueOf(word);
      request.warnings.push('--proxy ignored: set the proxy under Proxy.');
    } else if (name === '--cert' || name === '--cert-key' || name === '--cert-key-pass') {
      valueOf(word);
      request.warnings.push(`${name} ignored: add the certificate or key in the TLS tab.`);
    } else if (['--print', '-p', '--pretty', '--style', '-s', '--timeout', '--output', '-o', '--session', '--session-read-only', '--max-redirects', '--format-options'].includes(name)) valueOf(word);
    else if (!['-v', '--verbose', '-h', '--headers', '-b', '--body', '-f', '--form', '-j', '--json', '--follow', '-F', '--check-status', '--ignore-stdin', '-I', '--offline', '-d', '--download', '-S', '--stream'].includes(name)) unknown.push(shownOption(word) ?? 'an unreadable option');
  }
  const method = words[i];
  if (method !== undefined && words[i + 1] !== undefined && /^(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/i.test(method)) {
    if (method.toUpperCase() !== 'GET') request.warnings.push(`${method.toUpperCase()} ignored: Keybridge tests with GET.`);
    i++;
  }
  const url = words[i++];
  if (url !== undefined) request.url = url;
  let body = false;
  for (; i < words.length; i++) {
    const word = words[i] as string;
    const item = looksLikeUrl(word) ? null : /^((?:\\.|[^:=@\\])*)(==|:=@|:=|=@|:|=|@)(.*)$/s.exec(word);
    if (!item) request.extraUrls++;
    else if (item[2] === ':') {
      const header = headerOf(`${item[1]}:${item[3]}`);
      if (header && header.value !== '') request.headers.push(header);
    } else if (item[2] === '==') request.query.push(`${encodeURIComponent(item[1] as string)}=${encodeURIComponent(item[3] as string)}`);
    else body = true;
  }
  if (authType === 'bearer' && request.user) {
    request.bearer = request.user.value;
    request.user = null;
  } else if (authType !== 'basic' && authType !== '') {
    request.problems.push(`${/^[a-z0-9-]{1,20}$/.test(authType) ? `--auth-type ${authType}` : 'This --auth-type'} is not a method Keybridge supports (it sends a Bearer token, Basic, or a key in a header).`);
    request.user = null;
  }
  if (body) request.warnings.push('A request body is ignored: Keybridge tests with GET.');
  if (unknown.length) request.warnings.push(`Options Keybridge does not use were ignored: ${listed(unknown)}.`);
  if (request.extraUrls) request.warnings.push('The command has more than one URL: only the first is used.');
  return request;
}

/**
 * A URL (or "GET URL", or a raw "GET /path HTTP/1.1" with its Host line) followed by header lines,
 * and maybe a blank line and a body; or header lines alone. Null when the text is not that.
 */
function linesRequest(body: string): Request | null {
  const lines = body.split(/\r?\n/).map((line) => line.trim());
  const request = newRequest();
  const first = lines[0] as string;
  const requestLine = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(\/\S*|\S+)(?:\s+HTTP\/\d(?:\.\d)?)?$/i.exec(first);
  let start = 1;
  if (requestLine && (requestLine[2]?.startsWith('/') || looksLikeUrl(requestLine[2] as string))) {
    const method = (requestLine[1] as string).toUpperCase();
    if (method !== 'GET') request.warnings.push(`${method} ignored: Keybridge tests with GET.`);
    request.url = requestLine[2] as string;
  } else if (!/\s/.test(first) && looksLikeUrl(first) && lines.length > 1) {
    request.url = first;
  } else {
    // Header lines alone: only when the first one carries a credential (never a host:port).
    const header = headerOf(first);
    if (!header || !(header.name.toLowerCase() === 'authorization' || isKeyHeader(header.name))) return null;
    request.urlOptional = true;
    start = 0;
  }
  let i = start;
  for (; i < lines.length && lines[i] !== ''; i++) {
    const header = headerOf(lines[i] as string);
    if (!header) return null;
    if (header.value !== '') request.headers.push(header);
  }
  if (lines.slice(i).some((line) => line !== '')) request.warnings.push('A request body is ignored: Keybridge tests with GET.');
  // A raw request names its host in a Host line.
  if (request.url?.startsWith('/')) {
    const host = request.headers.find((h) => h.name.toLowerCase() === 'host')?.value;
    request.url = host && /^[A-Za-z0-9.[\]:-]+$/.test(host) ? `https://${host}${request.url}` : null;
  }
  request.headers = request.headers.filter((h) => h.name.toLowerCase() !== 'host' || request.url === null);
  return request;
}

// ---------------------------------------------------------------------------------------------
// The URL: address, endpoint, credentials in it

function looksLikeUrl(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /^(?:[^\s/@]+@)?(?:localhost|\[[0-9a-f:.]+\]|[a-z0-9-]+(?:\.[a-z0-9-]+)+)(?::\d+)?(?:[/?#]|$)/i.test(text);
}

/** Query parameters that hold a key. */
const KEY_PARAMS = new Set(['apikey', 'xapikey', 'key', 'token', 'accesstoken', 'authtoken', 'apitoken', 'privatetoken', 'secret', 'apisecret', 'clientsecret', 'secretkey', 'password', 'passwd', 'pwd']);
const normalized = (name: string): string => name.toLowerCase().replace(/[-_]/g, '');

const decoded = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

type Target =
  | {
      ok: true;
      address: string;
      endpoint: string | null;
      http: boolean;
      hostname: string;
      userinfo: { user: string; password: string | null } | null;
      queryKeys: Array<{ name: string; value: string }>;
    }
  | { ok: false; problem: string };

function resolveUrl(text: string, extraQuery: string[]): Target {
  const fail = (problem: string): Target => ({ ok: false, problem });
  // Messages here never quote the URL: it may hold a password or a key.
  if (/\{\{[^}]*\}\}/.test(text)) return fail('The URL contains a Postman or Bruno variable ({{…}}): copy the command with its variables filled in.');
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(text)) return fail('The URL contains spaces or control characters.');
  if (text.includes('\\')) return fail('The URL contains a backslash (\\): a URL reads it as "/", so it would reach another host than it shows.');
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'https' && scheme !== 'http') return fail(`"${scheme.slice(0, 20)}://" is not a web address: key manager APIs are reached over https://.`);
  const full = scheme === undefined ? `https://${text}` : text;
  const authority = full.slice(full.indexOf('//') + 2).split(/[/?#]/, 1)[0] ?? '';
  const hostPart = authority.slice(authority.lastIndexOf('@') + 1);
  if (hostPart.includes('%')) return fail('The host name contains "%": a URL decodes it, so it would reach another host than it shows.');
  let url: URL;
  try {
    url = new URL(full);
  } catch {
    return fail('The URL in the paste is not a valid address.');
  }
  if (url.hostname === '') return fail('The URL in the paste has no host name.');
  const http = url.protocol === 'http:';
  // The port as typed, even the scheme's own: a product's default port (7272) must not replace it.
  const port = /:\d+$/.test(hostPart) ? `:${url.port || (http ? '80' : '443')}` : '';
  const origin = `${url.protocol}//${url.hostname}${port}`;
  const userinfo = url.username || url.password ? { user: decoded(url.username), password: authority.slice(0, authority.lastIndexOf('@')).includes(':') ? decoded(url.password) : null } : null;

  const kept: string[] = [];
  const queryKeys: Array<{ name: string; value: string }> = [];
  // A key in the fragment (#access_token=…, as OAuth redirects write it) must not stay in the address either.
  const fragment = url.hash.slice(1).split('&').filter((pair) => KEY_PARAMS.has(normalized(decoded(pair.split('=', 1)[0] as string))));
  for (const pair of [...url.search.slice(1).split('&'), ...extraQuery, ...fragment]) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decoded(eq < 0 ? pair : pair.slice(0, eq));
    if (KEY_PARAMS.has(normalized(name))) queryKeys.push({ name: /^[A-Za-z0-9_.-]{1,40}$/.test(name) ? name : 'key', value: eq < 0 ? '' : decoded(pair.slice(eq + 1)) });
    else kept.push(pair);
  }
  const query = kept.length ? `?${kept.join('&')}` : '';
  // STA's endpoints are relative to the tenant's base (/api/v1/tenants/<code>/): keep it in the address.
  const sta = /^(\/api\/v1\/tenants\/[A-Za-z0-9]{4,32}\/)(.*)$/.exec(url.pathname);
  if (sta && url.hostname.endsWith('.safenetid.com')) {
    const rest = `${sta[2] as string}${query}`;
    return { ok: true, address: `${origin}${sta[1] as string}`, endpoint: rest === '' ? null : rest, http, hostname: url.hostname, userinfo, queryKeys };
  }
  const endpoint = url.pathname === '/' && query === '' ? null : `${url.pathname}${query}`;
  return { ok: true, address: origin, endpoint, http, hostname: url.hostname, userinfo, queryKeys };
}

// ---------------------------------------------------------------------------------------------
// Judging: one credential, its method, and a last check that no secret is left where it shows

interface Credential {
  /** Where it was found, fit to show: "the Authorization header", "-u". */
  from: string;
  auth: PastedAuth | null;
  secret: string | null;
}

const PRESET_HEADERS = new Map<string, PresetId>(PRESET_IDS.flatMap((id) => (PRESETS[id].headerName ? [[PRESETS[id].headerName.toLowerCase(), id] as const] : [])));

/** Header names that carry an API key: the products' own, and the usual spellings. */
function isKeyHeader(name: string): boolean {
  if (PRESET_HEADERS.has(name.toLowerCase())) return true;
  const n = normalized(name);
  if (n.includes('csrf') || n.includes('xsrf')) return false;
  return n === 'token' || ['apikey', 'apitoken', 'authtoken', 'accesstoken', 'privatetoken', 'secretkey', 'subscriptionkey'].some((end) => n.endsWith(end)) || (n.startsWith('x') && n.endsWith('token'));
}

/** Sent by tools and browsers, meaningless for the test: dropped without a word. */
const QUIET_HEADERS = new Set(['accept', 'accept-encoding', 'accept-language', 'content-type', 'content-length', 'user-agent', 'connection', 'cache-control', 'pragma', 'origin', 'referer', 'dnt', 'priority', 'upgrade-insecure-requests', 'if-none-match', 'if-modified-since', 'postman-token', 'x-requested-with', 'expect', 'te']);

const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

function basicCredential(raw: string, from: string, problems: string[], warnings: string[]): Credential | null {
  const colon = raw.indexOf(':');
  const user = colon < 0 ? raw : raw.slice(0, colon);
  if (user === '') {
    problems.push(capitalized(`${from} has no user name.`));
    return null;
  }
  if (colon < 0) {
    warnings.push(`The password is not in ${from}: enter it in the token field.`);
    return { from, auth: { method: 'basic', username: user }, secret: null };
  }
  const password = raw.slice(colon + 1);
  if (password === '') {
    problems.push(capitalized(`${from} has an empty password: Keybridge's Basic authentication needs one (an API that takes its key as the user name cannot be tested this way).`));
    return null;
  }
  return { from, auth: { method: 'basic', username: user }, secret: password };
}

/** Decodes standard base64 to UTF-8 text, or null. Its length is bounded by the paste's. */
function fromBase64(text: string): string | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1 || text.length === 0) return null;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const c of text.replace(/=+$/, '')) {
    buffer = ((buffer << 6) | alphabet.indexOf(c)) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
  } catch {
    return null;
  }
}

function authorizationCredential(value: string, problems: string[], warnings: string[], hidden: string[]): Credential | null {
  const from = 'the Authorization header';
  const [scheme = '', ...restWords] = value.split(/\s+/);
  const rest = restWords.join(' ');
  // What follows the scheme is the credential (a lone word is one itself), never to be shown.
  const lone = rest === '' && !/^(?:bearer|basic)$/i.test(scheme);
  hidden.push(lone ? scheme : rest);
  if (lone) {
    // One word and no scheme: the API reads the key from Authorization as it is.
    return { from, auth: { method: 'header', headerName: 'Authorization' }, secret: scheme };
  }
  if (/^bearer$/i.test(scheme)) {
    if (rest === '') problems.push('The Authorization header has no token after "Bearer".');
    return rest === '' ? null : { from, auth: { method: 'bearer' }, secret: rest };
  }
  if (/^basic$/i.test(scheme)) {
    const text = fromBase64(rest);
    if (text === null) {
      problems.push('The Authorization: Basic value is not valid base64, so no user name and password can be read from it.');
      return null;
    }
    const colon = text.indexOf(':');
    hidden.push(text.slice(colon + 1));
    if (colon < 0) {
      problems.push('The Authorization: Basic value does not hold "user:password".');
      return null;
    }
    return basicCredential(text, from, problems, warnings);
  }
  const shown = /^[A-Za-z][A-Za-z0-9._~+-]{0,31}$/.test(scheme) ? `"Authorization: ${scheme}"` : 'This Authorization scheme';
  problems.push(`${shown} is not a method Keybridge supports: it sends a Bearer token, Basic (user and password) or a key in a header of its own.`);
  return null;
}

/** Placeholders left in copied commands and documentation: {{token}}, $TOKEN, ${TOKEN}, %TOKEN%, $env:TOKEN, <your key>. */
const PLACEHOLDER = /^(?:\{\{.*\}\}|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\$env:[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*%|<[^<>]*>|\[[^[\]]*\])$/i;

function finish(request: Request): PastedConnection {
  const warnings = [...request.warnings];
  const problems = [...request.problems];
  const hidden: string[] = [];
  const credentials: Credential[] = [];
  let product: PresetId | null = null;
  let serverAddress: string | null = null;
  let endpoint: string | null = null;

  const target = request.url === null ? null : resolveUrl(request.url, request.query);
  if (target === null && !request.urlOptional) problems.push('The paste has no URL to test.');
  if (target && !target.ok) problems.push(target.problem);
  if (target?.ok) {
    serverAddress = target.address;
    endpoint = target.endpoint;
    if (endpoint !== null && endpoint.length > 1000) problems.push("The URL's path and query are longer than 1000 characters.");
    if (target.http) warnings.push('The URL is http://: Keybridge tests over HTTPS and does not send a key over plain http. Change the address to https:// if the server offers it.');
    if (target.hostname.endsWith('.safenetid.com')) product = 'thales-sta';
    if (target.userinfo) {
      hidden.push(target.userinfo.password ?? '');
      const raw = target.userinfo.password === null ? target.userinfo.user : `${target.userinfo.user}:${target.userinfo.password}`;
      const credential = basicCredential(raw, 'the URL', problems, warnings);
      if (credential) credentials.push(credential);
    }
    for (const key of target.queryKeys) hidden.push(key.value);
  }

  const ignored: string[] = [];
  let passportal = false;
  for (const { name, value } of request.headers) {
    const lower = name.toLowerCase();
    if (lower === 'authorization') {
      const credential = authorizationCredential(value, problems, warnings, hidden);
      if (credential) credentials.push(credential);
    } else if (lower === 'x-key' || lower === 'x-hash') {
      passportal = true;
      hidden.push(value);
    } else if (isKeyHeader(name) && checkHeaderName(name) === null) {
      hidden.push(value);
      credentials.push({ from: `the ${name} header`, auth: { method: 'header', headerName: name }, secret: value });
      product = PRESET_HEADERS.get(lower) ?? product;
    } else if (lower === 'proxy-authorization') {
      hidden.push(value);
      warnings.push('The Proxy-Authorization header is ignored: set the proxy under Proxy.');
    } else if (lower === 'cookie') {
      hidden.push(value);
      warnings.push('The Cookie header is ignored: Keybridge sends only the key.');
    } else if (!QUIET_HEADERS.has(lower) && !lower.startsWith('sec-')) ignored.push(name);
  }
  if (ignored.length) warnings.push(`Headers ignored: ${listed(ignored)} (Keybridge sends only the header that carries the key).`);
  if (passportal) {
    product = 'passportal';
    problems.push('This is a signed Passportal request: its x-hash is a signature made with the Secret access key, not the key itself. Choose N-able Passportal and enter the Access key ID and the Secret access key.');
  }
  if (request.user) {
    const colon = request.user.value.indexOf(':');
    if (colon >= 0) hidden.push(request.user.value.slice(colon + 1));
    const credential = basicCredential(request.user.value, request.user.from, problems, warnings);
    if (credential) credentials.push(credential);
  }
  if (request.bearer !== null) {
    hidden.push(request.bearer);
    credentials.push({ from: '--oauth2-bearer', auth: { method: 'bearer' }, secret: request.bearer });
  }

  // A key in the query is taken out of the URL whatever happens; used only when it is the one credential.
  const queryKeys = target?.ok ? target.queryKeys : [];
  if (credentials.length === 0 && queryKeys.length === 1 && queryKeys[0]) {
    const key = queryKeys[0];
    warnings.push(`The URL carried a key in its ${key.name} parameter. Proxies and server logs record URLs, so Keybridge sends a key only in a header: it was taken out of the URL; choose the header that carries it.`);
    credentials.push({ from: `the URL's ${key.name} parameter`, auth: null, secret: key.value === '' ? null : key.value });
  } else {
    for (const key of queryKeys) warnings.push(`The URL's ${key.name} parameter was removed: it held a key, and proxies and server logs record URLs.`);
    if (credentials.length === 0 && queryKeys.length > 1) problems.push(`The URL holds several keys (${listed(queryKeys.map((k) => k.name))}): Keybridge sends one, in a header. Keep the one the API reads and paste again.`);
  }

  let chosen: Credential | null = null;
  if (credentials.length > 1) problems.push(`The paste carries more than one credential (${listed(credentials.map((c) => c.from))}): Keybridge sends one. Remove the others and paste again.`);
  else chosen = credentials[0] ?? null;
  const secret = chosen?.secret ?? null;
  if (secret !== null) {
    if (PLACEHOLDER.test(secret)) problems.push(`The key in ${chosen?.from} is a variable or a placeholder, not the key itself: copy the command with the key in it, or import the key file.`);
    // eslint-disable-next-line no-control-regex
    else if (/[\u0000-\u001f\u007f]/.test(secret)) problems.push(`The key in ${chosen?.from} contains a line break or a control character.`);
  }

  const result: PastedConnection = {
    serverAddress,
    endpoint,
    auth: chosen?.auth ?? null,
    secret,
    verifyCertificate: request.insecure ? false : null,
    product,
    warnings: [...new Set(warnings)],
    problems,
  };
  return guarded(result, [...hidden, ...(secret === null ? [] : [secret])]);
}

/**
 * The last word on leaks: a secret found anywhere it would show (the URL's path, a header name,
 * a message) empties that field, and a paste with problems hands back no secret at all.
 */
function guarded(result: PastedConnection, secrets: string[]): PastedConnection {
  const found = secrets.filter((s) => s.length >= GUARD_MIN);
  const holds = (text: string | null): boolean => text !== null && found.some((s) => text.includes(s));
  const identity = result.auth?.method === 'header' ? result.auth.headerName : result.auth?.method === 'basic' ? result.auth.username : null;
  const scrub = (text: string): string => found.reduce((t, s) => t.split(s).join('…'), text);
  const out: PastedConnection = { ...result, warnings: result.warnings.map(scrub), problems: result.problems.map(scrub) };
  if (holds(out.serverAddress) || holds(out.endpoint) || holds(identity)) {
    out.serverAddress = holds(out.serverAddress) ? null : out.serverAddress;
    out.endpoint = holds(out.endpoint) ? null : out.endpoint;
    if (holds(identity)) out.auth = null;
    out.problems.push('The key also appears in the URL or in a header name: paste a command that carries it only once, in its header.');
  }
  if (out.problems.length) out.secret = null;
  return out;
}

// Reads the files key managers hand out, and says plainly what is wrong with one that is not
// a key file. No message ever repeats the file's content.
import { checkApiToken } from './token-rules';
import { INVISIBLE } from '../printable';
import { LIMITS } from '../../../shared/limits';

export const MAX_TOKEN_FILE_BYTES = LIMITS.keyFile;

export type ParsedKeyFile =
  | {
      ok: true;
      kind: 'token';
      secret: string;
      /** From a Thales STA file name: APIKey-<API key name>-<created date>.key (seed 002). */
      keyName?: string;
      createdOn?: string;
    }
  | { ok: true; kind: 'access-key-pair'; accessKeyId: string; secret: string }
  | { ok: false; message: string };

const fail = (message: string): ParsedKeyFile => ({ ok: false, message });

/** The contract's bound on a key name (shared/contract.ts, keyName: at most 200 characters). */
const KEY_NAME_MAX = 200;
// What the contract refuses in a name (C0, DEL, C1), and line separators and lone surrogates: a name
// with any of them is not the console's name, so none is taken (the admin can type it).
// eslint-disable-next-line no-control-regex
const UNFIT = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|\p{Cs}/u;

/**
 * The API key name from a file name, under the contract's rules for a name typed in the window:
 * invisible characters taken out, trimmed, at most 200 characters (cut between characters), and
 * none when control characters remain.
 */
function keyNameOf(raw: string): string | undefined {
  // Invisible characters (printable.ts) are taken out: a name with them reads otherwise than it is.
  const visible = raw.replace(INVISIBLE, '').trim();
  if (visible === '' || UNFIT.test(visible)) return undefined;
  if (visible.length <= KEY_NAME_MAX) return visible;
  let cut = '';
  for (const char of visible) {
    if (cut.length + char.length > KEY_NAME_MAX) break;
    cut += char;
  }
  return cut.trim() || undefined;
}

/** YYYY-MM-DD when it is a day of the calendar (not 2026-02-30, not month 13), else undefined. */
function isoDayOf(digits: string): string | undefined {
  const day = `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
  const time = Date.parse(`${day}T00:00:00Z`);
  // Date.parse rolls 2026-02-30 over to March 2: the day must come back as written.
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === day ? day : undefined;
}

/**
 * APIKey-<API key name>-<created date>.key; the date as the console writes it (YYYY-MM-DD or
 * YYYYMMDD...). Each value is taken only when it passes the rules the same field passes when typed
 * (and when an export is imported): null when neither does.
 */
export function parseStaFileName(fileName: string): { keyName?: string; createdOn?: string } | null {
  const match = /^APIKey-(.+)-(\d{4}-?\d{2}-?\d{2})(?:[T_ ]?[\d:-]*)?\.key$/is.exec(fileName);
  if (!match) return null;
  const keyName = keyNameOf(match[1] as string);
  const createdOn = isoDayOf((match[2] as string).replace(/-/g, ''));
  if (keyName === undefined && createdOn === undefined) return null;
  return { ...(keyName === undefined ? {} : { keyName }), ...(createdOn === undefined ? {} : { createdOn }) };
}

/**
 * Passportal shows an access key ID and a secret access key once; admins keep them as
 * "Access key ID: …" / "Secret access key: …" lines, or as a two-column CSV with that header.
 */
function parseAccessKeyPair(text: string): ParsedKeyFile | null {
  const labelled = {
    id: /^\s*access[ _-]?key[ _-]?id\s*[:=]\s*(\S+)\s*$/im.exec(text)?.[1],
    secret: /^\s*secret[ _-]?access[ _-]?key\s*[:=]\s*(\S+)\s*$/im.exec(text)?.[1],
  };
  if (labelled.id && labelled.secret) return { ok: true, kind: 'access-key-pair', accessKeyId: labelled.id, secret: labelled.secret };
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 2 && /^\s*"?access key id"?\s*,\s*"?secret access key"?\s*$/i.test(lines[0] as string)) {
    const [id, secret, ...rest] = (lines[1] as string).split(',').map((v) => v.trim().replace(/^"|"$/g, ''));
    if (id && secret && rest.length === 0) return { ok: true, kind: 'access-key-pair', accessKeyId: id, secret };
  }
  if (labelled.id || labelled.secret || /access key id/i.test(text)) {
    return fail('This looks like a Passportal access key file, but it needs both the "Access key ID" and the "Secret access key".');
  }
  return null;
}

export function parseKeyFile(fileName: string, bytes: Uint8Array): ParsedKeyFile {
  if (bytes.length === 0) return fail('The file is empty.');
  if (bytes.length > MAX_TOKEN_FILE_BYTES) return fail('The file is larger than 64 KiB, so it is not a key file.');
  if (bytes.includes(0)) return fail('The file holds binary data, not a key in plain text.');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('The file is not UTF-8 text, so it is not a key file.');
  }
  text = text.replace(/^\uFEFF/, '');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000e-\u001f\u007f]/.test(text)) return fail('The file holds control characters: it is not a key in plain text.');

  const pair = parseAccessKeyPair(text);
  if (pair) return pair;

  const trimmed = text.trim();
  if (trimmed === '') return fail('The file is empty.');
  if (/^<!doctype html|^<html|<body[\s>]/i.test(trimmed)) {
    return fail('The file is an HTML page (perhaps an error or login page saved instead of the key), not a key.');
  }
  if (/^-----BEGIN [A-Z ]+-----/.test(trimmed)) return fail('The file is a PEM certificate or key, not an API token.');
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return fail('The file holds JSON, not a plain API token.');
  const lines = trimmed.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length > 1) {
    return fail(`The file holds ${lines.length} lines; a token file holds exactly one token. Import each token from a file of its own.`);
  }
  const checked = checkApiToken(trimmed);
  if (!checked.ok) return fail(checked.message.replace('The API token', 'The token in this file'));
  const sta = parseStaFileName(fileName);
  return sta ? { ok: true, kind: 'token', secret: checked.token, ...sta } : { ok: true, kind: 'token', secret: checked.token };
}

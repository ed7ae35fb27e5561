// Pulls a short, human message out of an error answer ("Key verification failed"), cleaned so
// that a hostile or careless server cannot inject control characters, walls of HTML, or the
// token it was sent back into the report.
import { stringCleaner } from './redact';

const MAX_MESSAGE = 200;
const MESSAGE_KEYS = ['message', 'error_description', 'error', 'detail', 'title', 'reason', 'msg'];

/**
 * The server's message as it said it, bounded at what the engine reads (16 KiB): the message field
 * of a JSON answer, or a plain-text body. Control characters other than line breaks are removed;
 * the report's redaction runs over it like every other string.
 */
export function fullServerMessage(body: string, contentType: string | undefined): string | undefined {
  const text = body.trim();
  if (text === '') return undefined;
  const candidate = /json/i.test(contentType ?? '') || text.startsWith('{') ? fromJson(text) : /^text\/plain/i.test(contentType ?? '') ? text : undefined;
  // eslint-disable-next-line no-control-regex
  return candidate?.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]+/g, ' ').trim() || undefined;
}

export function extractServerMessage(body: string, contentType: string | undefined, secrets: string[]): string | undefined {
  const text = body.trim();
  if (text === '') return undefined;
  let candidate: string | undefined;
  if (/json/i.test(contentType ?? '') || text.startsWith('{')) {
    candidate = fromJson(text);
  } else if (/^text\/plain/i.test(contentType ?? '') && text.length <= MAX_MESSAGE * 2) {
    candidate = text;
  }
  return candidate === undefined ? undefined : serverWords(candidate, secrets);
}

function fromJson(text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  // Look one level down too: {"error":{"message":"..."}} and {"operation":{"result":{"message":...}}}.
  const queue: unknown[] = [value];
  for (let depth = 0; depth < 3 && queue.length > 0; depth++) {
    const next: unknown[] = [];
    for (const item of queue) {
      if (!item || typeof item !== 'object') continue;
      for (const key of MESSAGE_KEYS) {
        const found = (item as Record<string, unknown>)[key];
        if (typeof found === 'string' && found.trim() !== '') return found;
      }
      next.push(...Object.values(item as Record<string, unknown>).filter((v) => v && typeof v === 'object'));
    }
    queue.splice(0, queue.length, ...next);
  }
  return undefined;
}

/**
 * A server's words (a message, a header's value, an error page's sentence) as one short line: the
 * test's secrets redacted, invisible characters out, line breaks and tabs as spaces, other control
 * characters made visible (stringCleaner), spaces collapsed, at most `max` characters. Secrets are
 * redacted before the text is cut short, so no part of one survives the cut.
 */
export function serverWords(text: string, secrets: readonly string[], max = MAX_MESSAGE): string {
  // eslint-disable-next-line no-control-regex
  const flat = stringCleaner(secrets)(text).replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

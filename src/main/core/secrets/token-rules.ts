// What an API token may look like. Messages describe the problem and never repeat the token.

/** A token goes into an HTTP header; anything longer than this is not a token. */
export const MAX_TOKEN_LENGTH = 8192;

export type TokenCheck = { ok: true; token: string } | { ok: false; message: string };

export function checkApiToken(raw: string): TokenCheck {
  const token = raw.replace(/^\uFEFF/, '').trim();
  if (token === '') return { ok: false, message: 'The API token is empty. Paste the text from the token file.' };
  if (token.startsWith('-----BEGIN')) {
    return { ok: false, message: 'This is a PEM certificate or key, not an API token.' };
  }
  if (token.startsWith('{') || token.startsWith('[')) {
    return { ok: false, message: 'This looks like JSON, not an API token. Paste only the token itself.' };
  }
  if (token.startsWith('<')) {
    return { ok: false, message: 'This looks like an HTML page (perhaps an error page), not an API token.' };
  }
  if (/\s/.test(token)) {
    return {
      ok: false,
      message: 'The API token contains spaces or line breaks. Paste only the token: one line without spaces.',
    };
  }
  if (!/^[\x21-\x7e]+$/.test(token)) {
    return { ok: false, message: 'The API token contains characters that cannot be sent in an HTTP header.' };
  }
  if (token.length > MAX_TOKEN_LENGTH) {
    return { ok: false, message: `The API token is longer than ${MAX_TOKEN_LENGTH} characters; this is not a token.` };
  }
  return { ok: true, token };
}

/**
 * A hint that lets an admin tell tokens apart without revealing them: the last 4 characters of a
 * long token, the last 2 of a medium one, none of a short one.
 */
export function maskToken(token: string): string {
  const shown = token.length >= 16 ? 4 : token.length >= 8 ? 2 : 0;
  return `••••${shown === 0 ? '' : token.slice(-shown)}`;
}

// TLS alerts by number (RFC 8446 §6, RFC 5246 §7.2), and how to find the number in an error from
// any TLS library: OpenSSL 3.0 (`ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE`), OpenSSL 3.2+
// (`ERR_SSL_SSL/TLS_ALERT_BAD_CERTIFICATE`), BoringSSL in Electron (`ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE`,
// `ERR_SSL_TLSV1_ALERT_CERTIFICATE_REQUIRED`). All of them end their messages with "SSL alert number N"
// when the peer sent the alert; the code's alert name is the fallback.

export const ALERT_NAMES: Record<number, string> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  21: 'decryption_failed',
  22: 'record_overflow',
  30: 'decompression_failure',
  40: 'handshake_failure',
  41: 'no_certificate',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  49: 'access_denied',
  50: 'decode_error',
  51: 'decrypt_error',
  60: 'export_restriction',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  90: 'user_canceled',
  100: 'no_renegotiation',
  109: 'missing_extension',
  110: 'unsupported_extension',
  111: 'certificate_unobtainable',
  112: 'unrecognized_name',
  113: 'bad_certificate_status_response',
  114: 'bad_certificate_hash_value',
  115: 'unknown_psk_identity',
  116: 'certificate_required',
  120: 'no_application_protocol',
};

const BY_NAME = new Map(Object.entries(ALERT_NAMES).map(([number, name]) => [name.replace(/_/g, ''), Number(number)]));
// Spellings that differ from the RFC's name.
BY_NAME.set('usercancelled', 90);
BY_NAME.set('nocertificatereserved', 41);

/** "bad_certificate (42)", for step details. */
export const alertText = (alert: number): string => `${ALERT_NAMES[alert] ?? 'alert'} (${alert})`;

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  reason?: unknown;
}

/**
 * The alert the peer sent, read from one error: the number in the message first, then the alert
 * named in the code or reason, whatever the library's prefix (SSLV3_, TLSV1_, TLSV13_, SSL/TLS_).
 * Null when the error is not a received alert.
 */
export function alertOf(error: ErrorLike | null | undefined): number | null {
  if (!error) return null;
  const message = typeof error.message === 'string' ? error.message : '';
  const numbered = /alert number (\d{1,3})\b/i.exec(message);
  if (numbered) return Number(numbered[1]);
  for (const text of [error.code, error.reason, message]) {
    if (typeof text !== 'string') continue;
    // "alert" is optional: older BoringSSL spells TLSV1_CERTIFICATE_REQUIRED, OpenSSL TLSV1_UNRECOGNIZED_NAME.
    const named = /(?:^|[^a-z])(?:sslv3|tlsv1(?:[._ ]?3)?|ssl\/tls)[ _](?:alert[ _])?([a-z_ ]+?)(?=$|[^a-z_ ])/i.exec(text);
    if (!named) continue;
    const number = BY_NAME.get(named[1]!.toLowerCase().replace(/[ _]/g, ''));
    if (number !== undefined) return number;
  }
  return null;
}

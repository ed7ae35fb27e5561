// The classifier reads the alert a server sent whatever the TLS library's spelling: OpenSSL 3.0
// (Node 20/22), OpenSSL 3.2+ (Node 24) and BoringSSL (Electron's Node). The spellings below are the
// ones these libraries produce (code and message as Node builds them from the library's reason).
import { describe, expect, it } from 'vitest';
import { classifyError } from '../../src/main/core/connection-test/classify-error';
import { alertOf } from '../../src/main/core/connection-test/tls-alerts';
import { judgeTlsFailure } from '../../src/main/core/connection-test/tls-failure';
import { observedHandshake, requestFrom } from '../support/observations';

const openssl30 = (reason: string, code: string, n: number) => ({
  code: `ERR_SSL_${code}`,
  message: `C0A7A3E1B27F0000:error:0A000412:SSL routines:ssl3_read_bytes:${reason}:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1605:SSL alert number ${n}\n`,
});
const openssl35 = (reason: string, code: string, n: number) => ({
  code: `ERR_SSL_${code}`,
  message: `40F7A3E1B27F0000:error:0A000412:SSL routines:ssl3_read_bytes:${reason}:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:918:SSL alert number ${n}\n`,
});
const boringssl = (reason: string, n: number) => ({
  code: `ERR_SSL_${reason}`,
  message: `error:10000412:SSL routines:OPENSSL_internal:${reason}:../../third_party/boringssl/src/ssl/tls_record.cc:592:SSL alert number ${n}`,
});

// [alert, OpenSSL 3.0, OpenSSL 3.2+, BoringSSL]
const SPELLINGS: Array<[number, ReturnType<typeof openssl30>, ReturnType<typeof openssl35>, ReturnType<typeof boringssl>]> = [
  [40, openssl30('sslv3 alert handshake failure', 'SSLV3_ALERT_HANDSHAKE_FAILURE', 40), openssl35('ssl/tls alert handshake failure', 'SSL/TLS_ALERT_HANDSHAKE_FAILURE', 40), boringssl('SSLV3_ALERT_HANDSHAKE_FAILURE', 40)],
  [42, openssl30('sslv3 alert bad certificate', 'SSLV3_ALERT_BAD_CERTIFICATE', 42), openssl35('ssl/tls alert bad certificate', 'SSL/TLS_ALERT_BAD_CERTIFICATE', 42), boringssl('SSLV3_ALERT_BAD_CERTIFICATE', 42)],
  [46, openssl30('sslv3 alert certificate unknown', 'SSLV3_ALERT_CERTIFICATE_UNKNOWN', 46), openssl35('ssl/tls alert certificate unknown', 'SSL/TLS_ALERT_CERTIFICATE_UNKNOWN', 46), boringssl('SSLV3_ALERT_CERTIFICATE_UNKNOWN', 46)],
  [48, openssl30('tlsv1 alert unknown ca', 'TLSV1_ALERT_UNKNOWN_CA', 48), openssl35('tlsv1 alert unknown ca', 'TLSV1_ALERT_UNKNOWN_CA', 48), boringssl('TLSV1_ALERT_UNKNOWN_CA', 48)],
  [70, openssl30('tlsv1 alert protocol version', 'TLSV1_ALERT_PROTOCOL_VERSION', 70), openssl35('tlsv1 alert protocol version', 'TLSV1_ALERT_PROTOCOL_VERSION', 70), boringssl('TLSV1_ALERT_PROTOCOL_VERSION', 70)],
  [116, openssl30('tlsv13 alert certificate required', 'TLSV13_ALERT_CERTIFICATE_REQUIRED', 116), openssl35('tlsv13 alert certificate required', 'TLSV13_ALERT_CERTIFICATE_REQUIRED', 116), boringssl('TLSV1_ALERT_CERTIFICATE_REQUIRED', 116)],
];

const observation = observedHandshake;
const asked = requestFrom('CN=Corp Client CA');

describe('alerts by number, in every library\'s spelling', () => {
  for (const [alert, ...spellings] of SPELLINGS) {
    for (const [library, error] of [['OpenSSL 3.0', spellings[0]], ['OpenSSL 3.2+', spellings[1]], ['BoringSSL', spellings[2]]] as const) {
      it(`${library}: alert ${alert} from the message, and from the code alone`, () => {
        expect(alertOf(error)).toBe(alert);
        expect(alertOf({ code: error.code })).toBe(alert);
        expect(classifyError({ name: 'RequestError', code: 'ERR_GOT_REQUEST_ERROR', cause: error }).alert).toBe(alert);
      });
    }
  }

  it('gives the same verdict for one alert in every spelling', () => {
    for (const [, ...spellings] of SPELLINGS) {
      const verdicts = new Set(spellings.map((e) => classifyError(e).verdict));
      expect(verdicts.size).toBe(1);
    }
    expect(classifyError(SPELLINGS[5]![2]).verdict).toBe('tls-client-cert-required');
    expect(classifyError(SPELLINGS[4]![1]).verdict).toBe('tls-protocol-version');
  });

  it('reads the spellings without "alert" (older BoringSSL, OpenSSL\'s unrecognized name)', () => {
    expect(alertOf({ code: 'ERR_SSL_TLSV1_CERTIFICATE_REQUIRED' })).toBe(116);
    expect(alertOf({ message: 'error:100000c0:SSL routines:OPENSSL_internal:TLSV1_CERTIFICATE_REQUIRED' })).toBe(116);
    expect(alertOf({ code: 'ERR_SSL_TLSV1_UNRECOGNIZED_NAME' })).toBe(112);
  });

  it('reads no alert where there is none', () => {
    expect(alertOf({ code: 'ECONNRESET', message: 'read ECONNRESET' })).toBeNull();
    expect(alertOf({ code: 'ERR_SSL_WRONG_VERSION_NUMBER', message: 'wrong version number' })).toBeNull();
    expect(alertOf({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })).toBeNull();
  });
});

describe('a refused client certificate, judged from what the server asked', () => {
  for (const [alert, , modern, boring] of SPELLINGS.filter(([n]) => n === 40 || n === 42 || n === 46)) {
    it(`alert ${alert} after a CertificateRequest, with no client certificate: tls-client-cert-required (OpenSSL 3.2+ and BoringSSL)`, () => {
      for (const error of [modern, boring]) {
        const judged = judgeTlsFailure(error, observation({ certificateRequest: asked }), { configured: false }, 'handshake');
        expect(judged.verdict).toBe('tls-client-cert-required');
        expect(judged.detail).toContain('CN=Corp Client CA');
        expect(judged.facts.acceptedIssuers).toEqual(['CN=Corp Client CA']);
      }
    });
  }

  it('handshake_failure without a CertificateRequest stays a handshake failure (no common cipher, say)', () => {
    expect(judgeTlsFailure(SPELLINGS[0]![2], observation({}), { configured: false }, 'handshake').verdict).toBe('tls-handshake-failure');
  });

  it('a silent close after the CertificateRequest (GnuTLS, Java HttpsServer) is a missing client certificate', () => {
    const reset = Object.assign(new Error('Client network socket disconnected before secure TLS connection was established'), { code: 'ECONNRESET' });
    expect(judgeTlsFailure(reset, observation({ certificateRequest: asked }), { configured: false }, 'handshake').verdict).toBe('tls-client-cert-required');
    expect(judgeTlsFailure(reset, observation({ certificateRequest: asked }), { configured: false }, 'after-handshake').verdict).toBe('tls-client-cert-required');
  });

  it('a silent close before the server said anything is reported as such', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const judged = judgeTlsFailure(reset, observation({ bytesFromServer: 0, serverHello: null, serverFlightDone: false }), { configured: false }, 'handshake');
    expect(judged.verdict).toBe('connection-reset');
    expect(judged.facts.silentAfterClientHello).toBe(true);
  });

  it('a certificate sent and refused names both issuers', () => {
    const judged = judgeTlsFailure(SPELLINGS[3]![1], observation({ certificateRequest: asked }), { configured: true, issuer: 'CN=Other CA', accepted: false }, 'handshake');
    expect(judged.verdict).toBe('tls-client-cert-rejected');
    expect(judged.detail).toMatch(/the one sent is issued by CN=Other CA, and the server sent unknown_ca \(48\); the server asked for a client certificate issued by CN=Corp Client CA/);
  });

  it('the alert seen on the wire wins over the error text', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const judged = judgeTlsFailure(reset, observation({ alert: { level: 2, description: 70 } }), { configured: false }, 'handshake');
    expect(judged.verdict).toBe('tls-protocol-version');
  });
});

// classifyError: the error Node (OpenSSL) or Electron (BoringSSL) throws, as the verdict the report
// gives, for each way of spelling it. No server: the errors are written as the runtimes build them.
// (Each TLS library's spelling of each TLS alert: tls-alerts.test.ts.)
import { describe, expect, it } from 'vitest';
import { classifyError } from '../../src/main/core/connection-test/classify-error';

describe('error classification (Node/OpenSSL and Electron/BoringSSL spellings)', () => {
  it.each([
    [{ code: 'ENOTFOUND' }, 'dns-not-found'],
    [{ code: 'EAI_AGAIN' }, 'dns-failure'],
    [{ code: 'EHOSTUNREACH' }, 'host-unreachable'],
    [{ code: 'ERR_SSL_WRONG_VERSION_NUMBER' }, 'tls-not-tls'],
    [{ message: 'error:100000f7:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER' }, 'tls-not-tls'],
    [{ message: 'error:1000042e:SSL routines:OPENSSL_internal:TLSV1_ALERT_PROTOCOL_VERSION' }, 'tls-protocol-version'],
    [{ message: 'error:10000410:SSL routines:OPENSSL_internal:SSLV3_ALERT_HANDSHAKE_FAILURE' }, 'tls-handshake-failure'],
    [{ code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' }, 'tls-client-cert-required'],
    [{ code: 'EE_KEY_TOO_SMALL' }, 'tls-weak-certificate'],
    [{ name: 'TimeoutError', event: 'response' }, 'timeout'],
    [{ code: 'ERR_GOT_REQUEST_ERROR', cause: { code: 'ECONNRESET' } }, 'connection-reset'],
  ])('%j -> %s', (error, verdict) => {
    expect(classifyError(error).verdict).toBe(verdict);
  });
});

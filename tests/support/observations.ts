// Handshake observations as tls-wire reports them, for tests of the judgement (tls-failure.ts)
// without a server: a TLS 1.2 server that answered and finished its flight, changed as the test says.
import type { HandshakeObservation } from '../../src/main/core/connection-test/tls-wire/observe';

export const observedHandshake = (over: Partial<HandshakeObservation> = {}): HandshakeObservation => ({
  bytesFromServer: 1200,
  serverHello: { version: 'TLSv1.2', cipherSuite: 0xc02b },
  certificateRequest: null,
  alert: null,
  encryptedHandshakeRead: null,
  serverFlightDone: true,
  ...over,
});

/** A CertificateRequest naming these authorities. */
export const requestFrom = (...names: string[]): NonNullable<HandshakeObservation['certificateRequest']> => ({
  authorities: names.map((text) => ({ der: Buffer.alloc(0), text })),
});

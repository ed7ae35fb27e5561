// The handshake tap (src/main/core/connection-test/tls-wire/): what the server asked for and the
// alert it sent, read from its bytes on the way to Node's TLS, against Node's own TLS server on
// 127.0.0.1 and raw TCP servers that send what no TLS server would.
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateNames, issuedByOneOf, issuerOf } from '../../src/main/core/connection-test/tls-wire/client-issuer';
import { pemCertificates } from '../../src/main/core/connection-test/tls-wire/der';
import { nameText } from '../../src/main/core/connection-test/tls-wire/distinguished-name';
import { HandshakeObserver, OBSERVE_LIMIT } from '../../src/main/core/connection-test/tls-wire/handshake-observer';
import { tapHandshake, type HandshakeObservation } from '../../src/main/core/connection-test/tls-wire/observe';
import { hkdfExpandLabel } from '../../src/main/core/connection-test/tls-wire/tls13-keys';
import { issueCertificate, type Issued } from '../../tools/certificates';

let clientCa: Issued;
let otherCa: Issued;
let server: Issued;
let client: Issued;
let stranger: Issued;
const closers: Array<() => void> = [];

beforeAll(async () => {
  [clientCa, otherCa, server] = await Promise.all([
    issueCertificate({ commonName: 'Corp Client CA', isCa: true }),
    issueCertificate({ commonName: 'Other CA', isCa: true }),
    issueCertificate({ commonName: 'localhost' }),
  ]);
  [client, stranger] = await Promise.all([
    issueCertificate({ commonName: 'portal', issuer: clientCa }),
    issueCertificate({ commonName: 'portal', issuer: otherCa }),
  ]);
});
afterAll(() => closers.forEach((close) => close()));

async function listen(listener: net.Server): Promise<number> {
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  const sockets = new Set<net.Socket>();
  listener.on('connection', (s: net.Socket) => sockets.add(s));
  closers.push(() => {
    sockets.forEach((s) => s.destroy());
    listener.close();
  });
  return (listener.address() as AddressInfo).port;
}

/** Node's TLS server answering "ok" to whoever completes the handshake. */
const tlsServer = (options: tls.TlsOptions): Promise<number> =>
  listen(
    tls.createServer({ key: server.keyPem, cert: server.certPem, ...options }, (s) => {
      s.on('error', () => {});
      s.end('ok');
    }).on('tlsClientError', () => {}),
  );

/** A TCP server that reads the ClientHello and then does `answer`. */
const rawServer = (answer: (socket: net.Socket) => void): Promise<number> =>
  listen(
    net.createServer((s) => {
      s.on('error', () => {});
      s.once('data', () => answer(s));
    }),
  );

interface Outcome {
  events: string[];
  error: (Error & { code?: string }) | null;
  observation: HandshakeObservation;
  data: string;
}

/** One connection as Keybridge makes it: its own TCP socket, the tap, tls.connect on the tap. */
async function connect(port: number, options: tls.ConnectionOptions = {}, via: (socket: net.Socket) => net.Socket = (s) => s): Promise<Outcome> {
  const socket = via(net.connect(port, '127.0.0.1'));
  await once(socket, 'connect');
  const tap = tapHandshake(socket);
  const tlsSocket = tls.connect({ socket: tap.stream, rejectUnauthorized: false, ...options });
  tap.attach(tlsSocket);
  const events: string[] = [];
  let data = '';
  tlsSocket.on('data', (chunk) => (data += chunk));
  const error = await new Promise<Outcome['error']>((resolve) => {
    tlsSocket.on('secureConnect', () => events.push('secureConnect'));
    tlsSocket.on('error', (e) => {
      events.push('error');
      resolve(e);
    });
    tlsSocket.on('close', () => resolve(null));
  });
  tlsSocket.destroy();
  return { events, error, observation: tap.observation(), data };
}

const texts = (o: HandshakeObservation): string[] | undefined => o.certificateRequest?.authorities.map((a) => a.text);
const caSubjectDer = (ca: Issued): Buffer => certificateNames(pemCertificates(ca.certPem)[0] as Buffer).subject.der;
const withCert = (cert: Issued): tls.ConnectionOptions => ({ cert: cert.certPem, key: cert.keyPem });
const requireClientCert = { requestCert: true, rejectUnauthorized: true } as const;

describe('TLS 1.3: the encrypted CertificateRequest and the alert after the handshake', () => {
  const suites = [
    ['TLS_AES_128_GCM_SHA256', 0x1301],
    ['TLS_AES_256_GCM_SHA384', 0x1302],
    ['TLS_CHACHA20_POLY1305_SHA256', 0x1303],
  ] as const;
  for (const [suite, code] of suites) {
    it(`${suite}: reads the authorities, and the refusal the server sends after the client's Finished`, async () => {
      // Node has no `ciphersuites` option: TLS 1.3 suites are named in `ciphers`.
      const port = await tlsServer({ ...requireClientCert, ca: [clientCa.certPem], ciphers: suite });
      const refused = await connect(port);
      // The client's handshake completed; the server's refusal came after, encrypted.
      expect(refused.events).toEqual(['secureConnect', 'error']);
      expect(refused.error?.code).toMatch(/CERTIFICATE_REQUIRED/);
      expect(refused.observation).toMatchObject({
        serverHello: { version: 'TLSv1.3', cipherSuite: code },
        encryptedHandshakeRead: true,
        serverFlightDone: true,
        alert: { level: 2, description: 116 }, // certificate_required
      });
      expect(texts(refused.observation)).toEqual(['CN=Corp Client CA']);
      expect(refused.observation.certificateRequest?.authorities[0]?.der.equals(caSubjectDer(clientCa))).toBe(true);

      const accepted = await connect(port, withCert(client));
      expect(accepted.error).toBeNull();
      expect(accepted.data).toBe('ok');
      expect(accepted.observation).toMatchObject({ alert: null, encryptedHandshakeRead: true, serverFlightDone: true });
      expect(texts(accepted.observation)).toEqual(['CN=Corp Client CA']);
    });
  }

  it('reads the same when the server bytes arrive a few at a time (records and messages split)', async () => {
    const port = await tlsServer({ ...requireClientCert, ca: [clientCa.certPem] });
    const relayPort = await listen(
      net.createServer((inbound) => {
        inbound.on('error', () => {});
        const outbound = net.connect(port, '127.0.0.1');
        outbound.on('error', () => inbound.destroy());
        inbound.on('data', (chunk) => outbound.write(chunk));
        inbound.on('close', () => outbound.destroy());
        // Server to client in 7-byte pieces, each in its own turn of the event loop.
        let sending = Promise.resolve();
        outbound.on('data', (chunk: Buffer) => {
          outbound.pause();
          for (let at = 0; at < chunk.length; at += 7) {
            const piece = chunk.subarray(at, at + 7);
            sending = sending.then(() => new Promise((done) => setImmediate(() => inbound.write(piece, () => done()))));
          }
          void sending.then(() => outbound.resume());
        });
        outbound.on('end', () => void sending.then(() => inbound.end()));
      }),
    );
    const refused = await connect(relayPort);
    expect(refused.events).toEqual(['secureConnect', 'error']);
    expect(refused.observation).toMatchObject({ encryptedHandshakeRead: true, serverFlightDone: true, alert: { level: 2, description: 116 } });
    expect(texts(refused.observation)).toEqual(['CN=Corp Client CA']);
  });

  it('follows a HelloRetryRequest to the real ServerHello', async () => {
    // The client's key shares are X25519 (and hybrids): a P-384-only server asks again.
    const port = await tlsServer({ ...requireClientCert, ca: [clientCa.certPem], ecdhCurve: 'secp384r1' });
    const refused = await connect(port);
    expect(refused.observation).toMatchObject({
      helloRetryRequest: true,
      serverHello: { version: 'TLSv1.3' },
      encryptedHandshakeRead: true,
      alert: { level: 2, description: 116 },
    });
  });

  it('Node\'s server refuses a certificate from another CA without an alert: it just closes', async () => {
    const port = await tlsServer({ ...requireClientCert, ca: [clientCa.certPem] });
    const refused = await connect(port, withCert(stranger));
    expect(refused.events[0]).toBe('secureConnect');
    expect(refused.data).toBe('');
    expect(refused.observation).toMatchObject({ alert: null, serverFlightDone: true });
    expect(texts(refused.observation)).toEqual(['CN=Corp Client CA']);
  });

  it('decrypts records whose secret is logged before or after the bytes, in any split', async () => {
    // A real exchange recorded (server bytes and keylog lines), replayed into the observer.
    const port = await tlsServer({ ...requireClientCert, ca: [clientCa.certPem] });
    const socket = net.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const chunks: Buffer[] = [];
    const lines: Buffer[] = [];
    // Through a tap, so the bytes pass through JavaScript where they can be recorded.
    const tap = tapHandshake(socket);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const tlsSocket = tls.connect({ socket: tap.stream, rejectUnauthorized: false });
    tlsSocket.on('keylog', (line) => lines.push(line));
    await once(tlsSocket, 'error').catch(() => {});
    const bytes = Buffer.concat(chunks);
    const replays: Array<(o: HandshakeObserver) => void> = [
      (o) => {
        o.feed(bytes);
        lines.forEach((l) => o.keylog(l));
      },
      (o) => {
        lines.forEach((l) => o.keylog(l));
        o.feed(bytes);
      },
      (o) => {
        for (let at = 0; at < bytes.length; at++) {
          o.feed(bytes.subarray(at, at + 1));
          if (at === 600) o.keylog(lines[0] as Buffer);
        }
        lines.forEach((l) => o.keylog(l));
      },
    ];
    for (const replay of replays) {
      const observer = new HandshakeObserver();
      replay(observer);
      expect(observer.snapshot()).toMatchObject({ encryptedHandshakeRead: true, serverFlightDone: true, alert: { description: 116 } });
    }
    // Without the keylog lines the encrypted part stays unread, and says so.
    const blind = new HandshakeObserver();
    blind.feed(bytes);
    expect(blind.snapshot()).toMatchObject({ serverHello: { version: 'TLSv1.3' }, encryptedHandshakeRead: false, certificateRequest: null, alert: null, serverFlightDone: false });
  });
});

describe('TLS 1.2: the plaintext CertificateRequest', () => {
  it('reads the authorities, and the handshake_failure alert for a missing certificate', async () => {
    const port = await tlsServer({ ...requireClientCert, ca: [clientCa.certPem, otherCa.certPem], maxVersion: 'TLSv1.2' });
    const refused = await connect(port);
    expect(refused.events).toEqual(['error']);
    expect(refused.observation).toMatchObject({
      serverHello: { version: 'TLSv1.2' },
      encryptedHandshakeRead: null,
      serverFlightDone: true,
      alert: { level: 2, description: 40 }, // handshake_failure, OpenSSL's answer to an empty Certificate
    });
    expect(texts(refused.observation)).toEqual(['CN=Corp Client CA', 'CN=Other CA']);

    const accepted = await connect(port, withCert(client));
    expect(accepted.data).toBe('ok');
    expect(accepted.observation.alert).toBeNull();
  });
});

describe('no client certificate asked for', () => {
  for (const maxVersion of ['TLSv1.3', 'TLSv1.2'] as const) {
    it(`${maxVersion}: certificateRequest null, the server's flight complete`, async () => {
      const port = await tlsServer({ maxVersion });
      const outcome = await connect(port);
      expect(outcome.data).toBe('ok');
      expect(outcome.observation).toMatchObject({ serverHello: { version: maxVersion }, certificateRequest: null, serverFlightDone: true, alert: null });
    });
  }
});

describe('the tap passes everything through, failures included', () => {
  it('a server that resets right after the ClientHello: nothing from the server, ECONNRESET on the TLSSocket', async () => {
    const port = await rawServer((s) => s.resetAndDestroy());
    const outcome = await connect(port);
    expect(outcome.error?.code).toBe('ECONNRESET');
    expect(outcome.observation).toMatchObject({ bytesFromServer: 0, serverHello: null, alert: null });
  });

  it('a server that closes cleanly right after the ClientHello: the usual "disconnected before secure TLS connection"', async () => {
    const port = await rawServer((s) => s.end());
    const outcome = await connect(port);
    expect(outcome.error?.code).toBe('ECONNRESET');
    expect(outcome.error?.message).toMatch(/disconnected before secure TLS connection/);
    expect(outcome.observation.bytesFromServer).toBe(0);
  });

  it('a socket already destroyed when tapped: the TLSSocket closes instead of waiting', async () => {
    const port = await tlsServer({});
    const socket = net.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.destroy();
    const tap = tapHandshake(socket);
    const tlsSocket = tls.connect({ socket: tap.stream, rejectUnauthorized: false });
    tlsSocket.on('error', () => {});
    await once(tlsSocket, 'close');
    expect(tap.observation().bytesFromServer).toBe(0);
  });

  it('carries 4 MiB each way unchanged after the handshake', async () => {
    const port = await listen(
      tls.createServer({ key: server.keyPem, cert: server.certPem }, (s) => {
        s.on('error', () => {});
        s.pipe(s);
      }),
    );
    const socket = net.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const tap = tapHandshake(socket);
    const tlsSocket = tls.connect({ socket: tap.stream, rejectUnauthorized: false });
    tap.attach(tlsSocket);
    await once(tlsSocket, 'secureConnect');
    const payload = randomBytes(4 * 1024 * 1024);
    const hash = createHash('sha256');
    let received = 0;
    const echoed = new Promise<void>((resolve) =>
      tlsSocket.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        received += chunk.length;
        if (received >= payload.length) resolve();
      }),
    );
    tlsSocket.end(payload);
    await echoed;
    expect(hash.digest('hex')).toBe(createHash('sha256').update(payload).digest('hex'));
    // It stopped looking at the first application data (or at 64 KiB): the rest only passed.
    expect(tap.observation().bytesFromServer).toBeLessThanOrEqual(OBSERVE_LIMIT);
    tlsSocket.destroy();
  });
});

describe('client certificates and the authorities a server names', () => {
  it('matches a certificate from a named CA by the issuer Name DER; names the issuer of one that is not', async () => {
    const port = await tlsServer({ ...requireClientCert, ca: [clientCa.certPem] });
    const { authorities } = (await connect(port)).observation.certificateRequest ?? { authorities: [] };
    expect(issuedByOneOf(client.certPem, authorities)).toEqual({ matches: true, issuer: 'CN=Corp Client CA' });
    expect(issuedByOneOf(stranger.certPem, authorities)).toEqual({ matches: false, issuer: 'CN=Other CA' });
    expect(issuerOf(stranger.certPem)?.text).toBe('CN=Other CA');
    expect(issuerOf(client.certPem)?.der.equals(authorities[0]?.der as Buffer)).toBe(true);
  });

  it('follows the chain: an intermediate named by the server, or the root above it', async () => {
    const root = await issueCertificate({ commonName: 'Root', isCa: true });
    const intermediate = await issueCertificate({ commonName: 'Issuing CA', isCa: true, issuer: root });
    const leaf = await issueCertificate({ commonName: 'portal', issuer: intermediate });
    const chain = leaf.certPem + intermediate.certPem;
    const named = (ca: Issued) => [{ der: caSubjectDer(ca), text: '' }];
    expect(issuedByOneOf(chain, named(root))).toEqual({ matches: true, issuer: 'CN=Issuing CA' });
    expect(issuedByOneOf(leaf.certPem, named(root)).matches).toBe(false);
    expect(issuedByOneOf(chain, named(intermediate)).matches).toBe(true);
    expect(issuedByOneOf(chain, named(otherCa)).matches).toBe(false);
    expect(issuedByOneOf('not a certificate', named(root))).toEqual({ matches: false, issuer: '' });
  });

  it('writes names RFC 4514 style, most specific first, escaped, bounded and without invisible characters', () => {
    const attr = (oid: number[], tag: number, value: string) => {
      const v = tag === 0x1e ? Buffer.from(value, 'utf16le').swap16() : Buffer.from(value, 'utf8');
      return der(0x31, der(0x30, der(0x06, Buffer.from(oid)), der(tag, v)));
    };
    const CN = [0x55, 0x04, 0x03];
    const O = [0x55, 0x04, 0x0a];
    const C = [0x55, 0x04, 0x06];
    const name = der(0x30, attr(C, 0x13, 'DE'), attr(O, 0x1e, 'Müller, Söhne'), attr(CN, 0x0c, ' Corp\u202e CA#1'));
    expect(nameText(name)).toBe('CN=\\ Corp CA#1, O=Müller\\, Söhne, C=DE');
    const unknown = der(0x30, der(0x31, der(0x30, der(0x06, Buffer.from([0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x01])), der(0x04, Buffer.from('x')))));
    expect(nameText(unknown)).toBe('1.3.6.1.4.1.311.1=#040178');
    expect(nameText(der(0x30, attr(CN, 0x0c, 'x'.repeat(500))))).toHaveLength(200);
    expect(nameText(Buffer.from([0x30, 0x05, 0x31]))).toMatch(/^#30/);
  });
});

describe('hostile servers: no throw, a sane observation, the TLS error still surfaces', () => {
  const sends = (bytes: Buffer) => rawServer((s) => s.end(bytes));
  const expectFailedQuietly = (outcome: Outcome) => {
    expect(outcome.events).toEqual(['error']);
    expect(outcome.observation.bytesFromServer).toBeLessThanOrEqual(OBSERVE_LIMIT);
  };

  it('garbage', async () => {
    const outcome = await connect(await sends(Buffer.from('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n')));
    expectFailedQuietly(outcome);
    expect(outcome.observation).toMatchObject({ bytesFromServer: 47, serverHello: null, certificateRequest: null, alert: null });
  });

  it('a handshake message claiming 16 MiB', async () => {
    const outcome = await connect(await sends(record(22, Buffer.from([2, 0xff, 0xff, 0xff, 3, 3, 0, 0]))));
    expectFailedQuietly(outcome);
    expect(outcome.observation).toMatchObject({ serverHello: null, certificateRequest: null });
  });

  it('a truncated CertificateRequest after a ServerHello', async () => {
    const truncated = handshake(13, Buffer.concat([Buffer.from([1, 64, 0, 2, 4, 3, 0, 200]), Buffer.from([0, 100])]));
    const outcome = await connect(await sends(Buffer.concat([record(22, serverHello12()), record(22, truncated), record(22, handshake(14, Buffer.alloc(0)))])));
    expectFailedQuietly(outcome);
    expect(outcome.observation).toMatchObject({ serverHello: { version: 'TLSv1.2', cipherSuite: 0xc02b }, certificateRequest: null });
  });

  it('more authorities than kept, with invisible characters, an incomplete message at the end', () => {
    const names = Array.from({ length: 40 }, (_, i) => der(0x30, der(0x31, der(0x30, der(0x06, Buffer.from([0x55, 0x04, 0x03])), der(0x0c, Buffer.from(`CA ${i}\u0007\u202e`))))));
    const request = handshake(13, Buffer.concat([Buffer.from([1, 64, 0, 2, 4, 3]), vector16(Buffer.concat(names.map(vector16)))]));
    const observer = new HandshakeObserver();
    // Byte by byte: records and messages reassembled.
    for (const byte of Buffer.concat([record(22, serverHello12()), record(22, request), record(22, Buffer.from([14, 0, 0]))])) observer.feed(Buffer.from([byte]));
    const seen = observer.snapshot();
    expect(seen.certificateRequest?.authorities).toHaveLength(32);
    expect(seen.certificateRequest?.omitted).toBe(8);
    expect(seen.certificateRequest?.authorities[31]?.text).toBe('CN=CA 31');
    expect(seen.serverFlightDone).toBe(false);
  });

  it('a warning alert does not end the observation; a fatal one after it is the one kept', () => {
    const observer = new HandshakeObserver();
    observer.feed(Buffer.concat([record(21, Buffer.from([1, 112])), record(22, serverHello12()), record(21, Buffer.from([2, 40]))]));
    expect(observer.snapshot()).toMatchObject({ serverHello: { version: 'TLSv1.2' }, alert: { level: 2, description: 40 } });
    expect(observer.looking).toBe(false);
  });

  it('random mutations of a server flight never throw and stay bounded', () => {
    const flight = Buffer.concat([record(22, Buffer.concat([serverHello12(), handshake(13, Buffer.from([1, 64, 0, 2, 4, 3, 0, 0])), handshake(14, Buffer.alloc(0))])), record(21, Buffer.from([2, 40]))]);
    for (let i = 0; i < 2000; i++) {
      const mutated = Buffer.from(flight);
      for (let n = 0; n < 1 + (i % 4); n++) mutated[Math.floor(Math.random() * mutated.length)] = Math.floor(Math.random() * 256);
      const observer = new HandshakeObserver();
      observer.feed(mutated.subarray(0, 1 + (i % mutated.length)));
      observer.feed(mutated.subarray(1 + (i % mutated.length)));
      observer.keylog(Buffer.from(`SERVER_HANDSHAKE_TRAFFIC_SECRET ${'00'.repeat(32)} ${randomBytes(32).toString('hex')}\n`));
      const seen = observer.snapshot();
      expect(seen.bytesFromServer).toBeLessThanOrEqual(flight.length);
      expect(seen.certificateRequest?.authorities.length ?? 0).toBeLessThanOrEqual(32);
    }
    // Encrypted records before any ServerHello: not a server to read.
    const early = new HandshakeObserver();
    early.feed(record(23, randomBytes(1000)));
    expect(early.looking).toBe(false);
  });

  it('TLS 1.3 records waiting for a key that never comes stay bounded', () => {
    const hello13 = handshake(2, Buffer.concat([Buffer.from([3, 3]), randomBytes(32), Buffer.from([0, 0x13, 0x01, 0]), vector16(Buffer.from([0, 43, 0, 2, 3, 4]))]));
    const flood = new HandshakeObserver();
    flood.feed(record(22, hello13));
    for (let i = 0; i < 100; i++) flood.feed(record(23, randomBytes(16_000)));
    expect(flood.snapshot()).toMatchObject({ bytesFromServer: OBSERVE_LIMIT, serverHello: { version: 'TLSv1.3', cipherSuite: 0x1301 }, encryptedHandshakeRead: false });
    expect(flood.looking).toBe(false);
    expect(flood.reading).toBe(true); // the queued records would still be read if their key came
    flood.keylog(Buffer.from(`SERVER_HANDSHAKE_TRAFFIC_SECRET ${'00'.repeat(32)} ${randomBytes(32).toString('hex')}\n`));
    // Decrypted only when asked (the fast path does no decryption): a wrong key, the first record
    // does not decrypt, observation over.
    expect(flood.snapshot()).toMatchObject({ encryptedHandshakeRead: false, alert: null });
    expect(flood.reading).toBe(false);
  });
});

it('HKDF-Expand-Label matches RFC 8448 (the server handshake key of the simple 1-RTT trace)', () => {
  const secret = Buffer.from('b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38', 'hex');
  expect(hkdfExpandLabel('sha256', secret, 'key', Buffer.alloc(0), 16).toString('hex')).toBe('3fce516009c21727d0f2e4e86ee403bc');
  expect(hkdfExpandLabel('sha256', secret, 'iv', Buffer.alloc(0), 12).toString('hex')).toBe('5d313eb2671276ee13000b30');
});

it('costs little: 200 handshakes and a tiny request, through the tap and without', async () => {
  const port = await tlsServer({});
  const round = async (tapped: boolean): Promise<void> => {
    const socket = net.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const tap = tapped ? tapHandshake(socket) : null;
    const tlsSocket = tls.connect({ socket: tap ? tap.stream : socket, rejectUnauthorized: false });
    tap?.attach(tlsSocket);
    tlsSocket.write('GET / HTTP/1.1\r\n\r\n');
    let data = '';
    tlsSocket.on('data', (chunk) => (data += chunk));
    await once(tlsSocket, 'end');
    tlsSocket.destroy();
    expect(data).toBe('ok');
  };
  const timed = async (tapped: boolean): Promise<number> => {
    const start = performance.now();
    await round(tapped);
    return performance.now() - start;
  };
  for (let i = 0; i < 20; i++) await timed(i % 2 === 0); // warm-up
  // Interleaved, so a busy moment of the machine weighs on both alike.
  let direct = 0;
  let tapped = 0;
  for (let i = 0; i < 200; i++) {
    direct += await timed(false);
    tapped += await timed(true);
  }
  console.log(`tls-wire: 200 handshakes + request: direct ${direct.toFixed(0)} ms, through the tap ${tapped.toFixed(0)} ms (${((tapped / direct - 1) * 100).toFixed(0)}%)`);
});

// Crafting server bytes.
function der(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  const length = body.length < 128 ? Buffer.from([body.length]) : body.length < 256 ? Buffer.from([0x81, body.length]) : Buffer.from([0x82, body.length >> 8, body.length & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, body]);
}
function vector16(body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([body.length >> 8, body.length & 0xff]), body]);
}
function record(type: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type, 3, 3, body.length >> 8, body.length & 0xff]), body]);
}
function handshake(type: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff]), body]);
}
function serverHello12(): Buffer {
  return handshake(2, Buffer.concat([Buffer.from([3, 3]), randomBytes(32), Buffer.from([0, 0xc0, 0x2b, 0])]));
}

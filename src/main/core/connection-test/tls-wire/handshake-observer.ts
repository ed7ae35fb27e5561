// What the server sent in the handshake, read from its bytes as they pass (before OpenSSL or
// BoringSSL sees them), so the verdict rests on what the server did and not on a library's
// error text. Pure: fed bytes and keylog lines; anything malformed just ends the observation.
import type { AuthorityName } from './distinguished-name';
import { HANDSHAKE, HandshakeReassembler, Malformed, parseCertificateRequest, parseServerHello, type HandshakeMessage, type TlsVersion } from './handshake-messages';
import { CONTENT, RecordReader, type TlsRecord } from './records';
import { readableSuite, RecordDecryptor, type InnerPlaintext, type Suite } from './tls13-keys';

/** Bytes from the server looked at, at most; also bounds every buffer kept. */
export const OBSERVE_LIMIT = 64 * 1024;

export interface HandshakeObservation {
  /** Bytes the server sent before the tap stopped looking (0 = closed right after our ClientHello, no answer at all). */
  bytesFromServer: number;
  serverHello: { version: TlsVersion; cipherSuite: number } | null;
  /** The server sent a HelloRetryRequest before its ServerHello (TLS 1.3). */
  helloRetryRequest?: boolean;
  /** The server asked for a client certificate (TLS 1.2 plaintext CertificateRequest, or TLS 1.3 decrypted one). */
  certificateRequest: { authorities: AuthorityName[]; /** How many more the server named than the 32 kept. */ omitted?: number } | null;
  /** First alert the server sent, as numbers (plaintext, or decrypted in TLS 1.3 when keys were known); a later fatal alert replaces an earlier warning. */
  alert: { level: number; description: number } | null;
  /** TLS 1.3 only: false when the encrypted handshake could not be read (no keylog secrets, unknown suite). */
  encryptedHandshakeRead: boolean | null;
  /** The server's handshake flight was complete (TLS 1.2 ServerHelloDone / TLS 1.3 server Finished seen). */
  serverFlightDone: boolean;
  /**
   * The server went on after reading Keybridge's flight (and its client certificate, if any): TLS
   * 1.2 ChangeCipherSpec, a TLS 1.3 NewSessionTicket or application data. What fails after that is
   * not the server refusing the handshake.
   */
  serverWentOn?: boolean;
}

type Epoch = 'plaintext' | 'handshake' | 'application';
const SECRET_OF: Record<Exclude<Epoch, 'plaintext'>, string> = {
  handshake: 'SERVER_HANDSHAKE_TRAFFIC_SECRET',
  application: 'SERVER_TRAFFIC_SECRET_0',
};

export class HandshakeObserver {
  /** False once new bytes need no looking at (the fast path). */
  looking = true;
  /** False once nothing more will be learnt, not even from records still waiting for their key. */
  reading = true;
  private bytes = 0;
  private readonly records = new RecordReader();
  private readonly messages = new HandshakeReassembler(OBSERVE_LIMIT);
  private hello: { version: TlsVersion; cipherSuite: number } | null = null;
  private retried = false;
  private request: HandshakeObservation['certificateRequest'] = null;
  private alert: HandshakeObservation['alert'] = null;
  private encryptedRead: boolean | null = null;
  private flightDone = false;
  private wentOn = false;
  // TLS 1.3: records after the ServerHello wait here, in order, until someone asks (snapshot): their
  // secret is logged only after OpenSSL read these very bytes, which the tap saw first, and
  // decrypting only when a verdict needs it keeps the fast path free of the work.
  private epoch: Epoch = 'plaintext';
  private suite: Suite | null = null;
  private readonly secrets = new Map<string, Buffer>();
  private readonly lines: Buffer[] = [];
  private decryptor: { epoch: Epoch; records: RecordDecryptor } | null = null;
  private queue: TlsRecord[] = [];

  feed(chunk: Buffer): void {
    if (!this.looking) return;
    const seen = chunk.length > OBSERVE_LIMIT - this.bytes ? chunk.subarray(0, OBSERVE_LIMIT - this.bytes) : chunk;
    this.bytes += seen.length;
    this.safely(() => {
      for (const record of this.records.push(seen)) {
        if (!this.reading) return;
        if (this.epoch === 'plaintext') this.plaintextRecord(record);
        else this.queue.push({ type: record.type, header: Buffer.from(record.header), body: Buffer.from(record.body) });
      }
    });
    if (this.bytes >= OBSERVE_LIMIT) this.looking = false;
  }

  /** A line of the TLSSocket's 'keylog' event: kept as it is, read only when a record needs its key. */
  keylog(line: Buffer): void {
    if (Buffer.isBuffer(line) && this.lines.length < 16) this.lines.push(line);
  }

  private readLines(): void {
    for (const line of this.lines.splice(0)) {
      const [label, , secret] = line.toString('latin1').trim().split(' ');
      if (!label || !secret || !/^(?:[0-9a-f]{2}){16,64}$/i.test(secret)) continue;
      if (label !== SECRET_OF.handshake && label !== SECRET_OF.application) continue;
      this.secrets.set(label, Buffer.from(secret, 'hex'));
    }
  }

  snapshot(): HandshakeObservation {
    this.safely(() => this.drain());
    return {
      bytesFromServer: this.bytes,
      serverHello: this.hello && { ...this.hello },
      helloRetryRequest: this.retried,
      certificateRequest: this.request && {
        authorities: this.request.authorities.map((a) => ({ der: Buffer.from(a.der), text: a.text })),
        omitted: this.request.omitted,
      },
      alert: this.alert && { ...this.alert },
      encryptedHandshakeRead: this.encryptedRead,
      serverFlightDone: this.flightDone,
      serverWentOn: this.wentOn,
    };
  }

  private safely(work: () => void): void {
    try {
      work();
    } catch {
      this.stop();
    }
  }

  private stop(): void {
    this.looking = false;
    this.reading = false;
    this.queue = [];
    this.secrets.clear();
    this.lines.length = 0;
    this.decryptor = null;
  }

  private plaintextRecord(record: TlsRecord): void {
    switch (record.type) {
      case CONTENT.CHANGE_CIPHER_SPEC:
        // TLS 1.0-1.2: the server's Finished and all after it are encrypted; nothing more to read.
        // The server sends it only after it accepted the client's flight.
        if (this.hello) {
          this.wentOn = true;
          this.stop();
        }
        return;
      case CONTENT.ALERT:
        return this.onAlert(record.body);
      case CONTENT.HANDSHAKE: {
        const messages = this.messages.push(record.body);
        messages.forEach((message, i) => {
          this.plaintextMessage(message);
          // The TLS 1.3 keys change right after the ServerHello, so it must end its record.
          if (this.epoch !== 'plaintext' && (i < messages.length - 1 || this.messages.pending)) throw new Malformed('bytes after the ServerHello');
        });
        return;
      }
      default:
        // Encrypted data before the handshake could have made keys: not a server we can read.
        return this.stop();
    }
  }

  private plaintextMessage(message: HandshakeMessage): void {
    if (message.type === HANDSHAKE.SERVER_HELLO) {
      const hello = parseServerHello(message.body);
      if (this.hello) throw new Malformed('a second ServerHello');
      // A HelloRetryRequest: the real ServerHello follows the client's second ClientHello.
      if (hello.helloRetry) {
        if (this.retried || hello.version !== 'TLSv1.3') throw new Malformed('HelloRetryRequest');
        this.retried = true;
        return;
      }
      this.hello = { version: hello.version, cipherSuite: hello.cipherSuite };
      if (hello.version === 'TLSv1.3') {
        this.encryptedRead = false;
        this.suite = readableSuite(hello.cipherSuite);
        if (!this.suite) return this.stop();
        this.epoch = 'handshake';
      }
    } else if (!this.hello) {
      throw new Malformed(`handshake message ${message.type} before the ServerHello`);
    } else if (message.type === HANDSHAKE.CERTIFICATE_REQUEST) {
      this.request = parseCertificateRequest(message.body, this.hello.version);
    } else if (message.type === HANDSHAKE.SERVER_HELLO_DONE) {
      this.flightDone = true;
    }
  }

  private drain(): void {
    while (this.reading && this.queue.length > 0) {
      const record = this.queue[0] as TlsRecord;
      if (record.type === CONTENT.APPLICATION_DATA) {
        const decryptor = this.decryptorFor(this.epoch);
        if (!decryptor) return; // its secret is not logged yet
        this.queue.shift();
        const inner = decryptor.open(record.header, record.body);
        if (this.epoch === 'handshake') this.encryptedRead = true;
        this.innerRecord(inner);
      } else {
        this.queue.shift();
        if (record.type === CONTENT.ALERT) this.onAlert(record.body);
        // A CHANGE_CIPHER_SPEC here is TLS 1.3's middlebox compatibility: skipped.
        else if (record.type !== CONTENT.CHANGE_CIPHER_SPEC) throw new Malformed('plaintext handshake after the ServerHello');
      }
    }
  }

  private decryptorFor(epoch: Epoch): RecordDecryptor | null {
    if (this.decryptor?.epoch === epoch) return this.decryptor.records;
    this.readLines();
    const secret = epoch === 'plaintext' ? undefined : this.secrets.get(SECRET_OF[epoch]);
    if (!secret || !this.suite) return null;
    this.decryptor = { epoch, records: new RecordDecryptor(this.suite, secret) };
    return this.decryptor.records;
  }

  private innerRecord(inner: InnerPlaintext): void {
    if (inner.type === CONTENT.ALERT) return this.onAlert(inner.content);
    // The server's application spoke (an HTTP answer): whatever it thought of the handshake, it said so.
    if (inner.type === CONTENT.APPLICATION_DATA) {
      this.wentOn = true;
      return this.stop();
    }
    if (inner.type !== CONTENT.HANDSHAKE) throw new Malformed(`inner content type ${inner.type}`);
    const messages = this.messages.push(inner.content);
    messages.forEach((message, i) => {
      if (this.epoch === 'handshake') {
        if (message.type === HANDSHAKE.CERTIFICATE_REQUEST) this.request = parseCertificateRequest(message.body, 'TLSv1.3');
        else if (message.type === HANDSHAKE.FINISHED) {
          this.flightDone = true;
          // Then the application traffic secret: a refused client certificate is alerted under it.
          this.epoch = 'application';
          if (i < messages.length - 1 || this.messages.pending) throw new Malformed('bytes after the server Finished');
        }
      } else if (message.type === HANDSHAKE.NEW_SESSION_TICKET) {
        // Sent once the server has accepted the client's Finished (and its certificate).
        this.wentOn = true;
      } else if (message.type === HANDSHAKE.KEY_UPDATE) {
        this.stop(); // new keys we do not follow; the handshake is long over
      }
    });
  }

  private onAlert(body: Buffer): void {
    if (body.length < 2) throw new Malformed('short alert');
    const alert = { level: body[0] as number, description: body[1] as number };
    if (!this.alert || (this.alert.level !== 2 && alert.level === 2)) this.alert = alert;
    // A warning (TLS 1.2's no_renegotiation, unrecognized_name...) may be followed by more; close_notify or fatal ends it.
    if (alert.level !== 1 || alert.description === 0) this.stop();
  }
}

// A tap between the TCP (or proxy tunnel) socket and tls.connect: passes the bytes both ways
// unchanged and reads the server's side of the handshake on the way (handshake-observer.ts).
// Once the observation is over, the tap only passes bytes.
import type net from 'node:net';
import { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { HandshakeObserver, type HandshakeObservation } from './handshake-observer';

export type { AuthorityName } from './distinguished-name';
export type { HandshakeObservation } from './handshake-observer';

export interface HandshakeTap {
  /** Put this between the TCP (or proxy tunnel) socket and tls.connect({ socket: tap.stream }). */
  stream: Duplex;
  /** Call right after tls.connect with the TLSSocket: listens to its 'keylog' event for TLS 1.3 handshake secrets. */
  attach(tlsSocket: TLSSocket): void;
  observation(): HandshakeObservation;
}

type Underlying = Duplex & Partial<Pick<net.Socket, 'setNoDelay' | 'setKeepAlive' | 'setTimeout' | 'ref' | 'unref'>>;

class TapStream extends Duplex {
  private relayingTimeout = false;
  private endPushed = false;

  constructor(
    private readonly socket: Underlying,
    private readonly observer: HandshakeObserver,
    private readonly stopped: () => void,
  ) {
    super({ allowHalfOpen: true });
    socket.on('data', (chunk: Buffer) => {
      if (this.observer.looking && Buffer.isBuffer(chunk)) {
        this.observer.feed(chunk);
        if (!this.observer.reading) this.stopped();
      }
      if (!this.destroyed && !this.push(chunk)) socket.pause();
    });
    socket.on('end', () => {
      this.endPushed = true;
      if (!this.destroyed) this.push(null);
    });
    // The same error, so the TLSSocket fails as it would on the socket itself (ECONNRESET...).
    socket.on('error', (error) => this.destroy(error));
    socket.on('close', () => {
      if (this.destroyed) return;
      // Data the server sent before closing (its alert) must still reach TLS: close after 'end'.
      if (this.endPushed && !this.readableEnded) this.once('end', () => this.destroy());
      else this.destroy();
    });
    // A socket that died before the tap was put on it will not say so again.
    if (socket.destroyed) queueMicrotask(() => this.destroy(socket.errored ?? undefined));
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.socket.write(chunk)) callback();
    else this.socket.once('drain', () => callback());
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, callback: (error?: Error | null) => void): void {
    this.socket.cork();
    let flowing = true;
    for (const { chunk } of chunks) flowing = this.socket.write(chunk);
    this.socket.uncork();
    if (flowing) callback();
    else this.socket.once('drain', () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.socket.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    this.socket.destroy();
    callback(error);
  }

  // net.Socket's knobs, for code that treats the stream as a socket.
  setNoDelay(noDelay?: boolean): this {
    this.socket.setNoDelay?.(noDelay);
    return this;
  }

  setKeepAlive(enable?: boolean, initialDelay?: number): this {
    this.socket.setKeepAlive?.(enable, initialDelay);
    return this;
  }

  setTimeout(timeout: number, callback?: () => void): this {
    if (!this.relayingTimeout) {
      this.relayingTimeout = true;
      this.socket.on('timeout', () => this.emit('timeout'));
    }
    this.socket.setTimeout?.(timeout);
    if (callback) this.once('timeout', callback);
    return this;
  }

  ref(): this {
    this.socket.ref?.();
    return this;
  }

  unref(): this {
    this.socket.unref?.();
    return this;
  }
}

export function tapHandshake(socket: net.Socket | Duplex): HandshakeTap {
  const observer = new HandshakeObserver();
  const detachers: Array<() => void> = [];
  const detach = (): void => {
    for (const off of detachers.splice(0)) off();
  };
  const stream = new TapStream(socket as Underlying, observer, detach);
  return {
    stream,
    attach(tlsSocket) {
      if (!observer.reading) return;
      const onKeylog = (line: Buffer): void => {
        observer.keylog(line);
        if (!observer.reading) detach();
      };
      tlsSocket.on('keylog', onKeylog);
      detachers.push(() => tlsSocket.off('keylog', onKeylog));
    },
    observation: () => observer.snapshot(),
  };
}

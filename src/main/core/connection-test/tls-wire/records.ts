// TLS record framing (RFC 8446 §5.1, RFC 5246 §6.2) of the bytes the server sends.

export const CONTENT = { CHANGE_CIPHER_SPEC: 20, ALERT: 21, HANDSHAKE: 22, APPLICATION_DATA: 23 } as const;

/** The largest record body any TLS version allows (TLS 1.2 TLSCiphertext: 2^14 + 2048). */
export const MAX_RECORD_BODY = 16384 + 2048;

export interface TlsRecord {
  type: number;
  /** The 5-byte header, the AAD of a TLS 1.3 record. */
  header: Buffer;
  body: Buffer;
}

export class NotTls extends Error {}

export class RecordReader {
  private rest: Buffer | null = null;

  /** The records completed by `chunk`; throws NotTls on bytes that are not TLS records (garbage, HTTP, SSLv2). */
  push(chunk: Buffer): TlsRecord[] {
    const buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    const records: TlsRecord[] = [];
    let at = 0;
    while (buf.length - at >= 5) {
      const type = buf[at] as number;
      const length = buf.readUInt16BE(at + 3);
      if (type < CONTENT.CHANGE_CIPHER_SPEC || type > CONTENT.APPLICATION_DATA || buf[at + 1] !== 3 || length > MAX_RECORD_BODY) {
        throw new NotTls(`not a TLS record (type ${type}, length ${length})`);
      }
      if (buf.length - at - 5 < length) break;
      records.push({ type, header: buf.subarray(at, at + 5), body: buf.subarray(at + 5, at + 5 + length) });
      at += 5 + length;
    }
    // A copy: the partial record stays small, the chunk it came in is not kept.
    this.rest = at < buf.length ? Buffer.from(buf.subarray(at)) : null;
    return records;
  }
}

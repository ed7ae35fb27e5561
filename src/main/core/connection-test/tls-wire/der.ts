// A minimal DER reader: enough to walk a certificate to its issuer and subject, and a Name to its
// attributes. Malformed input throws DerError; callers turn that into "unreadable".

export class DerError extends Error {}

export interface Tlv {
  tag: number;
  /** Offset of the tag byte (the whole element is buf[start, end)). */
  start: number;
  /** Offset of the contents. */
  contentStart: number;
  end: number;
}

export const TAG = {
  INTEGER: 0x02,
  OID: 0x06,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** The element at `offset`, which must end by `limit`. Single-byte tags only (all X.509 uses). */
export function readTlv(buf: Buffer, offset: number, limit = buf.length): Tlv {
  if (offset + 2 > limit) throw new DerError('truncated header');
  const tag = buf[offset] as number;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tag');
  let length = buf[offset + 1] as number;
  let contentStart = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    // Nothing in a certificate needs more than 4 length bytes; 0x80 (indefinite) is not DER.
    if (count === 0 || count > 4 || contentStart + count > limit) throw new DerError('bad length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (buf[contentStart + i] as number);
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > limit) throw new DerError('truncated contents');
  return { tag, start: offset, contentStart, end };
}

/** The elements directly inside a constructed element. */
export function children(buf: Buffer, parent: Tlv): Tlv[] {
  const found: Tlv[] = [];
  for (let at = parent.contentStart; at < parent.end; ) {
    const child = readTlv(buf, at, parent.end);
    found.push(child);
    at = child.end;
  }
  return found;
}

export function expectTag(tlv: Tlv, tag: number): Tlv {
  if (tlv.tag !== tag) throw new DerError(`expected tag ${tag}, got ${tlv.tag}`);
  return tlv;
}

/** Dotted form of an OBJECT IDENTIFIER's contents. */
export function oidText(bytes: Buffer): string {
  if (bytes.length === 0 || bytes.length > 64) throw new DerError('bad OID');
  const arcs: number[] = [];
  let value = 0;
  for (const byte of bytes) {
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw new DerError('OID arc too large');
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  if (bytes[bytes.length - 1]! & 0x80) throw new DerError('truncated OID');
  const first = arcs.shift() as number;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...arcs].join('.');
}

/** The DER of each CERTIFICATE block of a PEM text, in order. */
export function pemCertificates(pem: string): Buffer[] {
  const found: Buffer[] = [];
  const block = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]*?)-----END CERTIFICATE-----/g;
  for (let match = block.exec(pem); match; match = block.exec(pem)) {
    found.push(Buffer.from((match[1] as string).replace(/\s+/g, ''), 'base64'));
  }
  return found;
}

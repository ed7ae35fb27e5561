// Handshake messages from the server: reassembly across records, ServerHello and CertificateRequest.
import { createHash } from 'node:crypto';
import { authorityName, type AuthorityName } from './distinguished-name';

export class Malformed extends Error {}

export const HANDSHAKE = {
  SERVER_HELLO: 2,
  NEW_SESSION_TICKET: 4,
  ENCRYPTED_EXTENSIONS: 8,
  CERTIFICATE: 11,
  SERVER_KEY_EXCHANGE: 12,
  CERTIFICATE_REQUEST: 13,
  SERVER_HELLO_DONE: 14,
  CERTIFICATE_VERIFY: 15,
  FINISHED: 20,
  KEY_UPDATE: 24,
} as const;

export type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
const VERSIONS: Record<number, TlsVersion> = { 0x0301: 'TLSv1', 0x0302: 'TLSv1.1', 0x0303: 'TLSv1.2', 0x0304: 'TLSv1.3' };

/** At most this many authorities are kept from a CertificateRequest. */
export const MAX_AUTHORITIES = 32;

/** A cursor over a TLS structure; reading past its end throws Malformed. */
export class ByteReader {
  constructor(
    private readonly buf: Buffer,
    private at = 0,
    private readonly end = buf.length,
  ) {}

  get left(): number {
    return this.end - this.at;
  }

  bytes(count: number): Buffer {
    if (count > this.left) throw new Malformed('truncated');
    const out = this.buf.subarray(this.at, this.at + count);
    this.at += count;
    return out;
  }

  u8(): number {
    return this.bytes(1)[0] as number;
  }

  u16(): number {
    return this.bytes(2).readUInt16BE(0);
  }

  /** A vector<lengthBytes>: a reader over its contents. */
  vector(lengthBytes: 1 | 2): ByteReader {
    const length = lengthBytes === 1 ? this.u8() : this.u16();
    const start = this.at;
    this.bytes(length);
    return new ByteReader(this.buf, start, start + length);
  }
}

export interface HandshakeMessage {
  type: number;
  body: Buffer;
}

/** Handshake messages split over records, or several in one record. */
export class HandshakeReassembler {
  private rest: Buffer | null = null;

  constructor(private readonly maxMessage: number) {}

  get pending(): boolean {
    return this.rest !== null;
  }

  push(fragment: Buffer): HandshakeMessage[] {
    const buf = this.rest ? Buffer.concat([this.rest, fragment]) : fragment;
    const messages: HandshakeMessage[] = [];
    let at = 0;
    while (buf.length - at >= 4) {
      const length = buf.readUIntBE(at + 1, 3);
      if (length > this.maxMessage) throw new Malformed(`handshake message of ${length} bytes`);
      if (buf.length - at - 4 < length) break;
      messages.push({ type: buf[at] as number, body: buf.subarray(at + 4, at + 4 + length) });
      at += 4 + length;
    }
    this.rest = at < buf.length ? Buffer.from(buf.subarray(at)) : null;
    return messages;
  }
}

// RFC 8446 §4.1.3: a HelloRetryRequest is a ServerHello with this random.
const HELLO_RETRY_RANDOM = createHash('sha256').update('HelloRetryRequest').digest();

export interface ServerHello {
  version: TlsVersion;
  cipherSuite: number;
  helloRetry: boolean;
}

export function parseServerHello(body: Buffer): ServerHello {
  const r = new ByteReader(body);
  let version = r.u16();
  const random = r.bytes(32);
  if (r.vector(1).left > 32) throw new Malformed('session id');
  const cipherSuite = r.u16();
  r.u8(); // compression
  // TLS 1.0-1.2 may omit the extensions altogether.
  if (r.left > 0) {
    const extensions = r.vector(2);
    while (extensions.left > 0) {
      const type = extensions.u16();
      const data = extensions.vector(2);
      if (type === 43) version = data.u16(); // supported_versions: the version really chosen
    }
  }
  if (r.left > 0) throw new Malformed('bytes after the extensions');
  const name = VERSIONS[version];
  if (!name) throw new Malformed(`version 0x${version.toString(16)}`);
  return { version: name, cipherSuite, helloRetry: random.equals(HELLO_RETRY_RANDOM) };
}

export interface CertificateRequestNames {
  authorities: AuthorityName[];
  /** Authorities named beyond MAX_AUTHORITIES, not kept. */
  omitted: number;
}

/** A CertificateRequest: TLS 1.0-1.2 (RFC 5246 §7.4.4; no signature algorithms before 1.2) or TLS 1.3 (RFC 8446 §4.3.2). */
export function parseCertificateRequest(body: Buffer, version: TlsVersion): CertificateRequestNames {
  const r = new ByteReader(body);
  let names: ByteReader | null = null;
  if (version === 'TLSv1.3') {
    r.vector(1); // certificate_request_context
    const extensions = r.vector(2);
    while (extensions.left > 0) {
      const type = extensions.u16();
      const data = extensions.vector(2);
      if (type === 47) names = data.vector(2); // certificate_authorities
    }
  } else {
    r.vector(1); // certificate_types
    if (version === 'TLSv1.2') r.vector(2); // supported_signature_algorithms
    names = r.vector(2);
  }
  const found: CertificateRequestNames = { authorities: [], omitted: 0 };
  while (names && names.left > 0) {
    const der = names.vector(2);
    if (der.left === 0) throw new Malformed('empty DistinguishedName');
    if (found.authorities.length < MAX_AUTHORITIES) found.authorities.push(authorityName(der.bytes(der.left)));
    else found.omitted++;
  }
  return found;
}

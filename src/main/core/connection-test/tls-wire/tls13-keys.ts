// TLS 1.3 record protection (RFC 8446 §5.2, §7.1, §7.3) from a traffic secret, enough to read
// what the server sent: its encrypted handshake, and an alert sent after the handshake.
import { createDecipheriv, createHmac, getCiphers } from 'node:crypto';

interface Suite {
  hash: 'sha256' | 'sha384';
  cipher: 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';
  keyLength: number;
}

const SUITES: Record<number, Suite> = {
  0x1301: { hash: 'sha256', cipher: 'aes-128-gcm', keyLength: 16 },
  0x1302: { hash: 'sha384', cipher: 'aes-256-gcm', keyLength: 32 },
  0x1303: { hash: 'sha256', cipher: 'chacha20-poly1305', keyLength: 32 },
  // 0x1304/0x1305 (AES-CCM) are left unread: servers hardly offer them.
};

const TAG_LENGTH = 16;
let available: Set<string> | null = null;

/** The suite, when this runtime can decrypt it (BoringSSL-based runtimes may lack ChaCha20 in node:crypto). */
export function readableSuite(code: number): Suite | null {
  const suite = SUITES[code];
  if (!suite) return null;
  available ??= new Set(getCiphers());
  return available.has(suite.cipher) ? suite : null;
}

/** HKDF-Expand (RFC 5869 §2.3); node:crypto's hkdf always extracts first. */
export function hkdfExpand(hash: string, prk: Buffer, info: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  for (let i = 1, total = 0; total < length; i++) {
    previous = createHmac(hash, prk).update(previous).update(info).update(Buffer.from([i])).digest();
    blocks.push(previous);
    total += previous.length;
  }
  return Buffer.concat(blocks).subarray(0, length);
}

export function hkdfExpandLabel(hash: string, secret: Buffer, label: string, context: Buffer, length: number): Buffer {
  const fullLabel = Buffer.from(`tls13 ${label}`, 'latin1');
  const info = Buffer.concat([
    Buffer.from([length >> 8, length & 0xff, fullLabel.length]),
    fullLabel,
    Buffer.from([context.length]),
    context,
  ]);
  return hkdfExpand(hash, secret, info, length);
}

export class DecryptFailed extends Error {}

export interface InnerPlaintext {
  type: number;
  content: Buffer;
}

/** One direction's records under one traffic secret, sequence numbers from 0. */
export class RecordDecryptor {
  private readonly key: Buffer;
  private readonly iv: Buffer;
  private sequence = 0n;

  constructor(
    private readonly suite: Suite,
    secret: Buffer,
  ) {
    this.key = hkdfExpandLabel(suite.hash, secret, 'key', Buffer.alloc(0), suite.keyLength);
    this.iv = hkdfExpandLabel(suite.hash, secret, 'iv', Buffer.alloc(0), 12);
  }

  open(header: Buffer, body: Buffer): InnerPlaintext {
    if (body.length <= TAG_LENGTH) throw new DecryptFailed('record too short');
    const nonce = Buffer.from(this.iv);
    const sequence = Buffer.alloc(8);
    sequence.writeBigUInt64BE(this.sequence++);
    for (let i = 0; i < 8; i++) nonce[4 + i] = (nonce[4 + i] as number) ^ (sequence[i] as number);
    let plain: Buffer;
    try {
      // One overload per AEAD family in the typings; both take the same options.
      const decipher = createDecipheriv(this.suite.cipher as 'aes-128-gcm', this.key, nonce, { authTagLength: TAG_LENGTH });
      decipher.setAAD(header);
      decipher.setAuthTag(body.subarray(body.length - TAG_LENGTH));
      plain = Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_LENGTH)), decipher.final()]);
    } catch (error) {
      throw new DecryptFailed(`record did not decrypt: ${(error as Error).message}`);
    }
    // TLSInnerPlaintext: content, the real content type, then zero padding.
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end--;
    if (end < 0) throw new DecryptFailed('record is all padding');
    return { type: plain[end] as number, content: plain.subarray(0, end) };
  }
}

export type { Suite };

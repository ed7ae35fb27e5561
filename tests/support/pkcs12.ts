// A PKCS#12 file of a test certificate and key, made by the openssl command. PBES2/AES and a
// SHA-256 MAC: what OpenSSL 3 (Node) reads, whichever openssl or LibreSSL made it (LibreSSL on macOS
// defaults to RC2-40, which OpenSSL 3 keeps only in its legacy provider).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Issued } from '../../tools/certificates';

export function pkcs12Of(issued: Issued, dir: string, passphrase: string): { file: string; bytes: Buffer } {
  const cert = path.join(dir, `${passphrase.length}-pkcs12.crt`);
  const key = path.join(dir, `${passphrase.length}-pkcs12.key`);
  const file = path.join(dir, 'client.p12');
  writeFileSync(cert, issued.certPem);
  writeFileSync(key, issued.keyPem);
  execFileSync('openssl', ['pkcs12', '-export', '-in', cert, '-inkey', key, '-out', file, '-passout', `pass:${passphrase}`, '-keypbe', 'AES-256-CBC', '-certpbe', 'AES-256-CBC', '-macalg', 'sha256']);
  return { file, bytes: readFileSync(file) };
}

// A chain that ends at a TLS-inspecting proxy's or security product's root: the network between
// this workstation and the key manager decrypts and re-signs TLS, so the certificate seen is not the
// key manager's own (#17, item 2). Known by the names these products give their roots; never a
// verdict of its own, only what the verdict says and what to do.
import type { CertificateSummary } from '../../../shared/types';

/** A product's name and how its CA names read (subject or issuer, any attribute). */
const PRODUCTS: ReadonlyArray<[product: string, pattern: RegExp]> = [
  ['Zscaler', /\bzscaler\b/i],
  ['Netskope', /\bnetskope\b/i],
  ['Palo Alto Networks', /\bpalo ?alto\b|\bpan-?os\b|globalprotect/i],
  ['Fortinet', /\bforti(gate|net|proxy)\b/i],
  ['Cisco Umbrella', /\bcisco umbrella\b|\bopendns\b/i],
  ['Symantec / Blue Coat', /\bblue ?coat\b|\bproxysg\b/i],
  ['Check Point', /\bcheck ?point\b/i],
  ['Sophos', /\bsophos\b/i],
  ['Forcepoint', /\bforcepoint\b|\bwebsense\b/i],
  ['Kaspersky', /\bkaspersky\b/i],
  ['Avast or AVG', /\bavast\b|\bavg\b.*\b(web|mail) shield\b|\bavg technologies\b/i],
  ['ESET', /\beset\b.*\b(ssl|filter)\b/i],
  ['Bitdefender', /\bbitdefender\b/i],
  ['Menlo Security', /\bmenlo security\b/i],
  ['iboss', /\biboss\b/i],
];

export interface Inspection {
  product: string;
  /** The CA name that said so, as the certificate has it. */
  issuer: string;
}

/** The inspecting product behind this chain (leaf first), if its CA names one. */
export function tlsInspection(chain: readonly CertificateSummary[]): Inspection | null {
  for (const certificate of chain) {
    for (const name of [certificate.issuer, certificate.subject]) {
      const found = PRODUCTS.find(([, pattern]) => pattern.test(name.slice(0, 1024)));
      if (found) return { product: found[0], issuer: name.slice(0, 200) };
    }
  }
  return null;
}

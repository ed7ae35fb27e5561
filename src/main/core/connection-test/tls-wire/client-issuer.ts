// Which CA issued a client certificate, in the same text as the authorities a server names
// (distinguished-name.ts), and whether the server named it: "This server accepts client
// certificates issued by CN=Corp Client CA; yours is issued by CN=Other CA."
import { children, DerError, expectTag, pemCertificates, readTlv, TAG } from './der';
import { authorityName, type AuthorityName } from './distinguished-name';

export interface CertificateNames {
  issuer: AuthorityName;
  subject: AuthorityName;
}

/** Issuer and subject of a DER certificate: Certificate → TBSCertificate → [0] version?, serial, signature, issuer, validity, subject. */
export function certificateNames(der: Buffer): CertificateNames {
  const certificate = expectTag(readTlv(der, 0), TAG.SEQUENCE);
  const [tbs] = children(der, certificate);
  if (!tbs) throw new DerError('empty certificate');
  const fields = children(der, expectTag(tbs, TAG.SEQUENCE));
  const first = fields[0]?.tag === 0xa0 ? 1 : 0; // explicit [0] version (v2, v3)
  const [serial, signature, issuer, validity, subject] = fields.slice(first);
  if (!serial || !signature || !issuer || !validity || !subject) throw new DerError('short TBSCertificate');
  expectTag(serial, TAG.INTEGER);
  expectTag(signature, TAG.SEQUENCE);
  expectTag(validity, TAG.SEQUENCE);
  const name = (tlv: typeof issuer): AuthorityName => authorityName(der.subarray(expectTag(tlv, TAG.SEQUENCE).start, tlv.end));
  return { issuer: name(issuer), subject: name(subject) };
}

/** The issuer of the first certificate of a PEM text, or null when there is none that reads. */
export function issuerOf(certPem: string): AuthorityName | null {
  const [der] = pemCertificates(certPem);
  if (!der) return null;
  try {
    return certificateNames(der).issuer;
  } catch {
    return null;
  }
}

/**
 * Whether a client certificate chain (PEM of leaf, then optional intermediates) is issued by one of
 * the named authorities: the leaf's and each chain certificate's issuer Name DER, byte for byte,
 * and each chain certificate's own subject (an intermediate the server named). No authorities
 * named means the server accepts any issuer: matches. `issuer` is the leaf's issuer ('' when the
 * PEM holds no readable certificate, which never matches).
 */
export function issuedByOneOf(chainPem: string, authorities: AuthorityName[]): { matches: boolean; issuer: string } {
  const chain: CertificateNames[] = [];
  for (const der of pemCertificates(chainPem).slice(0, 10)) {
    try {
      chain.push(certificateNames(der));
    } catch {
      break; // the chain ends where it stops reading
    }
  }
  const leaf = chain[0];
  if (!leaf) return { matches: false, issuer: '' };
  if (authorities.length === 0) return { matches: true, issuer: leaf.issuer.text };
  const named = (name: AuthorityName): boolean => authorities.some((a) => a.der.equals(name.der));
  const matches = chain.some((cert, i) => named(cert.issuer) || (i > 0 && named(cert.subject)));
  return { matches, issuer: leaf.issuer.text };
}

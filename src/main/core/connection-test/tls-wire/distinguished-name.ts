// X.501 Names (DER) as text, for the authorities a server names and the issuers of certificates.
// Text follows RFC 4514: most specific first ("CN=Corp Client CA, O=Corp", as `openssl x509 -issuer
// -nameopt RFC2253` shows it, with ", " between attributes), multi-valued RDNs joined by "+".
// Note: certificate.ts summaries follow Node's order (least specific first); compare DER, not text.
import { printable } from '../../printable';
import { children, DerError, expectTag, oidText, readTlv, TAG } from './der';

export interface AuthorityName {
  der: Buffer;
  text: string;
}

export const NAME_TEXT_MAX = 200;

const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.15': 'businessCategory',
  '2.5.4.17': 'postalCode',
  '2.5.4.42': 'GN',
  '2.5.4.43': 'initials',
  '2.5.4.44': 'generationQualifier',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.65': 'pseudonym',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
};

/** A DER Name as an AuthorityName; a Name that does not parse shows as "#" and its hex. */
export function authorityName(der: Buffer): AuthorityName {
  return { der: Buffer.from(der), text: nameText(der) };
}

export function nameText(der: Buffer): string {
  let text: string;
  try {
    text = rdnTexts(der).reverse().join(', ');
  } catch (error) {
    if (!(error instanceof DerError)) throw error;
    text = `#${der.subarray(0, NAME_TEXT_MAX).toString('hex')}`;
  }
  return printable(text, NAME_TEXT_MAX);
}

function rdnTexts(der: Buffer): string[] {
  const name = expectTag(readTlv(der, 0), TAG.SEQUENCE);
  if (name.end !== der.length) throw new DerError('trailing bytes');
  return children(der, name).map((rdn) =>
    children(der, expectTag(rdn, TAG.SET))
      .map((pair) => {
        const [oid, value, extra] = children(der, expectTag(pair, TAG.SEQUENCE));
        if (!oid || !value || extra) throw new DerError('bad attribute');
        const dotted = oidText(der.subarray(expectTag(oid, TAG.OID).contentStart, oid.end));
        const shown = stringValue(value.tag, der.subarray(value.contentStart, value.end));
        return `${SHORT_NAMES[dotted] ?? dotted}=${shown === null ? `#${der.subarray(value.start, value.end).toString('hex')}` : escape(shown)}`;
      })
      .join('+'),
  );
}

function stringValue(tag: number, bytes: Buffer): string | null {
  switch (tag) {
    case 0x0c: // UTF8String
      return bytes.toString('utf8');
    case 0x12: // NumericString
    case 0x13: // PrintableString
    case 0x14: // T61String: read as Latin-1, like OpenSSL
    case 0x16: // IA5String
    case 0x1a: // VisibleString
      return bytes.toString('latin1');
    case 0x1e: // BMPString: UTF-16BE
      return bytes.length % 2 ? null : Buffer.from(bytes).swap16().toString('utf16le');
    case 0x1c: {
      // UniversalString: UTF-32BE
      if (bytes.length % 4) return null;
      let text = '';
      for (let i = 0; i < bytes.length; i += 4) {
        const point = bytes.readUInt32BE(i);
        if (point > 0x10ffff) return null;
        text += String.fromCodePoint(point);
      }
      return text;
    }
    default:
      return null;
  }
}

/** RFC 4514 §2.4, minimal: the specials anywhere, a leading "#" or space, a trailing space. */
function escape(value: string): string {
  const chars = Array.from(value);
  return chars
    .map((ch, i) => {
      if (ch === '\0') return '\\00';
      const edge = (i === 0 && (ch === '#' || ch === ' ')) || (i === chars.length - 1 && ch === ' ');
      return edge || '"+,;<>\\'.includes(ch) ? `\\${ch}` : ch;
    })
    .join('');
}

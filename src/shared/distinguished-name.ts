// A certificate's subject or issuer as fields the admin reads (CN, O, OU…), not one OpenSSL string.
// Pure: no node, no DOM. Never throws and is bounded: a server chooses its certificate's names.
//
// The texts it reads, as main writes them:
// - the engine's summaries (connection-test/certificate.ts, from Node's peer certificate object):
//   "C=FI, O=Example Corp, CN=km.example.com", least specific first, values escaped as RFC 4514
//   says, a repeated attribute written once for each value ("OU=one, OU=two");
// - trusted CA and client certificates (trust/certificate-files.ts, Node's X509Certificate.subject
//   with its newlines made ", "): the same order, values escaped as RFC 4514 says ("O=Example\, Inc."),
//   control characters as "\0A", a multi-valued RDN joined by " + ";
// - the authorities a server names and the issuer of a client certificate (tls-wire/
//   distinguished-name.ts): RFC 4514, most specific first, "+" in a multi-valued RDN, at most 200
//   characters, an unreadable Name as "#" and hex.
// So: RDNs are split at "," ";" or a newline, attributes of one RDN at "+", but only where an
// attribute type and "=" follow: an unescaped comma inside a value ("O=Example, Inc.") stays in it.
// Escapes (\, and \XX hex, UTF-8) are undone. The fields come most specific first (CN first),
// whichever order the text was in. A text that is no name at all ("PKCS#12 certificate", "#3003…")
// gives no fields: show it as it is (`nameSummary` does).
// Every text main writes now escapes its values, so a value that holds ", CN=" stays one value;
// an unescaped text (an older saved report) could not tell that from a second attribute.

export interface NameField {
  /** The attribute type as certificates write it: "CN", "O", "emailAddress", or a dotted OID. */
  key: string;
  /** In words: "Common name"; an unknown type is its key. */
  label: string;
  /** Unescaped; control and invisible characters shown as U+FFFD; at most MAX_VALUE characters. */
  value: string;
}

export interface DistinguishedName {
  fields: NameField[];
  /** False when the text was cut: too long, too many fields, or a value too long to show. */
  complete: boolean;
}

export const NAME_LIMITS = { input: 4096, fields: 48, value: 256, key: 64 } as const;

const LABELS: Record<string, string> = {
  CN: 'Common name',
  O: 'Organization',
  OU: 'Organizational unit',
  C: 'Country',
  ST: 'State or province',
  L: 'Locality',
  STREET: 'Street',
  postalCode: 'Postal code',
  emailAddress: 'Email address',
  serialNumber: 'Serial number',
  DC: 'Domain component',
  UID: 'User ID',
  title: 'Title',
  GN: 'Given name',
  SN: 'Surname',
  organizationIdentifier: 'Organization identifier',
  businessCategory: 'Business category',
};

/** Other spellings of the same types (OpenSSL long names, Windows, @peculiar/x509, dotted OIDs), upper-cased. */
const ALIASES: Record<string, string> = {
  CN: 'CN',
  COMMONNAME: 'CN',
  '2.5.4.3': 'CN',
  O: 'O',
  ORGANIZATIONNAME: 'O',
  '2.5.4.10': 'O',
  OU: 'OU',
  ORGANIZATIONALUNITNAME: 'OU',
  '2.5.4.11': 'OU',
  C: 'C',
  COUNTRYNAME: 'C',
  '2.5.4.6': 'C',
  ST: 'ST',
  S: 'ST',
  STATEORPROVINCENAME: 'ST',
  '2.5.4.8': 'ST',
  L: 'L',
  LOCALITYNAME: 'L',
  '2.5.4.7': 'L',
  STREET: 'STREET',
  STREETADDRESS: 'STREET',
  '2.5.4.9': 'STREET',
  POSTALCODE: 'postalCode',
  '2.5.4.17': 'postalCode',
  EMAILADDRESS: 'emailAddress',
  EMAIL: 'emailAddress',
  E: 'emailAddress',
  '1.2.840.113549.1.9.1': 'emailAddress',
  SERIALNUMBER: 'serialNumber',
  '2.5.4.5': 'serialNumber',
  DC: 'DC',
  DOMAINCOMPONENT: 'DC',
  '0.9.2342.19200300.100.1.25': 'DC',
  UID: 'UID',
  USERID: 'UID',
  '0.9.2342.19200300.100.1.1': 'UID',
  TITLE: 'title',
  '2.5.4.12': 'title',
  GN: 'GN',
  GIVENNAME: 'GN',
  '2.5.4.42': 'GN',
  SN: 'SN',
  SURNAME: 'SN',
  '2.5.4.4': 'SN',
  ORGANIZATIONIDENTIFIER: 'organizationIdentifier',
  '2.5.4.97': 'organizationIdentifier',
  BUSINESSCATEGORY: 'businessCategory',
  '2.5.4.15': 'businessCategory',
};

/** How specific a type is, to tell the text's order: a leaf's own name, then its unit, organisation, place. */
const SPECIFICITY: Record<string, number> = { CN: 5, UID: 5, emailAddress: 5, serialNumber: 5, GN: 5, SN: 5, title: 4, OU: 3, O: 2, organizationIdentifier: 2, STREET: 1.5, postalCode: 1.5, L: 1, ST: 0.5, C: 0, DC: 0 };

// An attribute type (a name or a dotted OID, "OID." allowed) and its "=", at a position (sticky).
const TYPE = /[ \t]*((?:[A-Za-z][A-Za-z0-9-]{0,63})|(?:(?:OID\.)?[0-9]{1,10}(?:\.[0-9]{1,10}){0,31}))[ \t]*=/iy;
// Controls, line and paragraph separators, bidirectional controls, zero-width and other invisible
// characters: they make a name read otherwise than it is.
// eslint-disable-next-line no-control-regex
const UNSHOWN = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufeff\uffa0\ufff0-\ufff8]/gu;
const HEX = /^[0-9A-Fa-f]{2}$/;

/** The label of an attribute type ("CN" → "Common name"); an unknown type is its own label. */
export function nameLabel(key: string): string {
  return Object.prototype.hasOwnProperty.call(LABELS, key) ? (LABELS[key] as string) : key;
}

function canonicalKey(written: string): string {
  const upper = written.toUpperCase().replace(/^OID\./, '');
  return Object.prototype.hasOwnProperty.call(ALIASES, upper) ? (ALIASES[upper] as string) : written;
}

/** Text as it can be shown: no control or invisible characters (each becomes U+FFFD). */
export function showable(text: string): string {
  return text.replace(UNSHOWN, '\ufffd');
}

/** The attribute type written at `at` (spaces before it allowed) and where its value starts, or null. */
function typeAt(text: string, at: number): { key: string; end: number } | null {
  TYPE.lastIndex = at;
  const match = TYPE.exec(text);
  return match ? { key: match[1] as string, end: TYPE.lastIndex } : null;
}

/** UTF-8 bytes from \XX escapes as text; bytes that are not UTF-8 each become U+FFFD. */
function decodeBytes(bytes: number[]): string {
  try {
    return decodeURIComponent(bytes.map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''));
  } catch {
    return bytes.map((b) => (b < 0x80 ? String.fromCharCode(b) : '\ufffd')).join('');
  }
}

interface Attribute {
  key: string;
  value: string;
  rdn: number;
}

/** Reads one value from `at`; returns it and where the next attribute type starts (or -1), and whether it joins this RDN. */
function readValue(text: string, at: number): { value: string; next: number; sameRdn: boolean } {
  let value = '';
  let kept = 0; // length of value without its unescaped trailing spaces
  let bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length === 0) return;
    value += decodeBytes(bytes);
    kept = value.length;
    bytes = [];
  };
  let i = at;
  // Leading spaces are not part of a value (RFC 4514 §3: an escaped one is).
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '\\') {
      const pair = text.slice(i + 1, i + 3);
      if (HEX.test(pair)) {
        bytes.push(parseInt(pair, 16));
        i += 3;
        continue;
      }
      flush();
      if (i + 1 < text.length) {
        value += text[i + 1];
        kept = value.length;
        i += 2;
      } else {
        value += ch;
        kept = value.length;
        i += 1;
      }
      continue;
    }
    flush();
    if (ch === ',' || ch === ';' || ch === '+' || ch === '\n' || ch === '\r') {
      let j = i + 1;
      if (ch === '\r' && text[j] === '\n') j++;
      const type = typeAt(text, j);
      if (type) return { value: value.slice(0, kept), next: j, sameRdn: ch === '+' };
    }
    value += ch;
    if (ch !== ' ' && ch !== '\t') kept = value.length;
    i++;
  }
  flush();
  return { value: value.slice(0, kept), next: -1, sameRdn: false };
}

/** Whether the text lists its most specific RDN last (Node's and OpenSSL's default order). */
function leastSpecificFirst(attributes: Attribute[]): boolean {
  const ranked: Array<[number, number]> = [];
  for (const a of attributes) {
    const rank = SPECIFICITY[a.key];
    if (rank !== undefined) ranked.push([a.rdn, rank]);
  }
  if (ranked.length < 2) return false;
  const meanRdn = ranked.reduce((sum, [r]) => sum + r, 0) / ranked.length;
  const meanRank = ranked.reduce((sum, [, k]) => sum + k, 0) / ranked.length;
  return ranked.reduce((sum, [r, k]) => sum + (r - meanRdn) * (k - meanRank), 0) > 0;
}

/** The fields of a distinguished name, most specific first. No fields: the text is no name. */
export function parseDistinguishedName(text: unknown): DistinguishedName {
  if (typeof text !== 'string') return { fields: [], complete: true };
  let complete = text.length <= NAME_LIMITS.input;
  const input = complete ? text : text.slice(0, NAME_LIMITS.input);
  const attributes: Attribute[] = [];
  let rdn = 0;
  let at = 0;
  // Leading separators and space (", CN=x" or a newline first) are skipped.
  while (at < input.length && ' \t\r\n'.includes(input[at] as string)) at++;
  while (at >= 0 && at < input.length) {
    const type = typeAt(input, at);
    if (!type) break; // only at the start: later, readValue stops only where a type follows
    if (attributes.length >= NAME_LIMITS.fields) {
      complete = false;
      break;
    }
    const read = readValue(input, type.end);
    // The text was cut inside this value: say so.
    let value = read.next < 0 && input.length < text.length ? `${read.value}…` : read.value;
    if (value.length > NAME_LIMITS.value) {
      value = `${value.slice(0, NAME_LIMITS.value - 1)}…`;
      complete = false;
    }
    attributes.push({ key: canonicalKey(type.key), value: showable(value), rdn });
    if (read.next < 0) break;
    if (!read.sameRdn) rdn++;
    at = read.next;
  }
  if (attributes.length === 0) return { fields: [], complete };
  const ordered = leastSpecificFirst(attributes) ? reverseRdns(attributes) : attributes;
  return { fields: ordered.map((a) => ({ key: a.key, label: nameLabel(a.key), value: a.value })), complete };
}

/** RDNs in reverse order, the attributes of each multi-valued RDN kept in theirs. */
function reverseRdns(attributes: Attribute[]): Attribute[] {
  const groups: Attribute[][] = [];
  for (const a of attributes) {
    const group = groups[groups.length - 1];
    if (group && group[0]?.rdn === a.rdn) group.push(a);
    else groups.push([a]);
  }
  return groups.reverse().flat();
}

/**
 * A name on one line for plain text (a tooltip, a message): "CN km.example.com · O Example Corp".
 * A text that is no name is shown as it is (showable, bounded); an empty one as '—'.
 */
export function nameSummary(text: unknown): string {
  const { fields, complete } = parseDistinguishedName(text);
  if (fields.length === 0) {
    const raw = typeof text === 'string' ? showable(text.trim()) : '';
    if (raw === '') return '—';
    return raw.length > NAME_LIMITS.value ? `${raw.slice(0, NAME_LIMITS.value - 1)}…` : raw;
  }
  const shown = fields.map((f) => `${f.key} ${f.value}`).join(' · ');
  return complete || shown.endsWith('…') ? shown : `${shown} …`;
}

// Certificate names as fields (src/shared/distinguished-name.ts): the texts main really writes for
// real certificates (the engine's summary, a trusted CA's or client certificate's subject, the
// authorities a server names), read back into CN, O, OU…, most specific first; and names a hostile
// server could choose, which must neither throw nor take long nor read as what they are not.
import '../../tools/certificates'; // first: the Reflect polyfill and WebCrypto provider @peculiar/x509 needs
import { X509Certificate, webcrypto } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import * as x509 from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { summariseCertificate } from '../../src/main/core/connection-test/certificate';
import { certificateNames } from '../../src/main/core/connection-test/tls-wire/client-issuer';
import { describeCertificate } from '../../src/main/core/trust/certificate-files';
import { NAME_LIMITS, nameLabel, nameSummary, parseDistinguishedName } from '../../src/shared/distinguished-name';
import { issueCertificate } from '../../tools/certificates';

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** A self-signed certificate with exactly this subject (RDNs in DER order: least specific first, as CAs write them). */
// A value may be { utf8String } (peculiar's JSON names take it, though its type says string): written as is, unparsed.
async function certificateNamed(name: Array<Record<string, Array<string | { utf8String: string }>>>): Promise<string> {
  const keys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({ name: new x509.Name(name as x509.JsonName), keys, signingAlgorithm: EC, notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000) });
  return cert.toString('pem');
}

/** The three texts main writes for one certificate's subject. */
function subjectTexts(pem: string): { engine: string; trusted: string; named: string } {
  const cert = new X509Certificate(pem);
  return {
    engine: summariseCertificate(cert.toLegacyObject() as unknown as PeerCertificate)?.subject ?? '',
    trusted: describeCertificate(pem).subject,
    named: certificateNames(cert.raw).subject.text,
  };
}

const pairs = (text: string): string[] => parseDistinguishedName(text).fields.map((f) => `${f.key}=${f.value}`);

describe('names from real certificates', () => {
  it('reads a test certificate (tools/certificates.ts) in each of main\'s texts', async () => {
    const { certPem } = await issueCertificate({ commonName: 'keymanager.example.com' });
    for (const text of Object.values(subjectTexts(certPem))) {
      expect(parseDistinguishedName(text)).toEqual({ fields: [{ key: 'CN', label: 'Common name', value: 'keymanager.example.com' }], complete: true });
    }
  });

  it('reads a CA-style subject, most specific first, whichever order the text is in', async () => {
    const pem = await certificateNamed([{ C: ['FI'] }, { ST: ['Uusimaa'] }, { L: ['Espoo'] }, { O: ['Example Corp'] }, { OU: ['IT'] }, { CN: ['keymanager.example.com'] }, { E: ['pki@example.com'] }]);
    const texts = subjectTexts(pem);
    expect(texts.engine.startsWith('C=FI')).toBe(true);
    expect(texts.named.startsWith('emailAddress=')).toBe(true);
    const expected = ['emailAddress=pki@example.com', 'CN=keymanager.example.com', 'OU=IT', 'O=Example Corp', 'L=Espoo', 'ST=Uusimaa', 'C=FI'];
    for (const text of Object.values(texts)) expect(pairs(text)).toEqual(expected);
    expect(parseDistinguishedName(texts.trusted).fields.map((f) => f.label)).toEqual(['Email address', 'Common name', 'Organizational unit', 'Organization', 'Locality', 'State or province', 'Country']);
    expect(nameSummary(texts.engine)).toBe('emailAddress pki@example.com · CN keymanager.example.com · OU IT · O Example Corp · L Espoo · ST Uusimaa · C FI');
  });

  it('undoes RFC 4514 escaping: commas, plus, quotes, a leading "#", UTF-8', async () => {
    const pem = await certificateNamed([{ C: ['FI'] }, { O: [{ utf8String: 'Example, Inc.' }] }, { OU: [{ utf8String: '#1 "R&D" <a+b>; Zoë 日本 😀' }] }, { CN: ['km'] }]);
    const { trusted, named, engine } = subjectTexts(pem);
    expect(trusted).toContain('Example\\, Inc.');
    const expected = ['CN=km', 'OU=#1 "R&D" <a+b>; Zoë 日本 😀', 'O=Example, Inc.', 'C=FI'];
    expect(pairs(trusted)).toEqual(expected);
    expect(pairs(named)).toEqual(expected);
    // The engine's text is escaped the same way (RFC 4514), so it reads back the same.
    expect(engine).toContain('Example\\, Inc.');
    expect(pairs(engine)).toEqual(expected);
  });

  it("a server's certificate with an O of \", CN=bank.example\" shows one common name, in every text", async () => {
    const pem = await certificateNamed([{ O: [{ utf8String: 'Evil, CN=bank.example' }] }, { OU: ['a'] }, { OU: ['b'] }, { CN: ['evil.example'] }]);
    for (const text of Object.values(subjectTexts(pem))) {
      expect(parseDistinguishedName(text).fields.filter((f) => f.key === 'CN').map((f) => f.value)).toEqual(['evil.example']);
      expect(pairs(text)).toContain('O=Evil, CN=bank.example');
    }
  });

  it('reads hex escapes of UTF-8 (as OpenSSL writes with ESC_MSB) and keeps a "#" value as it is', () => {
    expect(pairs('CN=Zo\\C3\\AB, O=#0403616263')).toEqual(['CN=Zoë', 'O=#0403616263']);
    expect(pairs('CN=\\E6\\97\\A5\\E6\\9C\\AC')).toEqual(['CN=日本']);
  });

  it('reads multi-valued RDNs, keeping their attributes together when the order turns', async () => {
    const pem = await certificateNamed([{ DC: ['com'] }, { DC: ['example'] }, { DC: ['corp'] }, { OU: ['Servers'] }, { CN: [{ utf8String: 'a + b' }], '0.9.2342.19200300.100.1.1': ['km01'] }]);
    const { trusted, named } = subjectTexts(pem);
    expect(trusted).toContain('CN=a \\+ b + UID=km01');
    expect(named).toContain('CN=a \\+ b+UID=km01');
    const expected = ['CN=a + b', 'UID=km01', 'OU=Servers', 'DC=corp', 'DC=example', 'DC=com'];
    expect(pairs(trusted)).toEqual(expected);
    expect(pairs(named)).toEqual(expected);
  });

  it('shows unknown attribute types as they are written', async () => {
    const pem = await certificateNamed([{ C: ['FI'] }, { '1.2.3.4': ['odd'] }, { CN: ['km'] }]);
    for (const text of Object.values(subjectTexts(pem))) {
      expect(parseDistinguishedName(text).fields).toContainEqual({ key: '1.2.3.4', label: '1.2.3.4', value: 'odd' });
    }
    expect(nameLabel('jurisdictionC')).toBe('jurisdictionC');
    expect(pairs('OID.2.5.4.3=km, E=a@b.c, S=Uusimaa, SERIALNUMBER=42, 2.5.4.10=Org')).toEqual(['OID.2.5.4.3=km', 'emailAddress=a@b.c', 'ST=Uusimaa', 'serialNumber=42', 'O=Org'].map((p) => p.replace('OID.2.5.4.3', 'CN')));
  });

  it('reads the raw X509Certificate.subject, one RDN a line', async () => {
    const pem = await certificateNamed([{ C: ['FI'] }, { O: ['Example Corp'] }, { CN: ['km'] }]);
    expect(pairs(new X509Certificate(pem).subject)).toEqual(['CN=km', 'O=Example Corp', 'C=FI']);
  });
});

describe('texts that are no name', () => {
  it.each(['', '   ', 'PKCS#12 certificate', '#30030101ff', 'Collector CA', '=value', ',,,', '+', '\\'])('%j gives no fields, and shows as it is', (text) => {
    expect(parseDistinguishedName(text).fields).toEqual([]);
    expect(nameSummary(text)).toBe(text.trim() === '' ? '—' : text.trim());
  });

  it('takes anything that is not a string', () => {
    for (const value of [null, undefined, 42, {}, ['CN=x']]) expect(parseDistinguishedName(value)).toEqual({ fields: [], complete: true });
  });
});

describe('hostile names', () => {
  it('keeps an escaped ", CN=" inside its value: no second common name', () => {
    expect(pairs('CN=evil.example, O=Bank\\, CN=bank.example')).toEqual(['CN=evil.example', 'O=Bank, CN=bank.example']);
    expect(pairs('CN=evil.example\\0ACN=bank.example')).toEqual(['CN=evil.example\ufffdCN=bank.example']);
  });

  it('shows control, bidirectional and invisible characters, never applies them', async () => {
    const pem = await certificateNamed([{ CN: [{ utf8String: 'line\nbreak\u202Emoc.knab\u200B\u0000x' }] }]);
    for (const text of Object.values(subjectTexts(pem))) {
      const [field] = parseDistinguishedName(text).fields;
      expect(field?.value).not.toMatch(/[\u202e\u200b]/);
      expect([...(field?.value ?? '')].filter((ch) => ch.charCodeAt(0) < 0x20)).toEqual([]);
    }
    expect(pairs('CN=a\u202Eb\\00c\\0Ad')).toEqual(['CN=a\ufffdb\ufffdc\ufffdd']);
  });

  it('bounds a very long name, and says it was cut', () => {
    const started = performance.now();
    const long = parseDistinguishedName(`CN=${'a'.repeat(1_000_000)}`);
    expect(long.complete).toBe(false);
    expect(long.fields).toHaveLength(1);
    expect(long.fields[0]?.value.length).toBe(NAME_LIMITS.value);
    expect(long.fields[0]?.value.endsWith('…')).toBe(true);

    const many = parseDistinguishedName('OU=x, '.repeat(10_000));
    expect(many.complete).toBe(false);
    expect(many.fields.length).toBeLessThanOrEqual(NAME_LIMITS.fields);
    expect(nameSummary('OU=x, '.repeat(10_000)).endsWith('…')).toBe(true);

    // Texts that make a naive parser backtrack or rescan.
    for (const text of [', '.repeat(50_000), `CN=${' '.repeat(100_000)}x`, `CN=${'\\'.repeat(100_001)}`, `CN=${'\\C3'.repeat(50_000)}`, `${'a'.repeat(63)}=`.repeat(2_000), `CN=${', a'.repeat(50_000)}`, `CN=${'+ '.repeat(50_000)}`, `${'1.'.repeat(50_000)}=x`]) {
      expect(() => parseDistinguishedName(text)).not.toThrow();
      expect(() => nameSummary(text)).not.toThrow();
    }
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('never throws on broken escapes and bytes', () => {
    for (const text of ['CN=\\', 'CN=\\z', 'CN=\\C3', 'CN=\\FF\\FE', 'CN=\\C3\\28', 'CN=\\E6\\97', 'CN=a\\', 'CN=\ud800', 'CN=\\\\, O=\\,']) {
      expect(() => parseDistinguishedName(text)).not.toThrow();
    }
    expect(pairs('CN=\\FF\\41')).toEqual(['CN=\ufffdA']);
    expect(pairs('CN=\\\\, O=\\,')).toEqual(['CN=\\', 'O=,']);
  });

  it('drops unescaped spaces around values, keeps escaped ones', () => {
    expect(pairs('CN =  km  ,  O= Corp ')).toEqual(['CN=km', 'O=Corp']);
    expect(pairs('CN=\\ km\\ ')).toEqual(['CN= km ']);
  });
});

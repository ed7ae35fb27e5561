// Table-driven checks of what an admin may type: server addresses and pasted API tokens.
import { describe, expect, it } from 'vitest';
import { parseServerAddress } from '../../src/main/core/address/parse-address';
import { checkApiToken, maskToken } from '../../src/main/core/secrets/token-rules';
import { checkProxySetting } from '../../src/main/core/trust/certificate-files';
import { readPassportalAnswer } from '../../src/main/core/connection-test/auth-methods';

describe('server address', () => {
  it.each([
    ['keymanager.example.com', 'https://keymanager.example.com/api/v3/'],
    ['  keymanager.example.com  ', 'https://keymanager.example.com/api/v3/'],
    ['keymanager.example.com:8443', 'https://keymanager.example.com:8443/api/v3/'],
    ['HTTPS://KeyManager.Example.com', 'https://keymanager.example.com/api/v3/'],
    ['https://keymanager.example.com/', 'https://keymanager.example.com/api/v3/'],
    ['https://keymanager.example.com/api/v3', 'https://keymanager.example.com/api/v3/'],
    ['https://proxy.example.com/pkm', 'https://proxy.example.com/pkm/api/v3/'],
    ['[::1]:9443', 'https://[::1]:9443/api/v3/'],
    ['10.0.0.5', 'https://10.0.0.5/api/v3/'],
  ])('%s -> %s', (typed, url) => {
    const parsed = parseServerAddress(typed);
    expect(parsed.ok && parsed.testUrl).toBe(url);
  });

  it.each([
    ['', /Enter the server address/],
    ['key manager.example.com', /spaces/],
    ['ftp://keymanager.example.com', /not a web address/],
    ['https://', /not a valid server address/],
    ['https://admin:secret@keymanager.example.com', /user name and password/],
    ['https://keymanager.example.com/?token=abc', /"\?…"/],
    ['keymanager.example.com:99999', /not a valid/],
  ])('refuses %j', (typed, message) => {
    const parsed = parseServerAddress(typed);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(message);
  });

  it.each([
    ['km.example.com', '/restapi/json/v1/resources', 'https://km.example.com/restapi/json/v1/resources'],
    ['https://km.example.com/restapi/json/v1/resources', '/restapi/json/v1/resources', 'https://km.example.com/restapi/json/v1/resources'],
    ['pp.example.com', '/api/v2/documents?resultsPerPage=1', 'https://pp.example.com/api/v2/documents?resultsPerPage=1'],
    ['https://proxy.example.com/pkm/', 'api/v3/', 'https://proxy.example.com/pkm/api/v3/'],
  ])('%s with endpoint %s -> %s', (typed, endpoint, url) => {
    const parsed = parseServerAddress(typed, endpoint);
    expect(parsed.ok && parsed.testUrl).toBe(url);
  });

  it('marks http:// as insecure and knows default ports', () => {
    const http = parseServerAddress('http://km.example.com');
    expect(http.ok && [http.insecureHttp, http.port]).toEqual([true, 80]);
    const https = parseServerAddress('km.example.com');
    expect(https.ok && [https.insecureHttp, https.port, https.hostname]).toEqual([false, 443, 'km.example.com']);
  });
});

// What an address shows must be what it reaches. The WHATWG URL parser reads "\\" as "/", decodes
// %-escapes and maps look-alike letters in a host: such text is refused, and `canonical` is what a
// test will reach (punycode host, the port as typed, the path as resolved), to store and show.
describe('server address: shown is reached', () => {
  it.each([
    ['https://host:8443\\@km.corp.example', /backslash/],
    ['https://km.corp.example\\api', /backslash/],
    ['km.corp.example\\', /backslash/],
    ['https://km.corp.example/pkm\\..\\..\\evil', /backslash/],
    ['https://km.corp.example@evil.example', /user name and password/],
    ['km.corp.example@evil.example:8443', /user name and password/],
    ['https://:secret@km.corp.example', /user name and password/],
    ['https://%6bm.corp.example', /"%"/],
    ['km%2ecorp.example', /"%"/],
    ['https:/km.corp.example', /two slashes/],
    ['https:km.corp.example', /two slashes/],
    ['https:///km.corp.example', /two slashes/],
    ['https://km.corp.example#@evil.example', /"#…"/],
  ])('refuses %j', (typed, message) => {
    const parsed = parseServerAddress(typed);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(message);
  });

  it.each([
    ['km.corp.example', 'https://km.corp.example', null],
    ['HTTPS://KM.Corp.Example/', 'https://km.corp.example', null],
    ['km.corp.example:8443', 'https://km.corp.example:8443', null],
    ['km.corp.example:08443/pkm/', 'https://km.corp.example:8443/pkm/', null],
    ['https://km.corp.example/pkm/../api/v3', 'https://km.corp.example/api/v3', null],
    ['https://km.corp.example/%2e%2e/pkm', 'https://km.corp.example/pkm', null],
    ['http://km.corp.example', 'http://km.corp.example', null],
    ['[::1]:9443', 'https://[::1]:9443', null],
    ['0x7f.1:8443', 'https://127.0.0.1:8443', null],
    ['2130706433', 'https://127.0.0.1', null],
    ['ｋｍ。corp.example', 'https://km.corp.example', null],
    ['bücher.example', 'https://xn--bcher-kva.example', 'bücher.example'],
    ['https://xn--bcher-kva.example:8443/pkm', 'https://xn--bcher-kva.example:8443/pkm', 'bücher.example'],
    // A Cyrillic "а" (U+0430): looks like apple.example, is another host.
    ['https://\u0430pple.example', 'https://xn--pple-43d.example', '\u0430pple.example'],
  ])('%j reaches %s (Unicode host %s)', (typed, canonical, unicode) => {
    const parsed = parseServerAddress(typed);
    expect(parsed.ok && [parsed.canonical, parsed.unicodeHostname]).toEqual([canonical, unicode]);
    // What is stored and shown leads where the typed text did, for every product's port and path.
    for (const [path, port] of [[undefined, undefined], ['/restapi/json/v1/resources', 7272]] as const) {
      const once = parseServerAddress(typed, path, port);
      const again = parseServerAddress(canonical, path, port);
      expect(again).toEqual(once);
    }
  });

  it('a port typed as the scheme\'s own is kept: the product\'s default port does not replace it', () => {
    const typed = parseServerAddress('pmp.corp.example:443', undefined, 7272);
    expect(typed.ok && [typed.port, typed.origin, typed.canonical]).toEqual([443, 'https://pmp.corp.example', 'https://pmp.corp.example:443']);
    const none = parseServerAddress('pmp.corp.example', undefined, 7272);
    expect(none.ok && [none.port, none.origin, none.canonical]).toEqual([7272, 'https://pmp.corp.example:7272', 'https://pmp.corp.example']);
  });
});

describe('API token', () => {
  const seedToken = 'Wg7ASgddKzXwEStPoUvMDzwYO3NDFj';
  it.each([
    [seedToken, seedToken],
    [`${seedToken}\n`, seedToken],
    [`\uFEFF${seedToken}\r\n`, seedToken],
    [`  ${seedToken}  `, seedToken],
  ])('accepts %j', (raw, token) => {
    expect(checkApiToken(raw)).toEqual({ ok: true, token });
  });

  it.each([
    ['', /empty/],
    ['   \n', /empty/],
    ['-----BEGIN PRIVATE KEY-----\nMIIE', /PEM/],
    ['{"token":"abc"}', /JSON/],
    ['<!DOCTYPE html><html>', /HTML/],
    ['two tokens\nhere', /spaces or line breaks/],
    ['tökén', /cannot be sent/],
    ['x'.repeat(9000), /longer than/],
  ])('refuses %j without echoing it', (raw, message) => {
    const checked = checkApiToken(raw);
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(checked.message).toMatch(message);
      if (raw.trim().length > 3) expect(checked.message).not.toContain(raw.trim());
    }
  });

  it('masks: 4 characters of a long token, 2 of a medium one, none of a short one', () => {
    expect(maskToken(seedToken)).toBe('••••NDFj');
    expect(maskToken('abcdefghij')).toBe('••••ij');
    expect(maskToken('abc')).toBe('••••');
  });
});

describe('a proxy setting is read as typed (second review)', () => {
  it.each(['http:/u:S3cretPw@proxy:3128', 'http:\\\\proxy:3128', 'http:///proxy', 'http:proxy'])('%j is refused, not read as the host "http"', (text) => {
    const checked = checkProxySetting(text);
    expect(checked.ok).toBe(false);
    expect(JSON.stringify(checked)).not.toContain('S3cretPw');
  });

  it.each([
    ['proxy.example.com:3128', 'http://proxy.example.com:3128'],
    ['http://proxy.example.com:3128', 'http://proxy.example.com:3128'],
    ['127.0.0.1:3128', 'http://127.0.0.1:3128'],
  ])('%j is the proxy %s', (text, value) => {
    expect(checkProxySetting(text)).toEqual({ ok: true, value });
  });
});

describe("a Passportal token answer's expiry (second review)", () => {
  it('a time no date can hold is left out, not an unexpected error', () => {
    const answer = readPassportalAnswer(JSON.stringify({ success: true, access_token: 'issued-token-value', expiry_time: 1e300 }));
    expect(answer).toMatchObject({ ok: true });
    expect(JSON.stringify(answer)).not.toMatch(/Invalid|NaN/);
    expect(readPassportalAnswer(JSON.stringify({ success: true, access_token: 'issued-token-value', expiry_time: 1_900_000_000 }))).toMatchObject({ ok: true, expiresAt: '2030-03-17T17:46:40.000Z' });
  });
});

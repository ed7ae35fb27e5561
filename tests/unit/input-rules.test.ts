// Table-driven checks of what an admin may type: server addresses and pasted API tokens.
import { describe, expect, it } from 'vitest';
import { parseServerAddress } from '../../src/main/core/address/parse-address';
import { checkApiToken, maskToken } from '../../src/main/core/secrets/token-rules';

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

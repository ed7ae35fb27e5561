// Paste to fill (issue #16): what a curl command, an HTTPie command or a URL with its header lines
// fills in the connection form, and that the key in it is handed back only as `secret`: every case
// below goes through `paste`, which fails when any other returned string holds the secret.
import { describe, expect, it } from 'vitest';
import { PASTE_LIMIT, pastedConnection, type PastedConnection } from '../../src/shared/paste-connection';

const SECRET = 'kb-s3cr3t-Zq9vX7wP2';
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** Every string in the result except `secret` itself. */
function shownStrings(result: PastedConnection): string[] {
  const { secret: _secret, ...rest } = result;
  const out: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') out.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(rest);
  return out;
}

/** The paste's result, after checking that no secret shows anywhere but in `secret`. */
function paste(text: string, ...secrets: string[]): PastedConnection | null {
  const result = pastedConnection(text);
  if (result) {
    for (const s of [SECRET, b64(`bob:${SECRET}`), ...secrets]) expect(shownStrings(result).filter((t) => t.includes(s))).toEqual([]);
  }
  return result;
}

/** A paste that must fill something. */
function filled(text: string, ...secrets: string[]): PastedConnection {
  const result = paste(text, ...secrets);
  expect(result).not.toBeNull();
  return result as PastedConnection;
}

const usable = (result: PastedConnection): void => expect(result.problems).toEqual([]);

describe('a plain address keeps the normal paste', () => {
  it.each(['', '   ', 'km.example.com', 'km.example.com:7272', 'https://km.example.com', 'https://km.example.com/api/v3/', 'https://km.example.com:7272/restapi/json/v1/?x=1', '[::1]:8443', 'localhost:8443', 'hello world', 'a'.repeat(1000)])('%j', (text) => {
    expect(pastedConnection(text)).toBeNull();
  });
});

describe('Postman "Copy as cURL"', () => {
  it('bash, single quotes, \\ continuations (the default)', () => {
    const r = filled(`curl --location 'https://km.example.com/api/v3/' \\\n--header 'Accept: application/json' \\\n--header 'Authorization: Bearer ${SECRET}'`);
    expect(r).toEqual({ serverAddress: 'https://km.example.com', endpoint: '/api/v3/', auth: { method: 'bearer' }, secret: SECRET, verifyCertificate: null, product: null, warnings: [], problems: [] });
  });

  it('with an explicit --request GET and double quotes', () => {
    const r = filled(`curl --location --request GET "https://ss.example.com/SecretServer/api/v1/users/current" \\\n--header "Authorization: Bearer ${SECRET}"`);
    usable(r);
    expect(r).toMatchObject({ serverAddress: 'https://ss.example.com', endpoint: '/SecretServer/api/v1/users/current', auth: { method: 'bearer' }, secret: SECRET, warnings: [] });
  });

  it('cmd, ^ continuations and double quotes (Windows)', () => {
    const r = filled(`curl --location "https://km.example.com:7272/restapi/json/v1/resources" ^\r\n--header "AUTHTOKEN: ${SECRET}"`);
    usable(r);
    expect(r).toMatchObject({ serverAddress: 'https://km.example.com:7272', endpoint: '/restapi/json/v1/resources', auth: { method: 'header', headerName: 'AUTHTOKEN' }, secret: SECRET, product: 'manageengine-pmp' });
  });

  it('cmd continuations with single quotes', () => {
    const r = filled(`curl --location 'https://km.example.com/api/v3/' ^\n--header 'Authorization: Bearer ${SECRET}'`);
    expect(r).toMatchObject({ endpoint: '/api/v3/', secret: SECRET, problems: [] });
  });

  it('PowerShell, backtick continuations', () => {
    const r = filled(`curl.exe --location 'https://km.example.com/api' \`\n--header 'X-Api-Key: ${SECRET}' \`\n--header 'Content-Type: application/json'`);
    usable(r);
    expect(r).toMatchObject({ serverAddress: 'https://km.example.com', endpoint: '/api', auth: { method: 'header', headerName: 'X-Api-Key' }, secret: SECRET, warnings: [] });
  });

  it('a Basic auth request as Postman writes it', () => {
    const r = filled(`curl --location 'https://km.example.com/api/v1/ping' \\\n--header 'Authorization: Basic ${b64(`bob:${SECRET}`)}'`);
    usable(r);
    expect(r).toMatchObject({ auth: { method: 'basic', username: 'bob' }, secret: SECRET });
  });

  it('a POST with a JSON body: method and body ignored, with words for both', () => {
    const r = filled(`curl --location --request POST 'https://km.example.com/api/v2/auth' \\\n--header 'Content-Type: application/json' \\\n--header 'x-api-key: ${SECRET}' \\\n--data-raw '{"scope":"docs_api","password":"other"}'`);
    usable(r);
    expect(r.warnings).toEqual(['--request POST ignored: Keybridge tests with GET.', 'A request body (--data-raw) is ignored: Keybridge tests with GET.']);
    expect(r.warnings.join(' ')).not.toContain('other');
  });
});

describe('Bruno and Insomnia (httpsnippet) and browsers', () => {
  it('--request GET --url --header, indented', () => {
    const r = filled(`curl --request GET \\\n  --url 'https://km.example.com/api/v3/?limit=1' \\\n  --header 'authorization: Bearer ${SECRET}'`);
    usable(r);
    expect(r).toMatchObject({ serverAddress: 'https://km.example.com', endpoint: '/api/v3/?limit=1', auth: { method: 'bearer' }, secret: SECRET });
  });

  it('a browser\'s "Copy as cURL (bash)": its many headers are dropped, a cookie is named', () => {
    const r = filled(
      `curl 'https://km.example.com/api/v3/' \\\n  -H 'accept: application/json, text/plain, */*' \\\n  -H 'accept-language: en-GB,en;q=0.9' \\\n  -H 'authorization: Bearer ${SECRET}' \\\n  -H 'cookie: session=cookie-value-123' \\\n  -H 'sec-ch-ua: "Chromium";v="130"' \\\n  -H 'sec-fetch-mode: cors' \\\n  -H 'user-agent: Mozilla/5.0' \\\n  --compressed`,
      'cookie-value-123',
    );
    usable(r);
    expect(r.secret).toBe(SECRET);
    expect(r.warnings).toEqual(['The Cookie header is ignored: Keybridge sends only the key.']);
  });

  it('a browser\'s "Copy as cURL (cmd)": ^" quotes, ^ escapes, \\^" inside', () => {
    const r = filled(`curl ^"https://km.example.com/api/v3/?a=1^&b=^%^41^" ^\n  -H ^"accept: application/json^" ^\n  -H ^"authorization: Bearer ${SECRET}^" ^\n  --data-raw ^"^{^\\^"a^\\^":1^}^" ^\n  --compressed`);
    usable(r);
    expect(r).toMatchObject({ serverAddress: 'https://km.example.com', endpoint: '/api/v3/?a=1&b=%41', secret: SECRET });
    expect(r.warnings).toEqual(['A request body (--data-raw) is ignored: Keybridge tests with GET.']);
  });
});

describe('the products', () => {
  it('PrivX: a bearer token and /api/v3/', () => {
    expect(filled(`curl -k -H "Authorization: Bearer ${SECRET}" https://pkm.example.com/api/v3/`)).toMatchObject({ serverAddress: 'https://pkm.example.com', endpoint: '/api/v3/', auth: { method: 'bearer' }, verifyCertificate: false, problems: [] });
  });

  it('Thales STA: the tenant base stays in the address, the endpoint is relative to it', () => {
    const r = filled(`curl 'https://api.eu.safenetid.com/api/v1/tenants/ABCD1234/scim/v2/Users?startIndex=1&count=1' -H 'apikey: ${SECRET}'`);
    usable(r);
    expect(r).toMatchObject({ serverAddress: 'https://api.eu.safenetid.com/api/v1/tenants/ABCD1234/', endpoint: 'scim/v2/Users?startIndex=1&count=1', auth: { method: 'header', headerName: 'apikey' }, product: 'thales-sta' });
  });

  it('Password Manager Pro: AUTHTOKEN, and a typed port is kept, even :443', () => {
    const r = filled(`curl -H 'AUTHTOKEN: ${SECRET}' https://pmp.example.com:443/restapi/json/v1/resources`);
    expect(r).toMatchObject({ serverAddress: 'https://pmp.example.com:443', product: 'manageengine-pmp', problems: [] });
  });

  it('Passportal: a signed request is refused, with the way to enter the key pair', () => {
    const hash = 'a'.repeat(64);
    const r = filled(`curl -X POST https://ppl.example.com/api/v2/auth/client_token -H 'x-key: AKID123456' -H 'x-hash: ${hash}' -d '{"scope":"docs_api","content":"abc"}'`, hash);
    expect(r.product).toBe('passportal');
    expect(r.problems.join(' ')).toMatch(/Access key ID and the Secret access key/);
    expect(r.secret).toBeNull();
  });
});

describe('curl options', () => {
  it('-k and --insecure turn certificate checks off; without them nothing is said', () => {
    expect(filled(`curl --insecure -H 'apikey: ${SECRET}' https://km.example.com/`).verifyCertificate).toBe(false);
    expect(filled(`curl -H 'apikey: ${SECRET}' https://km.example.com/`).verifyCertificate).toBeNull();
  });

  it('a cluster of short options, and values attached to them', () => {
    const r = filled(`curl -sSLkv -XPOST -HAuthorization:\\ Bearer\\ ${SECRET} https://km.example.com/x`);
    expect(r).toMatchObject({ verifyCertificate: false, auth: { method: 'bearer' }, secret: SECRET, warnings: ['-X POST ignored: Keybridge tests with GET.'] });
  });

  it('-X GET, --compressed, -s, -S, -v, -L, -i, -A and -o say nothing', () => {
    const r = filled(`curl -X GET --compressed -s -S -v -L -i -A 'agent/1' -o out.json -m 10 -H 'apikey: ${SECRET}' https://km.example.com/`);
    expect(r.warnings).toEqual([]);
    expect(r.problems).toEqual([]);
  });

  it('-u user:password is Basic; the user name is not a secret, the password is', () => {
    expect(filled(`curl -u 'admin:${SECRET}' https://km.example.com/api`)).toMatchObject({ auth: { method: 'basic', username: 'admin' }, secret: SECRET, problems: [] });
    expect(filled(`curl --user admin:${SECRET} https://km.example.com/api`).secret).toBe(SECRET);
  });

  it('-u user without a password asks for it; an empty password or user is a problem', () => {
    expect(filled('curl -u admin https://km.example.com/api')).toMatchObject({ auth: { method: 'basic', username: 'admin' }, secret: null, warnings: ['The password is not in -u: enter it in the token field.'], problems: [] });
    expect(filled(`curl -u ${SECRET}: https://km.example.com/api`)).toMatchObject({ auth: null, secret: null, problems: [expect.stringMatching(/empty password/)] });
    expect(filled(`curl -u :${SECRET} https://km.example.com/api`).problems).toEqual(['-u has no user name.']);
  });

  it('--oauth2-bearer is a bearer token', () => {
    expect(filled(`curl --oauth2-bearer ${SECRET} https://km.example.com/api`)).toMatchObject({ auth: { method: 'bearer' }, secret: SECRET, problems: [] });
  });

  it('-G moves the data to the query (encoded for --data-urlencode); --url and --url-query', () => {
    expect(filled(`curl -G -d resultsPerPage=1 --data-urlencode 'q=a b' -H 'apikey: ${SECRET}' https://km.example.com/api/v2/documents`).endpoint).toBe('/api/v2/documents?resultsPerPage=1&q=a%20b');
    expect(filled(`curl --url https://km.example.com/a --url-query 'x=1 2' -H 'apikey: ${SECRET}'`).endpoint).toBe('/a?x=1%202');
  });

  it('-G with a key in its data: the key leaves the query', () => {
    const r = filled(`curl -G https://km.example.com/api -d api_key=${SECRET} -d page=2`);
    expect(r).toMatchObject({ endpoint: '/api?page=2', secret: SECRET, auth: null, problems: [] });
  });

  it('-I, --proxy, -x, --cacert, --cert, -E, --key, -b, -H @file, --netrc, -K: each named, with where to set it', () => {
    const r = filled(`curl -I --proxy http://proxy:3128 -x http://p2:8080 --cacert ca.pem --cert c.pem -E c2.pem --key k.pem -b 'sid=1' -H @headers.txt --netrc -K cfg -H 'apikey: ${SECRET}' https://km.example.com/`);
    expect(r.warnings).toEqual([
      '-I (HEAD) ignored: Keybridge tests with GET.',
      '--proxy ignored: set the proxy under Proxy.',
      '-x ignored: set the proxy under Proxy.',
      '--cacert ignored: add the certificate or key in the TLS tab.',
      '--cert ignored: add the certificate or key in the TLS tab.',
      '-E ignored: add the certificate or key in the TLS tab.',
      '--key ignored: add the certificate or key in the TLS tab.',
      '-b ignored: Keybridge sends only the key.',
      '-H @file ignored: paste the headers themselves.',
      '--netrc ignored: paste the user name and password themselves.',
      '-K ignored: paste the options themselves.',
    ]);
    expect(r.problems).toEqual([]);
    expect(r.serverAddress).toBe('https://km.example.com');
  });

  it('--proxy-user and --pass never show their values', () => {
    const r = filled(`curl --proxy-user bob:${SECRET}x --pass ${SECRET}y -H 'apikey: key-12345678' https://km.example.com/`, `${SECRET}x`);
    expect(r.secret).toBe('key-12345678');
  });

  it('unknown options are named, never their values, and do not take the URL', () => {
    const r = filled(`curl --frobnicate ${SECRET}q --wibble=${SECRET}r -W https://km.example.com/api -H 'apikey: key-12345678'`, `${SECRET}q`);
    expect(r.warnings).toEqual(['Options Keybridge does not use were ignored: --frobnicate, --wibble, -W.']);
    expect(r).toMatchObject({ serverAddress: 'https://km.example.com', endpoint: '/api', secret: 'key-12345678' });
  });

  it('--digest, --ntlm, --negotiate and --aws-sigv4 are methods Keybridge does not have', () => {
    for (const option of ['--digest', '--ntlm', '--negotiate', '--aws-sigv4 aws:amz:eu-west-1:es']) {
      const r = filled(`curl ${option} -u bob:${SECRET} https://km.example.com/`);
      expect(r.problems.join(' ')).toMatch(/not a method Keybridge supports/);
      expect(r.secret).toBeNull();
    }
  });

  it('--, more than one URL, no URL, an option without its value', () => {
    expect(filled(`curl -H 'apikey: ${SECRET}' -- https://km.example.com/a`).endpoint).toBe('/a');
    expect(filled(`curl -H 'apikey: ${SECRET}' https://km.example.com/a https://other.example.com/b`)).toMatchObject({ serverAddress: 'https://km.example.com', warnings: ['The command has more than one URL: only the first is used.'] });
    expect(filled(`curl -H 'apikey: ${SECRET}'`).problems).toEqual(['The paste has no URL to test.']);
    expect(filled('curl https://km.example.com/ -H').problems).toEqual(['-H needs a value.']);
    expect(filled('curl').problems).toEqual(['The paste has no URL to test.']);
  });

  it('a URL without a scheme is https; http:// is kept and warned about', () => {
    expect(filled(`curl -H 'apikey: ${SECRET}' km.example.com/api`).serverAddress).toBe('https://km.example.com');
    const r = filled(`curl -H 'apikey: ${SECRET}' http://km.example.com:8080/api`);
    expect(r.serverAddress).toBe('http://km.example.com:8080');
    expect(r.warnings).toEqual(['The URL is http://: Keybridge tests over HTTPS and does not send a key over plain http. Change the address to https:// if the server offers it.']);
  });

  it('an IPv6 address and a fragment', () => {
    expect(filled(`curl -H 'apikey: ${SECRET}' 'https://[::1]:8443/api#top'`)).toMatchObject({ serverAddress: 'https://[::1]:8443', endpoint: '/api' });
  });
});

describe('the Authorization header', () => {
  it('Bearer in any case, with extra spaces', () => {
    expect(filled(`curl -H 'authorization:   bearer   ${SECRET}' https://km.example.com/`)).toMatchObject({ auth: { method: 'bearer' }, secret: SECRET });
  });

  it('Basic: user and password decoded (UTF-8); the password may hold a colon', () => {
    expect(filled(`curl -H 'Authorization: Basic ${b64(`jörg:${SECRET}:x`)}' https://km.example.com/`, b64(`jörg:${SECRET}:x`))).toMatchObject({ auth: { method: 'basic', username: 'jörg' }, secret: `${SECRET}:x` });
  });

  it('Basic that is not base64, not UTF-8, or has no colon is a problem', () => {
    for (const value of ['not*base64!', 'QUJDR', Buffer.from([0xff, 0xfe, 0x3a, 0x41]).toString('base64'), b64(SECRET)]) {
      const r = filled(`curl -H 'Authorization: Basic ${value}' https://km.example.com/`, value);
      expect(r.problems).toHaveLength(1);
      expect(r).toMatchObject({ auth: null, secret: null });
    }
  });

  it('another scheme is named as not supported; its credential is not', () => {
    const r = filled(`curl -H 'Authorization: Digest username="bob", response="${SECRET}"' https://km.example.com/`);
    expect(r.problems).toEqual(['"Authorization: Digest" is not a method Keybridge supports: it sends a Bearer token, Basic (user and password) or a key in a header of its own.']);
    expect(filled(`curl -H 'Authorization: Token ${SECRET}' https://km.example.com/`).problems[0]).toMatch(/^"Authorization: Token" is not a method/);
    expect(filled(`curl -H 'Authorization: %%weird ${SECRET}' https://km.example.com/`).problems[0]).toMatch(/^This Authorization scheme is not a method/);
  });

  it('a single word is a key read from the Authorization header as it is', () => {
    expect(filled(`curl -H 'Authorization: ${SECRET}' https://km.example.com/`)).toMatchObject({ auth: { method: 'header', headerName: 'Authorization' }, secret: SECRET, problems: [] });
  });

  it('"Bearer" with no token is a problem', () => {
    expect(filled('curl -H "Authorization: Bearer" https://km.example.com/').problems).toEqual(['The Authorization header has no token after "Bearer".']);
  });

  it('Proxy-Authorization is ignored and its value never shown', () => {
    const r = filled(`curl -H 'Proxy-Authorization: Basic ${b64(`bob:${SECRET}`)}' -H 'apikey: key-12345678' https://km.example.com/`);
    expect(r.warnings).toEqual(['The Proxy-Authorization header is ignored: set the proxy under Proxy.']);
    expect(r.secret).toBe('key-12345678');
  });
});

describe('headers that carry a key', () => {
  it.each(['apikey', 'x-api-key', 'X-API-Key', 'Api-Key', 'AUTHTOKEN', 'X-Auth-Token', 'PRIVATE-TOKEN', 'X-Vault-Token', 'x-access-token', 'Ocp-Apim-Subscription-Key', 'token'])('%s', (name) => {
    const r = filled(`curl -H '${name}: ${SECRET}' https://km.example.com/api`);
    usable(r);
    expect(r).toMatchObject({ auth: { method: 'header', headerName: name }, secret: SECRET });
  });

  it('a product\'s own header names the product', () => {
    expect(filled(`curl -H 'ApiKey: ${SECRET}' https://km.example.com/`).product).toBe('thales-sta');
    expect(filled(`curl -H 'X-Api-Key: ${SECRET}' https://km.example.com/`).product).toBeNull();
  });

  it('other headers: Accept, Content-Type, User-Agent silently; custom ones (a CSRF token too) by name', () => {
    const r = filled(`curl -H 'Accept: */*' -H 'Content-Type: application/json' -H 'User-Agent: x' -H 'X-Tenant: t1' -H 'X-CSRF-Token: c1' -H 'apikey: ${SECRET}' https://km.example.com/`);
    expect(r.warnings).toEqual(['Headers ignored: X-Tenant, X-CSRF-Token (Keybridge sends only the header that carries the key).']);
    expect(filled(`curl -H 'Host: other.example.com' -H 'apikey: ${SECRET}' https://km.example.com/`).warnings).toEqual(['Headers ignored: Host (Keybridge sends only the header that carries the key).']);
    expect(r.secret).toBe(SECRET);
  });

  it('"Name;" and "Name:" (curl\'s empty and removed headers) and a header with no colon', () => {
    const r = filled(`curl -H 'X-Empty;' -H 'Accept:' -H 'nonsense' -H 'apikey: ${SECRET}' https://km.example.com/`);
    expect(r.warnings).toEqual(['A header that is not "Name: value" was ignored.']);
  });
});

describe('credentials in the URL', () => {
  it('user:password@ is Basic, and the address is returned without it', () => {
    const r = filled(`https://bob:${SECRET}@km.example.com/api/v3/`);
    expect(r).toMatchObject({ serverAddress: 'https://km.example.com', endpoint: '/api/v3/', auth: { method: 'basic', username: 'bob' }, secret: SECRET, problems: [] });
  });

  it('the password is %-decoded; a user without a password asks for it', () => {
    expect(filled('https://bob:p%40ss%3Aword-1234@km.example.com/', 'p%40ss').secret).toBe('p@ss:word-1234');
    expect(filled('https://bob@km.example.com/')).toMatchObject({ auth: { method: 'basic', username: 'bob' }, secret: null, problems: [], warnings: ['The password is not in the URL: enter it in the token field.'] });
    expect(filled(`https://:${SECRET}@km.example.com/`).problems).toEqual(['The URL has no user name.']);
  });

  it('in a curl command too', () => {
    expect(filled(`curl 'https://bob:${SECRET}@km.example.com/api'`)).toMatchObject({ serverAddress: 'https://km.example.com', secret: SECRET, problems: [] });
  });

  it.each(['api_key', 'apikey', 'token', 'access_token', 'API-KEY'])('a key in the query (%s) leaves the URL and is imported, with a warning', (name) => {
    const r = filled(`https://km.example.com/api/v1/ping?${name}=${SECRET}&page=2`);
    expect(r).toMatchObject({ serverAddress: 'https://km.example.com', endpoint: '/api/v1/ping?page=2', auth: null, secret: SECRET, problems: [] });
    expect(r.warnings[0]).toMatch(/Proxies and server logs record URLs/);
  });

  it('a key in the fragment (an OAuth redirect) leaves the URL too', () => {
    expect(filled(`https://km.example.com/cb#access_token=${SECRET}&state=1`)).toMatchObject({ serverAddress: 'https://km.example.com', endpoint: '/cb', secret: SECRET, problems: [] });
  });

  it('a key in the query beside a header: removed, the header\'s key is used', () => {
    const r = filled(`curl 'https://km.example.com/a?token=${SECRET}x' -H 'apikey: ${SECRET}'`, `${SECRET}x`);
    expect(r).toMatchObject({ endpoint: '/a', secret: SECRET, problems: [] });
    expect(r.warnings).toEqual(["The URL's token parameter was removed: it held a key, and proxies and server logs record URLs."]);
  });

  it('several keys in the query are a problem', () => {
    const r = filled(`https://km.example.com/a?api_key=${SECRET}&token=${SECRET}2`);
    expect(r.problems[0]).toMatch(/several keys \(api_key, token\)/);
    expect(r).toMatchObject({ secret: null, endpoint: '/a' });
  });

  it('a key that is also in the path is not left there: the paste is refused', () => {
    const r = filled(`curl -H 'apikey: ${SECRET}' https://km.example.com/keys/${SECRET}`);
    expect(r).toMatchObject({ endpoint: null, secret: null });
    expect(r.problems).toEqual(['The key also appears in the URL or in a header name: paste a command that carries it only once, in its header.']);
  });
});

describe('more than one credential, or a placeholder', () => {
  it('two credentials: a problem naming where they are, no secret', () => {
    const r = filled(`curl -u bob:${SECRET}a -H 'Authorization: Bearer ${SECRET}' -H 'X-Api-Key: ${SECRET}b' https://km.example.com/`, `${SECRET}a`, `${SECRET}b`);
    expect(r.problems).toEqual(['The paste carries more than one credential (the Authorization header, the X-Api-Key header, -u): Keybridge sends one. Remove the others and paste again.']);
    expect(r).toMatchObject({ auth: null, secret: null });
  });

  it.each(['{{token}}', '$TOKEN', '${API_KEY}', '<your-api-token>', '%API_TOKEN%', '$env:API_TOKEN', '[API_KEY]'])('%s is a placeholder, not a key', (placeholder) => {
    const r = filled(`curl -H 'Authorization: Bearer ${placeholder}' https://km.example.com/`);
    expect(r.problems[0]).toMatch(/variable or a placeholder/);
    expect(r.secret).toBeNull();
  });

  it('a Postman variable in the URL', () => {
    expect(filled(`curl '{{baseUrl}}/api/v3/' -H 'Authorization: Bearer ${SECRET}'`)).toMatchObject({ serverAddress: null, secret: null, problems: [expect.stringMatching(/Postman or Bruno variable/)] });
  });
});

describe('a URL with its header lines, or a raw request', () => {
  it('URL, then the header', () => {
    expect(filled(`https://km.example.com/api/v1/ping\nAuthorization: Bearer ${SECRET}`)).toMatchObject({ serverAddress: 'https://km.example.com', endpoint: '/api/v1/ping', auth: { method: 'bearer' }, secret: SECRET, problems: [] });
  });

  it('"GET URL", indented header lines, CRLF', () => {
    expect(filled(`GET https://km.example.com/api/v3/ \r\n   X-Api-Key: ${SECRET}\r\n`)).toMatchObject({ endpoint: '/api/v3/', auth: { method: 'header', headerName: 'X-Api-Key' }, secret: SECRET, problems: [] });
  });

  it('a raw HTTP request takes its host from the Host line; a body after the blank line is ignored', () => {
    const r = filled(`POST /api/v1/ping HTTP/1.1\nHost: km.example.com:8443\nAuthorization: Bearer ${SECRET}\n\n{"a":1}`);
    expect(r).toMatchObject({ serverAddress: 'https://km.example.com:8443', endpoint: '/api/v1/ping', secret: SECRET, problems: [] });
    expect(r.warnings).toEqual(['POST ignored: Keybridge tests with GET.', 'A request body is ignored: Keybridge tests with GET.']);
  });

  it('a raw request without a Host line has no URL', () => {
    expect(filled(`GET /api HTTP/1.1\nAuthorization: Bearer ${SECRET}`).problems).toEqual(['The paste has no URL to test.']);
  });

  it('a "GET URL" line alone fills the endpoint', () => {
    expect(filled('GET https://km.example.com/api/v3/')).toMatchObject({ serverAddress: 'https://km.example.com', endpoint: '/api/v3/', auth: null, secret: null, problems: [] });
  });

  it('the key header alone: the key is imported, not typed into the address', () => {
    expect(filled(`Authorization: Bearer ${SECRET}`)).toMatchObject({ serverAddress: null, auth: { method: 'bearer' }, secret: SECRET, problems: [] });
    expect(filled(`AUTHTOKEN: ${SECRET}`)).toMatchObject({ auth: { method: 'header', headerName: 'AUTHTOKEN' }, product: 'manageengine-pmp' });
  });

  it('lines that are not headers are not a paste to read', () => {
    expect(pastedConnection('https://km.example.com/api\nplease test this')).toBeNull();
    expect(pastedConnection('Accept: */*')).toBeNull();
  });
});

describe('HTTPie', () => {
  it('http GET URL Authorization:\'Bearer …\' name==value', () => {
    expect(filled(`http --verify=no GET https://km.example.com/api Authorization:'Bearer ${SECRET}' page==2`)).toMatchObject({ serverAddress: 'https://km.example.com', endpoint: '/api?page=2', auth: { method: 'bearer' }, secret: SECRET, verifyCertificate: false, problems: [] });
  });

  it('-A bearer -a token; -a user:password; a key header; xh', () => {
    expect(filled(`https -A bearer -a ${SECRET} km.example.com/api/v3/`)).toMatchObject({ auth: { method: 'bearer' }, secret: SECRET, problems: [] });
    expect(filled(`http -a bob:${SECRET} https://km.example.com/`)).toMatchObject({ auth: { method: 'basic', username: 'bob' }, secret: SECRET });
    expect(filled(`xh https://km.example.com/ apikey:${SECRET}`)).toMatchObject({ auth: { method: 'header', headerName: 'apikey' }, secret: SECRET });
    expect(filled(`http https://km.example.com/ apikey:${SECRET} https://other.example.com/`).warnings).toEqual(['The command has more than one URL: only the first is used.']);
  });

  it('a method other than GET, a body, an unknown option, a digest auth type', () => {
    const r = filled(`http --frob POST https://km.example.com/ X-Api-Key:${SECRET} name=value`);
    expect(r.warnings).toEqual(['POST ignored: Keybridge tests with GET.', 'A request body is ignored: Keybridge tests with GET.', 'Options Keybridge does not use were ignored: --frob.']);
    expect(filled(`http -A digest -a bob:${SECRET} https://km.example.com/`)).toMatchObject({ secret: null, problems: [expect.stringMatching(/--auth-type digest is not a method/)] });
  });
});

describe('shell quoting', () => {
  it("bash $'…' with escapes", () => {
    expect(filled(`curl $'https://km.example.com/a\\x2fb' -H $'Authorization: Bearer kb-s3cr3t\\u002dZq9vX7wP2'`)).toMatchObject({ endpoint: '/a/b', secret: SECRET });
  });

  it('double quotes with \\" \\$ \\\\ escapes; other backslashes stay', () => {
    expect(filled(`curl "https://km.example.com/" -H "X-Api-Key: a\\"b\\$c\\\\d\\q"`).secret).toBe('a"b$c\\d\\q');
  });

  it('adjacent quoted pieces make one word; a quote inside the other kind stays', () => {
    expect(filled(`curl https://km.example.com/ -H 'Author'"ization: Bearer "kb-s3cr3t-'Zq9vX7wP2'`).secret).toBe(SECRET);
    expect(filled(`curl https://km.example.com/ -H "X-Api-Key: it's-${SECRET}"`, `it's-${SECRET}`).secret).toBe(`it's-${SECRET}`);
  });

  it('a \\ continuation with CRLF line ends, and one inside double quotes', () => {
    expect(filled(`curl https://km.example.com/api \\\r\n  -H "apikey: kb-s3cr3t-\\\nZq9vX7wP2"`).secret).toBe(SECRET);
  });

  it("PowerShell: '' inside '…', backtick escapes inside \"…\"", () => {
    expect(filled(`curl.exe 'https://km.example.com/' \`\n -H 'X-Api-Key: it''s-${SECRET}' \`\n -k`, `it's-${SECRET}`)).toMatchObject({ secret: `it's-${SECRET}`, verifyCertificate: false });
    expect(filled(`curl.exe "https://km.example.com/" \`\n -H "X-Api-Key: a\`"b-${SECRET}"`, `a"b-${SECRET}`).secret).toBe(`a"b-${SECRET}`);
  });

  it('cmd: \\" is a literal quote (the C runtime\'s rule)', () => {
    expect(filled(`curl "https://km.example.com/" ^\n -H "X-Api-Key: a\\"b-${SECRET}"`, `a"b-${SECRET}`).secret).toBe(`a"b-${SECRET}`);
  });

  it('a shell prompt before the command, a path to curl', () => {
    expect(filled(`$ curl -H 'apikey: ${SECRET}' https://km.example.com/`).secret).toBe(SECRET);
    expect(filled(`PS C:\\Users\\admin> curl.exe -H 'apikey: ${SECRET}' https://km.example.com/`).secret).toBe(SECRET);
    expect(filled(`/usr/bin/curl -H 'apikey: ${SECRET}' https://km.example.com/`).secret).toBe(SECRET);
  });

  it('a pipe, ; or && ends the command; a # comment is skipped', () => {
    const r = filled(`curl -H 'apikey: ${SECRET}' https://km.example.com/ | jq .`);
    expect(r.warnings).toEqual(['Only the first command is read: what follows "|" is ignored.']);
    expect(filled(`curl -H 'apikey: ${SECRET}' https://km.example.com/ && echo ok`).warnings).toEqual(['Only the first command is read: what follows "&&" is ignored.']);
    expect(filled(`curl -H 'apikey: ${SECRET}' \\\n  # the test\n  https://km.example.com/`)).toMatchObject({ serverAddress: 'https://km.example.com', warnings: [] });
  });

  it('an unquoted & in a URL stays in it', () => {
    expect(filled(`curl -H 'apikey: ${SECRET}' https://km.example.com/a?x=1&y=2`).endpoint).toBe('/a?x=1&y=2');
  });

  it('a $VAR is not expanded: it is reported as a placeholder', () => {
    expect(filled('curl -H "Authorization: Bearer $PKM_TOKEN" https://km.example.com/').problems[0]).toMatch(/placeholder/);
  });
});

describe('hostile and broken pastes: a problem, never a throw', () => {
  it.each([
    `curl 'https://km.example.com/' -H 'Authorization: Bearer ${SECRET}`,
    `curl "https://km.example.com/" -H "Authorization: Bearer ${SECRET}`,
    `curl https://km.example.com/ -H $'Authorization: Bearer ${SECRET}`,
    `curl https://km.example.com/ -H $'Authorization: Bearer ${SECRET}\\`,
    `curl "https://km.example.com/" ^\n -H "apikey: ${SECRET}`,
    `curl.exe 'https://km.example.com/' \`\n -H "apikey: ${SECRET}`,
  ])('an unterminated quote: %j', (text) => {
    const r = filled(text);
    expect(r.problems).toEqual(['The command has a quote (\' or ") that is never closed: copy the whole command again.']);
    expect(r.secret).toBeNull();
  });

  it('text over 64 KiB is refused; 64 KiB is read', () => {
    const command = `curl -H 'apikey: ${SECRET}' https://km.example.com/`;
    expect(filled(command + ' '.repeat(PASTE_LIMIT + 1 - command.length)).problems).toEqual(['The pasted text is longer than 64 KiB: paste only the command or the address.']);
    expect(filled(command + ' '.repeat(PASTE_LIMIT - command.length)).secret).toBe(SECRET);
  });

  it('too many words', () => {
    expect(filled(`curl https://km.example.com/ ${'-s '.repeat(5000)}`).problems).toEqual(['The command has too many words to be one request.']);
  });

  it('a trailing escape, a lone ^ or backtick, NUL bytes', () => {
    expect(filled(`curl -H 'apikey: ${SECRET}' https://km.example.com/ \\`).problems).toEqual([]);
    expect(() => pastedConnection('curl ^')).not.toThrow();
    expect(() => pastedConnection('curl.exe `')).not.toThrow();
    expect(filled(`curl -H $'apikey: ${SECRET}\\x00' https://km.example.com/`).problems).toEqual(["The key in the apikey header contains a line break or a control character."]);
  });

  it('a disguised host, a % in the host, another scheme, a bad URL', () => {
    expect(filled(`curl -H 'apikey: ${SECRET}' 'https://127.0.0.1:8443\\@km.corp.example/'`).problems[0]).toMatch(/backslash/);
    expect(filled(`curl -H 'apikey: ${SECRET}' 'https://km%2eexample.com/'`).problems[0]).toMatch(/"%"/);
    expect(filled(`curl -H 'apikey: ${SECRET}' ftp://km.example.com/`).problems[0]).toMatch(/"ftp:\/\/" is not a web address/);
    expect(filled(`curl -H 'apikey: ${SECRET}' 'https://km .example.com/'`).problems).toEqual(['The URL contains spaces or control characters.']);
    expect(filled(`curl -H 'apikey: ${SECRET}' 'https://km.example.com:99999/'`).problems).toEqual(['The URL in the paste is not a valid address.']);
    expect(filled(`curl -H 'apikey: ${SECRET}' 'https://bob:${SECRET}@/'`).problems).toHaveLength(1);
  });

  it('a path longer than the endpoint field', () => {
    expect(filled(`curl -H 'apikey: ${SECRET}' https://km.example.com/${'a'.repeat(1100)}`).problems).toEqual(["The URL's path and query are longer than 1000 characters."]);
  });

  it('a secret crafted into a header or option name is not echoed in a message', () => {
    const r = filled(`curl --${SECRET} -H '${SECRET}: x' -H 'Authorization: Bearer ${SECRET}' https://km.example.com/`);
    expect(r.secret).toBe(SECRET);
    expect(r.warnings.join(' ')).toContain('…');
  });

  it('random pastes built from hostile pieces: no throw, no secret in a message or beside itself', () => {
    const secret = 'Zq9/vX7+wP=s3cr3t';
    const pieces = ['curl ', 'http ', "'", '"', "$'", '\\', '\n', '\r\n', '^', '`', ' ', ' -H ', ' -u ', ' -G ', ' -d ', ' -k', ' --url ', 'Authorization: Bearer ', 'Authorization: Basic ', 'apikey: ', 'X-Api-Key:', secret, b64(`u:${secret}`), 'https://', 'km.example.com', ':7272', '/api/v3/', '?api_key=', '&token=', '@', ':', '{{', '}}', '%', '#', '|', ';', '=', '==', '\\x2', '\u0000', '[::1]'];
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 3000; round++) {
      let text = '';
      for (let k = random(24); k >= 0; k--) text += pieces[random(pieces.length)];
      const r = pastedConnection(text);
      if (!r) continue;
      expect([...r.warnings, ...r.problems].filter((m) => m.includes(secret))).toEqual([]);
      if (r.secret !== null) {
        expect(r.problems).toEqual([]);
        if (r.secret.length >= 6) expect([r.serverAddress, r.endpoint].filter((t) => t?.includes(r.secret as string))).toEqual([]);
      }
    }
  });
});

// Whether the engine trusts the server: Verify certificate No (what it still says), a self-signed
// server with Verify certificate Yes, trust this certificate (a pinned key), and certificates from a
// CA (chain, root, name, dates, the OS trust store), and what "What to do" offers about trust (never
// Verify certificate No where it is No already or a pin decides). Real servers on 127.0.0.1
// (tests/support/engine-servers.ts).
import tls from 'node:tls';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli';
import { productHint } from '../../src/main/core/connection-test/product-hints';
import { VERDICT_TEXTS, type VerdictContext } from '../../src/main/core/connection-test/verdicts';
import { PRESETS } from '../../src/shared/presets';
import { VERDICTS } from '../../src/shared/types';
import { issueCertificate, type Issued } from '../../tools/certificates';
import { runEngine, TOKEN, useEngineServers } from '../support/engine-servers';
import { httpsPeer, json, type Peer } from '../support/peers';

const servers = useEngineServers();

describe('Verify certificate No', () => {
  it('succeeds, shows the certificate and warns', async () => {
    const { demo } = servers;
    const report = await runEngine({ serverAddress: demo.url, auth: { method: 'bearer', token: demo.token } });
    expect(report.verdict).toBe('ok');
    expect(report.ok).toBe(true);
    expect(report.title).toBe('Connection successful');
    expect(report.httpStatus).toBe(200);
    expect(report.url).toBe(`${demo.url}/api/v3/`);
    expect(report.certificate?.sha256).toBe(demo.fingerprint);
    expect(report.certificate?.selfSigned).toBe(true);
    expect(report.certificate?.subjectAltNames).toContain('IP Address:127.0.0.1');
    expect(report.warnings.join(' ')).toMatch(/Verify certificate is No/);
  });

  it('still says when the certificate is for another name, in the report and the CLI', async () => {
    const other = await issueCertificate({ commonName: 'other', altNames: ['other.example.com'] });
    const peer = servers.track(await httpsPeer(other, (_req, res) => json(res, 200, { ok: true })));
    const report = await runEngine({ serverAddress: peer.url });
    expect(report.verdict).toBe('ok');
    expect(report.warnings.join(' ')).toMatch(/The certificate is not for 127\.0\.0\.1: it names .*other\.example\.com\. Check that the address is right/);
    const out: string[] = [];
    await runCli(['test', peer.url, '--token-env', 'T', '--no-verify'], { out: (t) => out.push(t), err: (t) => out.push(t), env: { T: TOKEN } });
    expect(out.join('\n')).toMatch(/Warning: The certificate is not for 127\.0\.0\.1/);
    // A certificate that does name the host gets only the general warning.
    const named = await runEngine({ serverAddress: `https://127.0.0.1:${servers.demo.port}`, auth: { method: 'bearer', token: servers.demo.token } });
    expect(named.warnings.join(' ')).not.toMatch(/is not for/);
  });
});

describe('a self-signed server with Verify certificate Yes', () => {
  it('fails as self-signed, and still shows the certificate', async () => {
    const { demo } = servers;
    const report = await runEngine({ serverAddress: demo.url, auth: { method: 'bearer', token: demo.token }, trust: { verifyCertificate: true } });
    expect(report.verdict).toBe('tls-self-signed');
    expect(report.ok).toBe(false);
    expect(report.hint).toMatch(/Verify certificate to No/);
    expect(report.certificate?.sha256).toBe(demo.fingerprint);
  });

  it('never sends the token to a server whose certificate was refused', async () => {
    const peer = await servers.httpsPeer((_req, res) => json(res, 200, {}));
    const report = await runEngine({ serverAddress: peer.url, trust: { verifyCertificate: true } });
    expect(report.verdict).toBe('tls-self-signed');
    expect(peer.seen).toHaveLength(0);
  });
});

describe('trust this certificate (pinning)', () => {
  it('trusts a self-signed server by its pinned key, with Verify certificate on', async () => {
    const { demo } = servers;
    const first = await runEngine({ serverAddress: demo.url, auth: { method: 'bearer', token: demo.token } });
    const pin = first.certificate?.spkiSha256 ?? '';
    expect(pin).toMatch(/^sha256\/[A-Za-z0-9+/]{43}=$/);
    const pinned = await runEngine({ serverAddress: demo.url, auth: { method: 'bearer', token: demo.token }, trust: { verifyCertificate: true, pinnedSpki: pin } });
    expect(pinned.verdict).toBe('ok');
    expect(pinned.tls?.trustSource).toBe('pinned certificate');
    expect(pinned.warnings).toEqual([]);
  });

  it('fails with pin mismatch when the key changes, shows old and new, and sends nothing', async () => {
    const peer = await servers.httpsPeer((_req, res) => json(res, 200, {}));
    const oldPin = (await runEngine({ serverAddress: servers.demo.url })).certificate?.spkiSha256 ?? '';
    const report = await runEngine({ serverAddress: peer.url, trust: { verifyCertificate: true, pinnedSpki: oldPin } });
    expect(report.verdict).toBe('tls-pin-mismatch');
    expect(report.expectedPin).toBe(oldPin);
    expect(report.certificate?.spkiSha256).not.toBe(oldPin);
    expect(report.message).toContain(oldPin);
    expect(report.message).toContain(report.certificate?.spkiSha256 ?? '?');
    expect(report.hint).not.toMatch(VERIFY_NO);
    expect(peer.seen).toHaveLength(0);
  });
});

/** Advice to turn verification off, in any wording. */
const VERIFY_NO = /Verify certificate (to )?No|--no-verify/i;

describe('What to do, about Verify certificate', () => {
  // Every fact a verdict's words may use, so that each branch of each text is read.
  const rich: VerdictContext = {
    host: 'km.example.com',
    port: 443,
    url: 'https://km.example.com/api/v3/',
    status: 502,
    serverMessage: 'no',
    certificateNames: ['DNS:other.example.com'],
    acceptedIssuers: ['CN=Client CA'],
    clientIssuer: 'CN=Other CA',
    clientIssuerAccepted: false,
  };
  const hints = (context: Partial<VerdictContext>): Array<[string, string]> =>
    VERDICTS.flatMap((verdict) => [undefined, 45, 44].map((alert): [string, string] => [verdict, VERDICT_TEXTS[verdict].hint({ ...rich, alert, ...context })]));

  it('offers Verify certificate No for a self-signed or untrusted certificate when verification was on', () => {
    const offering = hints({ verifyCertificate: true }).filter(([, hint]) => VERIFY_NO.test(hint)).map(([verdict]) => verdict);
    expect([...new Set(offering)].sort()).toEqual(['tls-self-signed', 'tls-untrusted-root']);
  });

  it.each([
    ['the test ran with Verify certificate No', { verifyCertificate: false }],
    ['a key is pinned (the pin is checked, whatever Verify says)', { verifyCertificate: true, pinned: true }],
    ['a key is pinned and Verify is No', { verifyCertificate: false, pinned: true }],
  ])('never offers it when %s, for any verdict', (_case, context) => {
    expect(hints(context).filter(([, hint]) => VERIFY_NO.test(hint))).toEqual([]);
    // Nor a product's own hint, which is not told how the test ran.
    for (const preset of Object.values(PRESETS)) {
      for (const verdict of VERDICTS) expect(productHint(verdict, { ...rich, ...context }, preset.hints, () => ({ hostname: 'ws', addresses: [] })) ?? '').not.toMatch(VERIFY_NO);
    }
  });

  it('the engine tells the verdicts how the test ran: a self-signed server with Verify Yes is offered it, with a pin not', async () => {
    const { demo } = servers;
    const yes = await runEngine({ serverAddress: demo.url, trust: { verifyCertificate: true } });
    expect(yes.verdict).toBe('tls-self-signed');
    expect(yes.hint).toMatch(/set Verify certificate to No \(in the TLS tab\)/);
    // Pinned to another key: the pin decides, Verify certificate does not come into it.
    const other = await runEngine({ serverAddress: (await servers.httpsPeer((_req, res) => json(res, 200, {}))).url });
    const pinned = await runEngine({ serverAddress: demo.url, trust: { verifyCertificate: false, pinnedSpki: other.certificate?.spkiSha256 ?? null } });
    expect(pinned.verdict).toBe('tls-pin-mismatch');
    expect(pinned.hint).not.toMatch(VERIFY_NO);
  });

  it("names the form's tabs (TLS, Proxy), not the old sections", () => {
    const words = VERDICTS.flatMap((verdict) => {
      const text = VERDICT_TEXTS[verdict];
      return [undefined, 45].flatMap((alert) => [text.title, text.headline?.({ ...rich, alert }) ?? '', text.message({ ...rich, alert }), text.hint({ ...rich, alert, proxy: 'proxy.example:3128' })]);
    });
    expect(words.filter((w) => /Trust and network|Key details section/i.test(w))).toEqual([]);
    expect(VERDICT_TEXTS['tls-client-cert-required'].hint(rich)).toContain('in the TLS tab, under Client certificate');
    expect(VERDICT_TEXTS['tls-untrusted-root'].hint(rich)).toContain('add it in the TLS tab');
    expect(VERDICT_TEXTS['proxy-failure'].hint(rich)).toContain('in the Proxy tab');
  });
});

describe('certificates from a CA', () => {
  // A root the test trusts, and an intermediate that signs the servers' certificates.
  let ca: Issued;
  let intermediate: Issued;
  beforeAll(async () => {
    ca = await issueCertificate({ commonName: 'Keybridge Test CA', isCa: true });
    intermediate = await issueCertificate({ commonName: 'Keybridge Test Intermediate', isCa: true, issuer: ca });
  });
  const issued = (more: Omit<Parameters<typeof issueCertificate>[0], 'issuer'>) =>
    issueCertificate({ ...more, issuer: intermediate });
  /** Serves the leaf with its intermediate, as a well-configured server does (or without it). */
  const servedBy = async (cert: Issued, sendChain = true): Promise<Peer> => {
    const chained = sendChain ? { ...cert, certPem: cert.certPem + intermediate.certPem } : cert;
    return servers.track(await httpsPeer(chained, (_req, res) => json(res, 200, {})));
  };
  const verified = (peer: Peer, extraCaPem: string[] = [ca.certPem]) =>
    runEngine({ serverAddress: peer.url, trust: { verifyCertificate: true, extraCaPem } });

  it("succeeds when the server's CA is trusted", async () => {
    const peer = await servedBy(await issued({ commonName: 'good' }));
    const report = await verified(peer);
    expect(report.verdict).toBe('ok');
    expect(report.warnings).toEqual([]);
    expect(report.certificate?.selfSigned).toBe(false);
  });

  it('says untrusted root when the CA is not trusted', async () => {
    const peer = await servedBy(await issued({ commonName: 'good' }));
    const report = await verified(peer, []);
    expect(report.verdict).toBe('tls-untrusted-root');
    expect(report.certificate?.issuer).toContain('Keybridge Test Intermediate');
  });

  it('uses the OS trust store where the runtime can read it, and says so where it cannot', async () => {
    const peer = await servedBy(await issued({ commonName: 'good' }));
    const report = await runEngine({ serverAddress: peer.url, trust: { verifyCertificate: true, extraCaPem: [ca.certPem], useSystemCa: true } });
    expect(report.verdict).toBe('ok');
    expect(report.tls?.trustSource).toBe('custom CA');
    const readable = typeof (tls as unknown as { getCACertificates?: unknown }).getCACertificates === 'function';
    expect(report.warnings.some((w) => /cannot read the OS trust store/.test(w))).toBe(!readable);
  });

  it('says incomplete chain when the server leaves out the intermediate its certificate points to', async () => {
    const peer = await servedBy(await issued({ commonName: 'good', caIssuersUrl: 'http://pki.example.com/intermediate.crt' }), false);
    const report = await verified(peer);
    expect(report.verdict).toBe('tls-incomplete-chain');
  });

  it('says untrusted root for a certificate from an unknown private CA that the server sends alone', async () => {
    const peer = await servedBy(await issued({ commonName: 'good' }), false);
    const report = await verified(peer, []);
    expect(report.verdict).toBe('tls-untrusted-root');
  });

  it('says hostname mismatch when the certificate names another host', async () => {
    const peer = await servedBy(await issued({ commonName: 'other', altNames: ['other.example'] }));
    const report = await verified(peer);
    expect(report.verdict).toBe('tls-hostname-mismatch');
    expect(report.certificate?.subjectAltNames).toContain('DNS:other.example');
  });

  it('says expired, and not yet valid, from the certificate dates', async () => {
    const day = 86_400_000;
    const expired = await servedBy(
      await issued({ commonName: 'old', notBefore: new Date(Date.now() - 20 * day), notAfter: new Date(Date.now() - 10 * day) }),
    );
    const future = await servedBy(
      await issued({ commonName: 'new', notBefore: new Date(Date.now() + 10 * day), notAfter: new Date(Date.now() + 20 * day) }),
    );
    expect((await verified(expired)).verdict).toBe('tls-expired');
    expect((await verified(future)).verdict).toBe('tls-not-yet-valid');
  });
});

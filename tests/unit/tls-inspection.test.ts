// A chain from a TLS-inspecting proxy (#17, item 2): the verdict says the network inspects TLS and
// offers the fix that keeps verification on (the OS store or the company's root), never Verify No.
// A real HTTPS server on 127.0.0.1 whose certificate is issued by a CA named as Zscaler names its root.
import { describe, expect, it } from 'vitest';
import { tlsInspection } from '../../src/main/core/connection-test/tls-inspection';
import type { CertificateSummary } from '../../src/shared/types';
import { issueCertificate } from '../../tools/certificates';
import { runEngine, useEngineServers } from '../support/engine-servers';
import { httpsPeer, json } from '../support/peers';

const servers = useEngineServers();

describe('TLS inspection', () => {
  it('a leaf re-signed by "Zscaler Root CA": the verdict names the inspection and the fix, not Verify No', async () => {
    const root = await issueCertificate({ commonName: 'Zscaler Root CA', isCa: true });
    const leaf = await issueCertificate({ commonName: '127.0.0.1', issuer: root });
    const peer = servers.track(await httpsPeer(leaf, (_req, res) => json(res, 200, { ok: true })));
    const report = await runEngine({ serverAddress: peer.url, trust: { verifyCertificate: true } });
    expect(report.verdict).toBe('tls-untrusted-root');
    expect(report.message).toMatch(/^Your network inspects TLS \(issuer: CN=Zscaler Root CA, Zscaler\): the key manager's own certificate is not what this workstation sees\./);
    expect(report.hint).toMatch(/Also trust this computer's certificate store/);
    expect(report.hint).toMatch(/Do not set Verify certificate to No/);

    // Trusted (the company's root added): the test passes, with a warning that says what the network does.
    const trusted = await runEngine({ serverAddress: peer.url, trust: { verifyCertificate: true, extraCaPem: [root.certPem] } });
    expect(trusted.verdict).toBe('ok');
    expect(trusted.warnings.join(' ')).toMatch(/Your network inspects TLS .*Zscaler.*the portal, on its own network, may see the key manager's real certificate/);
  });

  it('a chain from an ordinary private CA says nothing of the kind', async () => {
    const root = await issueCertificate({ commonName: 'Example Corp Private CA', isCa: true });
    const leaf = await issueCertificate({ commonName: '127.0.0.1', issuer: root });
    const peer = servers.track(await httpsPeer(leaf, (_req, res) => json(res, 200, { ok: true })));
    const report = await runEngine({ serverAddress: peer.url, trust: { verifyCertificate: true } });
    expect(report.verdict).toBe('tls-untrusted-root');
    expect(report.message).not.toMatch(/inspects TLS/);
  });

  it('knows the products by their CA names, and not by chance words', () => {
    const named = (issuer: string): CertificateSummary => ({ subject: 'CN=km.example.com', issuer }) as CertificateSummary;
    expect(tlsInspection([named('CN=Fortinet_CA_SSL, O=Fortinet')])?.product).toBe('Fortinet');
    expect(tlsInspection([named('CN=Netskope Certificate Authority, O=Netskope Inc')])?.product).toBe('Netskope');
    expect(tlsInspection([named('CN=Palo Alto Networks Forward Trust')])?.product).toBe('Palo Alto Networks');
    expect(tlsInspection([named('CN=Cisco Umbrella Secondary SubCA')])?.product).toBe('Cisco Umbrella');
    expect(tlsInspection([named('CN=R11, O=Let\'s Encrypt, C=US')])).toBeNull();
    expect(tlsInspection([named('CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1')])).toBeNull();
    expect(tlsInspection([])).toBeNull();
  });
});

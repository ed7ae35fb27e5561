// A certificate's dates and this workstation's clock (#17, item 3): on tls-expired and
// tls-not-yet-valid the engine reads the server's clock (its HTTP Date header, on a connection that
// checks no certificate and sends no secret) and says when this workstation's clock is off, first in
// What to do. Real HTTPS servers on 127.0.0.1 with a private CA the connection trusts.
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { clockEvidence, clockSentence, spanText } from '../../src/shared/clock';
import { issueCertificate } from '../../tools/certificates';
import { runEngine, TOKEN, useEngineServers } from '../support/engine-servers';
import { httpsPeer, json } from '../support/peers';

const servers = useEngineServers();
const HOUR = 3_600_000;

/** A leaf from a CA the test trusts, valid over [from, to], served by a peer whose Date header is `serverNow`. */
async function datedServer(from: Date, to: Date, serverNow: (() => Date) | null) {
  const ca = await issueCertificate({ commonName: 'Clock Test CA', isCa: true });
  const leaf = await issueCertificate({ commonName: 'km.clock', issuer: ca, notBefore: from, notAfter: to });
  const peer = servers.track(
    await httpsPeer(leaf, (_req, res) => {
      if (serverNow) res.setHeader('Date', serverNow().toUTCString());
      else res.sendDate = false;
      json(res, 200, { ok: true });
    }),
  );
  return { peer, trust: { verifyCertificate: true, extraCaPem: [ca.certPem] } };
}

describe('the clocks, on a verdict about the certificate\'s dates', () => {
  it('a certificate valid from the future, on a server whose clock is 3 h 12 min ahead: the workstation\'s clock is behind, first in What to do', async () => {
    const skew = 3 * HOUR + 12 * 60_000;
    const { peer, trust } = await datedServer(new Date(Date.now() + 3 * HOUR), new Date(Date.now() + 30 * 24 * HOUR), () => new Date(Date.now() + skew));
    const report = await runEngine({ serverAddress: peer.url, trust });
    expect(report.verdict).toBe('tls-not-yet-valid');
    expect(report.clock?.source).toBe('server-date');
    expect(Math.abs(report.clock!.skewMs - skew)).toBeLessThan(5_000);
    expect(report.message).toContain("This workstation's clock is 3 h 12 min behind the server (its Date header says");
    expect(report.hint).toMatch(/^First set this workstation's clock right \(it is 3 h 12 min behind/);
    // The clock was read without the secret: no request carried it (the test's own never left).
    expect(peer.seen.length).toBeGreaterThan(0);
    for (const request of peer.seen) {
      expect(request.method).toBe('HEAD');
      expect(request.authorization).toBeUndefined();
    }
    expect(JSON.stringify(report)).not.toContain(TOKEN);
  });

  it('an expired certificate on a server whose clock agrees: the certificate is what is wrong', async () => {
    const { peer, trust } = await datedServer(new Date(Date.now() - 60 * 24 * HOUR), new Date(Date.now() - 24 * HOUR), () => new Date());
    const report = await runEngine({ serverAddress: peer.url, trust });
    expect(report.verdict).toBe('tls-expired');
    expect(report.clock?.source).toBe('server-date');
    expect(report.message).toContain("This workstation's clock agrees with the server's (its Date header), so the certificate's dates are what is wrong.");
    expect(report.hint).toMatch(/^Renew the key manager's certificate/);
  });

  it('an expired certificate on a server whose clock is two days behind: this workstation\'s clock is ahead', async () => {
    const { peer, trust } = await datedServer(new Date(Date.now() - 60 * 24 * HOUR), new Date(Date.now() - 24 * HOUR), () => new Date(Date.now() - 2 * 24 * HOUR));
    const report = await runEngine({ serverAddress: peer.url, trust });
    expect(report.verdict).toBe('tls-expired');
    expect(report.message).toMatch(/This workstation's clock is 2 days ahead of the server/);
    expect(report.hint).toMatch(/it is 2 days ahead/);
  });

  it('a server that sends no Date header: the certificate\'s start of validity says "at least"', async () => {
    const { peer, trust } = await datedServer(new Date(Date.now() + 5 * HOUR), new Date(Date.now() + 30 * 24 * HOUR), null);
    const report = await runEngine({ serverAddress: peer.url, trust });
    expect(report.verdict).toBe('tls-not-yet-valid');
    expect(report.clock?.source).toBe('certificate');
    expect(report.message).toMatch(/This workstation's clock is at least (4 h 5\d min|5 h) behind: the certificate became valid at /);
  });

  it('a server that answers nothing after the handshake, or sends a broken Date: no claim about the clock beyond the certificate', async () => {
    const ca = await issueCertificate({ commonName: 'Clock Test CA', isCa: true });
    const leaf = await issueCertificate({ commonName: 'km.clock', issuer: ca, notBefore: new Date(Date.now() - 60 * 24 * HOUR), notAfter: new Date(Date.now() - HOUR) });
    const silent = tls.createServer({ cert: leaf.certPem, key: leaf.keyPem }, (socket) => socket.on('data', () => socket.end('HTTP/1.1 200 OK\r\nDate: not a date at all\r\n\r\n')));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as { port: number }).port;
      const report = await runEngine({ serverAddress: `https://127.0.0.1:${port}`, trust: { verifyCertificate: true, extraCaPem: [ca.certPem] } });
      expect(report.verdict).toBe('tls-expired');
      expect(report.clock).toBeUndefined();
      expect(report.hint).toBe("Renew the key manager's certificate. Check this workstation's clock as well.");
    } finally {
      silent.close();
    }
  });
});

describe('clock evidence and its words', () => {
  const now = Date.parse('2026-12-02T12:00:00Z');
  it('spans read as an admin says them', () => {
    expect(spanText(7 * 60_000)).toBe('7 min');
    expect(spanText(-(3 * HOUR + 12 * 60_000))).toBe('3 h 12 min');
    expect(spanText(2 * 24 * HOUR + 4 * HOUR)).toBe('2 days 4 h');
    expect(spanText(24 * HOUR)).toBe('1 day');
  });
  it('prefers the server\'s Date, falls back to the certificate only for a start in the future', () => {
    expect(clockEvidence(now, new Date(now + HOUR), null, 'tls-expired')).toEqual({ skewMs: HOUR, source: 'server-date', serverTime: '2026-12-02T13:00:00.000Z' });
    expect(clockEvidence(now, null, '2026-12-02T15:00:00Z', 'tls-not-yet-valid')?.source).toBe('certificate');
    expect(clockEvidence(now, null, '2026-12-02T12:01:00Z', 'tls-not-yet-valid')).toBeNull(); // within the tolerance
    expect(clockEvidence(now, null, '2026-12-02T15:00:00Z', 'tls-expired')).toBeNull();
    expect(clockEvidence(now, new Date('garbage'), null, 'tls-expired')).toBeNull();
    expect(clockSentence({ skewMs: 60_000, source: 'server-date', serverTime: '2026-12-02T12:01:00.000Z' })).toMatch(/agrees/);
  });
});

// Mutual TLS in the engine: a server that requires a client certificate, one given as PEM or as
// PKCS#12 with its passphrase, and nginx asking for one after a TLS 1.3 handshake. Real servers on
// 127.0.0.1 (tests/support/engine-servers.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCertificate, type Issued } from '../../tools/certificates';
import { runEngine, useEngineServers } from '../support/engine-servers';
import { json } from '../support/peers';
import { pkcs12Of } from '../support/pkcs12';

const servers = useEngineServers();

describe('a server that requires a client certificate', () => {
  let client: Issued;
  let url: string;
  /** For the PKCS#12 file. */
  let dir: string;
  beforeAll(async () => {
    const ca = await issueCertificate({ commonName: 'Client CA', isCa: true });
    client = await issueCertificate({ commonName: 'workstation-01', issuer: ca });
    const { leaf } = servers;
    const server = https.createServer({ cert: leaf.certPem, key: leaf.keyPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      json(res, 200, { client: (req.socket as tls.TLSSocket).getPeerCertificate().subject?.CN });
    });
    ({ url } = await servers.listen(server));
    dir = mkdtempSync(path.join(os.tmpdir(), 'keybridge-engine-mtls-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says a client certificate is required when none is given', async () => {
    const report = await runEngine({ serverAddress: url });
    expect(report.verdict).toBe('tls-client-cert-required');
  });

  it('authenticates with a PEM certificate and key', async () => {
    const report = await runEngine({ serverAddress: url, clientCertificate: { certPem: client.certPem, keyPem: client.keyPem } });
    expect(report.verdict).toBe('ok');
  });

  it('authenticates with PKCS#12 and its passphrase, and explains a wrong passphrase', async () => {
    const pfx = pkcs12Of(client, dir, 'correct horse').bytes;
    expect((await runEngine({ serverAddress: url, clientCertificate: { pfx, passphrase: 'correct horse' } })).verdict).toBe('ok');
    const wrong = await runEngine({ serverAddress: url, clientCertificate: { pfx, passphrase: 'wrong' } });
    expect(wrong.verdict).toBe('client-certificate-unusable');
    expect(JSON.stringify(wrong)).not.toContain('wrong"');
  });
});

describe('a client certificate asked for after the handshake (TLS 1.3)', () => {
  it('reads nginx\'s 400 "No required SSL certificate was sent" as tls-client-cert-required, with its words', async () => {
    const peer = await servers.httpsPeer((_req, res) => {
      res.writeHead(400, { 'content-type': 'text/html' });
      res.end('<html><head><title>400 No required SSL certificate was sent</title></head><body><center><h1>400 Bad Request</h1></center><center>No required SSL certificate was sent</center><hr><center>nginx</center></body></html>');
    });
    const report = await runEngine({ serverAddress: peer.url });
    expect(report.verdict).toBe('tls-client-cert-required');
    expect(report.message).toContain('No required SSL certificate was sent');
    expect(report.hint).toMatch(/Client certificate/);
    // An ordinary 400 stays what it is.
    const plain = await servers.httpsPeer((_req, res) => json(res, 400, { message: 'Bad query' }));
    expect((await runEngine({ serverAddress: plain.url })).verdict).toBe('http-unexpected-status');
  });
});

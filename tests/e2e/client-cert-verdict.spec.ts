// A server that wants a client certificate the admin has not chosen: the window says so, names the
// authority the server accepts (read from its TLS 1.3 CertificateRequest) and says what to do.
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { issueCertificate } from '../../tools/certificates';
import { expect, result, shot, test } from '../support/app-fixture';
import { fillConnection } from '../support/connection-form';

test('client certificate required: the window names the authority the server accepts', async ({ app }) => {
  const clientCa = await issueCertificate({ commonName: 'Corp Client CA', isCa: true });
  const leaf = await issueCertificate({ commonName: 'km.localhost' });
  const server = tls.createServer({ cert: leaf.certPem, key: leaf.keyPem, ca: clientCa.certPem, requestCert: true, rejectUnauthorized: true }, (socket) => socket.end());
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as AddressInfo).port;
    await fillConnection(app, { name: 'Mutual TLS key manager', address: `https://127.0.0.1:${port}`, token: 'mtls-token-0123456789', verify: 'No' });
    await app.getByRole('button', { name: 'Save and test connection' }).click();

    await expect(result(app).getByRole('heading', { name: 'Client certificate required' })).toBeVisible();
    await expect(result(app)).toContainText('This server accepts client certificates issued by CN=Corp Client CA.');
    await expect(result(app)).toContainText('tls-client-cert-required');
    const steps = result(app).getByRole('list', { name: 'Test steps' });
    await expect(steps.getByRole('listitem').filter({ hasText: 'Request' })).toContainText('no client certificate is configured, and the server sent certificate_required (116); the server asked for a client certificate issued by CN=Corp Client CA');
    // The verdict is about the client certificate: the TLS tab opens at that setting.
    await expect(app.getByRole('tab', { name: /TLS/ })).toHaveAttribute('aria-selected', 'true');
    await expect(app.getByText('The last test: the server asks for a client certificate.')).toBeVisible();
    await shot(app, 'failure-client-cert-required');
  } finally {
    server.close();
  }
});

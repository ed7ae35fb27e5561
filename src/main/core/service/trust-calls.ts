// How a connection trusts its server and proves itself: trust on first use (pin the key the admin
// has seen), extra CA certificates, and the client certificate for mutual TLS (its key in the vault).
import type { CallInput, ContractOutputs } from '../../../shared/contract';
import { KeybridgeError } from '../errors';
import type { ConnectionRecord } from '../store/connection-record';
import { describeCertificate, encodeClientMaterial, readCaCertificates, readClientCertificate } from '../trust/certificate-files';
import { connectionView } from './connection-view';
import { clientKeyId, type ServiceContext } from './context';

const CERTIFICATE_FILE_BYTES = 1024 * 1024;

export function trustCalls(ctx: ServiceContext, testConnection: (input: { id: string }) => Promise<ContractOutputs['testConnection']>) {
  const view = (record: ConnectionRecord) => connectionView(record, ctx.vault, ctx.now());

  return {
    /**
     * Trust on first use: pins the key of the certificate the last test showed, then tests again.
     * Only a key the admin has actually seen can be pinned: it must be in the last report.
     */
    async trustCertificate({ id, spkiSha256 }: CallInput<'trustCertificate'>): Promise<ContractOutputs['trustCertificate']> {
      await ctx.exclusive(id, () => {
        const record = ctx.mustGet(id);
        if (record.lastTest?.certificate?.spkiSha256 !== spkiSha256) {
          throw new KeybridgeError('certificate-not-seen', 'This certificate is not the one from the last test. Test the connection again, check the certificate, then trust it.');
        }
        ctx.change(id, { trust: { ...record.trust, pinnedSpki: spkiSha256, pinnedAt: ctx.now().toISOString() } }, 'certificate-trusted', spkiSha256);
      });
      const report = await testConnection({ id });
      return { connection: view(ctx.mustGet(id)), report };
    },

    async forgetTrustedCertificate({ id }: { id: string }): Promise<ContractOutputs['forgetTrustedCertificate']> {
      return ctx.exclusive(id, () => {
        const record = ctx.mustGet(id);
        return view(ctx.change(id, { trust: { ...record.trust, pinnedSpki: null, pinnedAt: null }, lastTest: null }, 'certificate-forgotten'));
      });
    },

    async addCaCertificate({ id }: { id: string }): Promise<ContractOutputs['addCaCertificate']> {
      ctx.mustGet(id);
      const chosen = await ctx.chooseFile('ca-certificate', CERTIFICATE_FILE_BYTES, 'certificate');
      if (chosen === null) return null;
      const parsed = readCaCertificates(chosen.bytes);
      if (!parsed.ok) throw new KeybridgeError('invalid-certificate-file', `${chosen.name}: ${parsed.message}`);
      return ctx.exclusive(id, () => {
        const record = ctx.mustGet(id);
        const known = new Set(record.trust.extraCaPem.map((pem) => describeCertificate(pem).sha256));
        const added = parsed.certificates.filter((pem) => !known.has(describeCertificate(pem).sha256));
        const updated = ctx.change(id, { trust: { ...record.trust, extraCaPem: [...record.trust.extraCaPem, ...added] }, lastTest: null });
        for (const pem of added) ctx.log('certificate-trusted', 'success', updated, `CA ${describeCertificate(pem).subject}`);
        return view(updated);
      });
    },

    async removeCaCertificate({ id, sha256 }: CallInput<'removeCaCertificate'>): Promise<ContractOutputs['removeCaCertificate']> {
      return ctx.exclusive(id, () => {
        const record = ctx.mustGet(id);
        const kept = record.trust.extraCaPem.filter((pem) => describeCertificate(pem).sha256 !== sha256);
        return view(ctx.change(id, { trust: { ...record.trust, extraCaPem: kept }, lastTest: null }, 'certificate-forgotten', `CA ${sha256}`));
      });
    },

    async setClientCertificate({ id, passphrase }: CallInput<'setClientCertificate'>): Promise<ContractOutputs['setClientCertificate']> {
      ctx.mustGet(id);
      const chosen = await ctx.chooseFile('client-certificate', CERTIFICATE_FILE_BYTES, 'certificate');
      if (chosen === null) return null;
      const parsed = readClientCertificate(chosen.bytes, passphrase || undefined);
      if (!parsed.ok) throw new KeybridgeError('invalid-client-certificate', `${chosen.name}: ${parsed.message}`);
      return ctx.exclusive(id, async () => {
        ctx.mustGet(id);
        // The key (and its passphrase) is a secret: it goes to the vault, like the API token, and
        // the previous key is put back if the record cannot be written.
        const clientCertificate = { subject: parsed.subject, validTo: parsed.validTo, format: parsed.format };
        const updated = await ctx.withSecrets([{ id: clientKeyId(id), value: encodeClientMaterial(parsed.material) }], () => ctx.change(id, { clientCertificate, lastTest: null }));
        ctx.log('connection-updated', 'success', updated, `client certificate ${parsed.subject}`);
        return view(updated);
      });
    },

    async removeClientCertificate({ id }: { id: string }): Promise<ContractOutputs['removeClientCertificate']> {
      return ctx.exclusive(id, () => {
        // The record first: if it cannot be written, the key it still names is still there.
        const updated = ctx.change(id, { clientCertificate: null, lastTest: null }, 'connection-updated', 'client certificate removed');
        ctx.vault.remove(clientKeyId(id));
        return view(updated);
      });
    },
  };
}

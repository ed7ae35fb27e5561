// How a connection's certificate is trusted: the pinned key (trusted on first use), extra CA
// certificates, and the client certificate for mutual TLS. Files are chosen in main's dialogs.
import { api } from '../api';
import { performer, withConnection, type GetState, type SetState, type Outcome } from './perform';

export interface TrustSlice {
  /** Pins the key and tests again with it. */
  trustCertificate(id: string, spkiSha256: string): Promise<Outcome>;
  forgetTrustedCertificate(id: string): Promise<Outcome>;
  addCaCertificate(id: string): Promise<Outcome>;
  removeCaCertificate(id: string, sha256: string): Promise<Outcome>;
  setClientCertificate(id: string, passphrase: string): Promise<Outcome>;
  removeClientCertificate(id: string): Promise<Outcome>;
}

export const trustSlice = (set: SetState, get: GetState): TrustSlice => {
  const perform = performer(set, get);
  return {
    trustCertificate: (id, spkiSha256) => perform({ testing: id }, () => api.trustCertificate({ id, spkiSha256 }), ({ connection }, state) => withConnection(connection)(state)),
    forgetTrustedCertificate: (id) => perform('saving', () => api.forgetTrustedCertificate({ id }), (connection, state) => withConnection(connection)(state)),
    // A cancelled file dialog answers null: nothing changes.
    addCaCertificate: (id) => perform('saving', () => api.addCaCertificate({ id }), (connection, state) => (connection ? withConnection(connection)(state) : {})),
    removeCaCertificate: (id, sha256) => perform('saving', () => api.removeCaCertificate({ id, sha256 }), (connection, state) => withConnection(connection)(state)),
    setClientCertificate: (id, passphrase) =>
      perform('saving', () => api.setClientCertificate({ id, ...(passphrase ? { passphrase } : {}) }), (connection, state) => (connection ? withConnection(connection)(state) : {})),
    removeClientCertificate: (id) => perform('saving', () => api.removeClientCertificate({ id }), (connection, state) => withConnection(connection)(state)),
  };
};

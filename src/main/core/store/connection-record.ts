// The connection record as stored on disk (connections.json). Holds no secret: the token lives in
// the vault, and only its masked hint is kept here.
import type { TestReport } from '../../../shared/types';

export const CONNECTIONS_SCHEMA_VERSION = 1;

export interface ConnectionRecord {
  id: string;
  name: string;
  serverAddress: string;
  verifyCertificate: boolean;
  /** Trust on first use: the pinned public key ("sha256/<base64>"), or null. */
  pinnedSpki?: string | null;
  auth: { method: 'bearer' };
  tokenHint: string | null;
  createdAt: string;
  updatedAt: string;
  lastTest: TestReport | null;
}

export type ConnectionsFile = {
  schemaVersion: number;
  connections: ConnectionRecord[];
};

/** JSON Schema checked by electron-store / Conf when the file is opened and on every write. */
export const connectionsFileSchema = {
  schemaVersion: { type: 'integer', minimum: 1 },
  connections: {
    type: 'array',
    items: {
      type: 'object',
      required: ['id', 'name', 'serverAddress', 'verifyCertificate', 'auth', 'createdAt', 'updatedAt'],
      properties: {
        id: { type: 'string', minLength: 1 },
        name: { type: 'string' },
        serverAddress: { type: 'string' },
        verifyCertificate: { type: 'boolean' },
        pinnedSpki: { type: ['string', 'null'] },
        auth: {
          type: 'object',
          required: ['method'],
          properties: { method: { enum: ['bearer'] } },
        },
        tokenHint: { type: ['string', 'null'] },
        createdAt: { type: 'string' },
        updatedAt: { type: 'string' },
        lastTest: { type: ['object', 'null'] },
      },
    },
  },
} as const;

// Audit actions in the admin's words. The codes (AuditAction in types.ts, written by main's service
// through ServiceContext.log) stay in the log file and its CSV/JSON export, which are for machines;
// the window shows these words. A Record over the union: a new action without words fails the
// typecheck. Pure: no node, no DOM.
import type { AuditAction } from './types';

/** Every audit action, in the order the audit log's filter lists them. */
export const AUDIT_ACTION_WORDS: Readonly<Record<AuditAction, string>> = {
  'connection-tested': 'Connection tested',
  'connection-created': 'Connection created',
  'connection-updated': 'Connection changed',
  'connection-deleted': 'Connection deleted',
  'connection-enabled': 'Connection enabled',
  'connection-disabled': 'Connection disabled',
  'token-imported': 'Token saved',
  'token-rotated': 'Token rotated',
  'token-rotation-refused': 'Token rotation refused',
  'certificate-trusted': 'Certificate trusted',
  'certificate-forgotten': 'Certificate no longer trusted',
  'connections-exported': 'Connections exported',
  'connections-imported': 'Connections imported',
  'secret-policy-changed': 'Secret storage changed',
  'secret-orphans-removed': 'Leftover secrets removed',
};

export const AUDIT_ACTIONS = Object.keys(AUDIT_ACTION_WORDS) as AuditAction[];

export function isAuditAction(code: string): code is AuditAction {
  return Object.prototype.hasOwnProperty.call(AUDIT_ACTION_WORDS, code);
}

/**
 * The words for an action code. A code this window does not know (a log written by a newer
 * Keybridge) is shown as it is, not hidden.
 */
export function auditActionWords(code: string): string {
  return isAuditAction(code) ? AUDIT_ACTION_WORDS[code] : code;
}

/** An entry's outcome in words. */
export const AUDIT_OUTCOME_WORDS: Readonly<Record<'success' | 'failure', string>> = {
  success: 'Success',
  failure: 'Failure',
};

/** An outcome's words; one this window does not know is shown as it is. */
export function auditOutcomeWords(outcome: string): string {
  return outcome === 'success' || outcome === 'failure' ? AUDIT_OUTCOME_WORDS[outcome] : outcome;
}

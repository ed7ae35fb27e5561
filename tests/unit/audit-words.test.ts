// Audit actions in words (src/shared/audit-words.ts): every code has its own words, which read as
// words; a code the window does not know is shown as it is.
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTION_WORDS, AUDIT_ACTIONS, AUDIT_OUTCOME_WORDS, auditActionWords, auditOutcomeWords, isAuditAction } from '../../src/shared/audit-words';
import type { AuditAction } from '../../src/shared/types';

describe('audit action words', () => {
  it('gives each action its own words, in sentence case, no code left', () => {
    const words = AUDIT_ACTIONS.map((a) => AUDIT_ACTION_WORDS[a]);
    expect(new Set(words).size).toBe(AUDIT_ACTIONS.length);
    for (const w of words) {
      expect(w).toMatch(/^[A-Z][a-z]+( [a-z]+)*$/);
      expect(w).not.toMatch(/-/);
    }
  });

  it('names what the service writes in the admin\'s words', () => {
    const cases: Array<[AuditAction, string]> = [
      ['connection-tested', 'Connection tested'],
      ['token-rotated', 'Token rotated'],
      ['token-rotation-refused', 'Token rotation refused'],
      ['certificate-trusted', 'Certificate trusted'],
      ['connections-exported', 'Connections exported'],
    ];
    for (const [code, words] of cases) expect(auditActionWords(code)).toBe(words);
  });

  it('lists every action once for the filter, tests first', () => {
    expect(AUDIT_ACTIONS[0]).toBe('connection-tested');
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
  });

  it('shows a code it does not know as it is, prototype names included', () => {
    expect(auditActionWords('connection-teleported')).toBe('connection-teleported');
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(isAuditAction(name)).toBe(false);
      expect(auditActionWords(name)).toBe(name);
    }
  });

  it('words the outcomes', () => {
    expect(AUDIT_OUTCOME_WORDS).toEqual({ success: 'Success', failure: 'Failure' });
    expect(auditOutcomeWords('failure')).toBe('Failure');
    expect(auditOutcomeWords('partial')).toBe('partial');
  });
});

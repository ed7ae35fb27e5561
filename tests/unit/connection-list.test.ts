// The sidebar's search, status filter and sort (src/renderer/connection-list.ts, pure).
import { describe, expect, it } from 'vitest';
import { visibleConnections } from '../../src/renderer/connection-list';
import type { ConnectionView, TestReport } from '../../src/shared/types';

const report = (ok: boolean, verdict = ok ? 'ok' : 'http-unauthorized'): TestReport => ({ ok, verdict } as TestReport);
const view = (name: string, more: Partial<ConnectionView> = {}): ConnectionView =>
  ({ id: name, name, serverAddress: `https://${name.toLowerCase().replace(/ /g, '-')}.example.com`, enabled: true, expiry: 'none', lastTest: null, lastTestedAt: null, ...more }) as ConnectionView;

const list = [
  view('Prod 10', { lastTest: report(true), lastTestedAt: '2026-11-20T10:00:00Z' }),
  view('Prod 9', { lastTest: report(false), lastTestedAt: '2026-11-22T10:00:00Z' }),
  view('Staging', { enabled: false }),
  view('Eval', { expiry: 'expiring', lastTest: report(false, 'test-cancelled'), lastTestedAt: '2026-11-21T10:00:00Z' }),
  view('Old', { expiry: 'expired', lastTest: report(true), lastTestedAt: '2026-11-01T10:00:00Z' }),
];
const names = (options: Partial<Parameters<typeof visibleConnections>[1]>) => visibleConnections(list, { query: '', status: 'all', sort: 'name', ...options }).map((c) => c.name);

describe('the connection list', () => {
  it('sorts by name, numbers in order, and by last test, never-tested last', () => {
    expect(names({})).toEqual(['Eval', 'Old', 'Prod 9', 'Prod 10', 'Staging']);
    expect(names({ sort: 'last-test' })).toEqual(['Prod 9', 'Eval', 'Prod 10', 'Old', 'Staging']);
  });

  it('searches names and addresses, ignoring case', () => {
    expect(names({ query: 'PROD' })).toEqual(['Prod 9', 'Prod 10']);
    expect(names({ query: 'staging.example' })).toEqual(['Staging']);
    expect(names({ query: 'nothing' })).toEqual([]);
  });

  it('filters by status: a cancelled test is not a failure, an expired token is', () => {
    expect(names({ status: 'failing' })).toEqual(['Old', 'Prod 9']);
    expect(names({ status: 'untested' })).toEqual(['Eval']);
    expect(names({ status: 'disabled' })).toEqual(['Staging']);
    expect(names({ status: 'expiring' })).toEqual(['Eval', 'Old']);
  });
});

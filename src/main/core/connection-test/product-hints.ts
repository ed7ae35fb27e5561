// A product's own hint for a verdict, in place of the general one (presets.ts `hints`), and the one
// that needs the workstation's names: Password Manager Pro binds an API user to one host, and its
// "not allowed to access from this host" is answered with this workstation's name and addresses.
import os from 'node:os';
import { PMP_WRONG_HOST } from '../../../shared/presets';
import type { Verdict } from '../../../shared/types';
import type { VerdictContext } from './verdicts';

export interface Workstation {
  hostname: string;
  /** Its non-internal addresses. */
  addresses: string[];
}

/** This machine, as os reports it (read only when a hint needs it). */
export function thisWorkstation(): Workstation {
  const addresses = Object.values(os.networkInterfaces())
    .flat()
    .filter((a) => a && !a.internal)
    .map((a) => a!.address);
  return { hostname: os.hostname(), addresses };
}

export function productHint(
  verdict: Verdict,
  context: VerdictContext,
  hints: Partial<Record<Verdict, string>> | undefined,
  workstation: () => Workstation = thisWorkstation,
): string | undefined {
  if (verdict === 'auth-rejected' && PMP_WRONG_HOST.test(context.serverMessage ?? '')) {
    const { hostname, addresses } = workstation();
    return `A Password Manager Pro API user is bound to one host, and this is not it. This workstation is ${hostname}${addresses.length ? ` (${addresses.slice(0, 4).join(', ')})` : ''}: add an API user for it, or use this connection from the host the API user names.`;
  }
  return hints?.[verdict];
}

// What a connection test is given: the target (address, authentication, trust, product settings)
// and the environment (clock, user agent, this machine's names).
import type { TestStep, Verdict } from '../../../shared/types';
import type { AuthSpec } from './auth-methods';
import type { SuccessRule } from './judge';
import type { Workstation } from './product-hints';
import type { ClientCertificate, TrustOptions } from './tls-handshake';

export interface TestTarget {
  serverAddress: string;
  auth: AuthSpec;
  trust: TrustOptions;
  /** Path (and query) to test: the caller takes it from the product (shared/presets.ts); without one, the address's own default (parse-address.ts: the generic product's). */
  endpoint?: string;
  clientCertificate?: ClientCertificate;
  /** A proxy URL; undefined = from HTTPS_PROXY / NO_PROXY; null = never a proxy. */
  proxy?: string | null;
  /** Allow sending the secret over plain http:// (reported with a warning). */
  allowInsecureHttp?: boolean;
  /** Bound for the whole test; each phase gets its own smaller bound. */
  timeoutMs?: number;
  successRule?: SuccessRule;
  /** The product's port when the address names none (Password Manager Pro: 7272). */
  defaultPort?: number;
  /** Hears each step as it completes (redacted and bounded like the report), for live progress. */
  onStep?: (step: TestStep, elapsedMs: number) => void;
  /** The product's own hints for its typical failures (presets.ts), in place of the general ones. */
  hints?: Partial<Record<Verdict, string>>;
  signal?: AbortSignal;
}

export interface TestEnvironment {
  now?: () => Date;
  userAgent?: string;
  /** This machine's names, for hints that name it (product-hints.ts); default from os. */
  workstation?: () => Workstation;
}

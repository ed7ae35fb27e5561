// Records the steps of one connection test with their timings and evidence.
import type { PhaseTimings, StepId, TestStep, Verdict } from '../../../shared/types';

const ORDER: StepId[] = ['address', 'dns', 'tcp', 'proxy', 'tls', 'http', 'auth'];

/** A time in ms as the steps and the phase timings keep it: to a tenth of a millisecond (the report shows one decimal). */
export function tenths(ms: number): number {
  return Math.round(ms * 10) / 10;
}

export class StepLog {
  private readonly steps = new Map<StepId, TestStep>();
  private readonly started = performance.now();
  readonly timings: Omit<PhaseTimings, 'total'> = { dns: null, tcp: null, tls: null, firstByte: null };

  /** `onRecord` hears each step as it is recorded (live progress); it must clean what it passes on. */
  constructor(private readonly onRecord?: (step: TestStep, elapsedMs: number) => void) {}

  /**
   * Runs one step, timing it; a throw marks it failed (detail from the error's `detail`, if any).
   * `took` gives the step's time from what it measured itself (the request: the wait for the first
   * byte of the answer), so the step and the phase timings show one figure.
   */
  async run<T>(id: StepId, work: () => Promise<T>, describe: (value: T) => string, took?: (value: T) => number): Promise<T> {
    const t0 = performance.now();
    try {
      const value = await work();
      this.record(id, 'passed', took ? took(value) : performance.now() - t0, describe(value));
      return value;
    } catch (error) {
      const detail = (error as { detail?: string }).detail ?? '';
      this.record(id, 'failed', performance.now() - t0, detail);
      throw error;
    }
  }

  record(id: StepId, status: TestStep['status'], ms: number, detail: string): void {
    // Kept whole here: the report is redacted first and bounded after (redact.ts), so a cut never
    // leaves part of a secret that the redaction can no longer recognise.
    const step = { id, status, ms: tenths(ms), detail };
    this.steps.set(id, step);
    this.onRecord?.(step, this.total());
  }

  /** A step that ran turned out to have failed (a request answered with a gateway's error): its time stays, `amend` adds to its evidence. */
  fail(id: StepId, amend: (detail: string) => string): void {
    const step = this.steps.get(id);
    if (step) this.record(id, 'failed', step.ms, amend(step.detail));
  }

  skip(id: StepId, detail: string): void {
    this.record(id, 'skipped', 0, detail);
  }

  /** The step's duration, or null when it did not run. */
  ms(id: StepId): number | null {
    const step = this.steps.get(id);
    return step && step.status !== 'skipped' ? step.ms : null;
  }

  /** All steps in order; those never reached are listed as skipped. */
  list(): TestStep[] {
    return ORDER.filter((id) => id !== 'proxy' || this.steps.has('proxy')).map(
      (id) => this.steps.get(id) ?? { id, status: 'skipped', ms: 0, detail: 'not reached' },
    );
  }

  total(): number {
    return Math.round(performance.now() - this.started);
  }
}

/** An error that carries the verdict it stands for and the evidence for the step that failed. */
export class StepFailure extends Error {
  constructor(
    readonly verdict: Verdict,
    readonly detail: string,
    readonly extra: { errorCode?: string; phase?: string; status?: number } = {},
  ) {
    super(detail);
    this.name = 'StepFailure';
  }
}

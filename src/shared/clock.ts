// Whether a certificate's dates failed because of this workstation's clock: the server's clock as
// its HTTP Date header tells it (read without sending any secret), or, failing that, the time the
// certificate became valid. Pure and shared: the engine judges, the window and the CLI say it.

/** What was learnt of the clocks. skewMs > 0: the server is ahead, this workstation behind. */
export interface ClockEvidence {
  skewMs: number;
  /** 'server-date': the server's Date header; 'certificate': at least this much (its start of validity). */
  source: 'server-date' | 'certificate';
  /** The server's time (Date header) or the certificate's start of validity, ISO. */
  serverTime: string;
}

/** Clocks this close agree (HTTP dates have whole seconds; a server may be a minute off). */
export const CLOCK_TOLERANCE_MS = 5 * 60_000;

export function clockEvidence(now: number, serverDate: Date | null, certificateValidFrom: string | null, verdict: 'tls-expired' | 'tls-not-yet-valid'): ClockEvidence | null {
  if (serverDate && Number.isFinite(serverDate.getTime())) return { skewMs: serverDate.getTime() - now, source: 'server-date', serverTime: serverDate.toISOString() };
  // Without the server's clock: a certificate that starts in the future says the clock is behind by at least that much.
  const from = certificateValidFrom ? Date.parse(certificateValidFrom) : NaN;
  if (verdict === 'tls-not-yet-valid' && from - now > CLOCK_TOLERANCE_MS) return { skewMs: from - now, source: 'certificate', serverTime: new Date(from).toISOString() };
  return null;
}

export const clockAgrees = (clock: ClockEvidence): boolean => Math.abs(clock.skewMs) <= CLOCK_TOLERANCE_MS;

/** "3 h 12 min", "2 days 4 h", "7 min". */
export function spanText(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return `${days} day${days === 1 ? '' : 's'}${hours ? ` ${hours} h` : ''}`;
  if (hours > 0) return `${hours} h${rest ? ` ${rest} min` : ''}`;
  return `${rest} min`;
}

/** One sentence about the clocks, for the message and the report. */
export function clockSentence(clock: ClockEvidence): string {
  if (clock.source === 'certificate') return `This workstation's clock is at least ${spanText(clock.skewMs)} behind: the certificate became valid at ${clock.serverTime}.`;
  if (clockAgrees(clock)) return "This workstation's clock agrees with the server's (its Date header), so the certificate's dates are what is wrong.";
  return `This workstation's clock is ${spanText(clock.skewMs)} ${clock.skewMs > 0 ? 'behind' : 'ahead of'} the server (its Date header says ${clock.serverTime}).`;
}

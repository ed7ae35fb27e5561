// The phases of a test as a small waterfall: name lookup, connection, TLS, and the wait for the
// first byte, each starting where the one before ended, on the scale of the whole test.
import type { PhaseTimings } from '../../shared/types';

const PHASES = [
  { key: 'dns', label: 'DNS', color: 'var(--muted)' },
  { key: 'tcp', label: 'TCP', color: 'var(--warning)' },
  { key: 'tls', label: 'TLS', color: 'var(--primary)' },
  { key: 'firstByte', label: 'first byte', color: 'var(--ok)' },
] as const;

const ms = (value: number): string => `${Math.round(value * 10) / 10} ms`;

/** The phases that ran, each starting where the one before ended. */
function barsOf(timings: PhaseTimings) {
  const bars: { key: string; label: string; color: string; value: number; start: number }[] = [];
  for (const phase of PHASES) {
    const value = timings[phase.key];
    if (value === null) continue;
    const previous = bars[bars.length - 1];
    bars.push({ ...phase, value, start: previous ? previous.start + previous.value : 0 });
  }
  return bars;
}

export function Waterfall({ timings }: { timings: PhaseTimings }) {
  const total = Math.max(timings.total, 1);
  const bars = barsOf(timings);
  if (bars.length === 0) return null;
  const label = `Timings: ${bars.map((b) => `${b.label} ${ms(b.value)}`).join(', ')}, total ${ms(timings.total)}`;
  const rowHeight = 16;
  return (
    <figure className="waterfall">
      <svg role="img" aria-label={label} viewBox={`0 0 400 ${bars.length * rowHeight}`} preserveAspectRatio="none" width="100%" height={bars.length * rowHeight}>
        {bars.map((bar, index) => (
          <rect
            key={bar.key}
            x={(bar.start / total) * 400}
            y={index * rowHeight + 3}
            width={Math.max((bar.value / total) * 400, 1.5)}
            height={rowHeight - 6}
            rx={2}
            fill={bar.color}
          />
        ))}
      </svg>
      <figcaption className="waterfall-legend" aria-hidden="true">
        {bars.map((bar) => (
          <span key={bar.key}>
            <span className="swatch" style={{ background: bar.color }} /> {bar.label} {ms(bar.value)}
          </span>
        ))}
        <span>total {ms(timings.total)}</span>
      </figcaption>
    </figure>
  );
}

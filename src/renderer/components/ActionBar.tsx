// The pane's action bar: the one test action, whose label says what it tests (the saved settings,
// or the form's after saving them), the live progress of a running test and its Cancel. It sits
// below the scrolling content, so it is in view at every window size, before and after a test.
import { useEffect, useState } from 'react';
import { STEP_NAMES } from '../../shared/report-text';
import type { ConnectionView } from '../../shared/types';
import { useKeybridge } from '../store';
import { FORM_ID } from './connection-form/ConnectionForm';

/** Seconds since `startedAt`, ticking while a test runs. */
function useElapsed(startedAt: number | null): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (startedAt === null) return;
    const timer = setInterval(() => setNow(performance.now()), 100);
    return () => clearInterval(timer);
  }, [startedAt]);
  return startedAt === null ? 0 : Math.max(0, now - startedAt) / 1000;
}

export function ActionBar({ connection }: { connection: ConnectionView | null }) {
  const dirty = useKeybridge((s) => s.formDirty);
  const busy = useKeybridge((s) => s.busy);
  const testingId = useKeybridge((s) => s.testingId);
  const progress = useKeybridge((s) => s.progress);
  const cancelTest = useKeybridge((s) => s.cancelTest);
  const otherTest = useKeybridge((s) => (s.testingId !== null && s.testingId !== connection?.id ? (s.connections.find((c) => c.id === s.testingId)?.name ?? 'another connection') : null));
  const testing = connection !== null && testingId === connection.id;
  const live = testing && progress?.connectionId === connection.id ? progress : null;
  const seconds = useElapsed(live?.startedAt ?? null);
  const lastStep = live?.steps[live.steps.length - 1];
  // Another connection's test, or a disabled connection, rule the action out; a save or a test of
  // this one only makes it wait (aria-disabled keeps the focused button focused meanwhile).
  const disabled = otherTest !== null || connection?.enabled === false || busy === 'loading' || busy === 'deleting';
  const waiting = testing || busy === 'saving';
  const label = testing ? 'Testing connection…' : connection && !dirty ? 'Test saved settings' : 'Save and test connection';

  return (
    <div className="action-bar" role="group" aria-label="Test">
      {/* While its test runs the button stays focusable (aria-disabled), so focus is not lost. */}
      <button
        type="submit"
        form={FORM_ID}
        className="button button-primary"
        disabled={disabled}
        aria-disabled={waiting ? true : undefined}
        onClick={(event) => {
          if (waiting) event.preventDefault();
        }}
      >
        {label}
      </button>
      {testing && connection ? (
        <>
          <button type="button" className="button" onClick={() => cancelTest(connection.id)}>
            Cancel test
          </button>
          {/* The seconds tick for the eye only; a screen reader hears each step once (the report's live region). */}
          <span className="action-progress">
            <span aria-hidden="true">{seconds.toFixed(1)} s · </span>
            {lastStep ? `${STEP_NAMES[lastStep.id]} done` : 'starting'}
          </span>
        </>
      ) : null}
      {!testing && connection && dirty ? (
        <span className="unsaved" role="status">
          Unsaved changes: the test saves them first
        </span>
      ) : null}
      {!testing && connection && !dirty ? <span className="muted action-note">Tests the saved settings.</span> : null}
      {otherTest ? (
        <span className="muted action-note" role="status">
          Testing {otherTest}… one test at a time.
        </span>
      ) : null}
      {connection?.enabled === false ? <span className="muted action-note">This connection is disabled. Enable it to save and test.</span> : null}
    </div>
  );
}

// The steps of the running test as main reports them, and the time running: for the live checklist.
import { useEffect, useState } from 'react';
import type { TestStep } from '../shared/types';
import { api } from './api';

export interface LiveProgress {
  steps: TestStep[];
  elapsedMs: number;
}

/** While `testing`, collects the steps of this connection's test (any, for a connection not saved yet). */
export function useTestProgress(testing: boolean, connectionId: string | null): LiveProgress {
  const [steps, setSteps] = useState<TestStep[]>([]);
  const [elapsedMs, setElapsed] = useState(0);
  useEffect(() => {
    if (!testing) return;
    const started = performance.now();
    const timer = setInterval(() => setElapsed(performance.now() - started), 100);
    const unsubscribe = api.onTestProgress((progress) => {
      if (connectionId !== null && progress.connectionId !== connectionId) return;
      setSteps((seen) => [...seen.filter((s) => s.id !== progress.step.id), progress.step]);
    });
    return () => {
      clearInterval(timer);
      unsubscribe();
      // Empty for the next test.
      setSteps([]);
      setElapsed(0);
    };
  }, [testing, connectionId]);
  return { steps, elapsedMs };
}

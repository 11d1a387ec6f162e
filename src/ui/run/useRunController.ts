// The page's run controller for components: null until it has started (and, when another tab
// trains, until that tab closes), so buttons that need it stay disabled meanwhile.
import { useEffect, useState } from 'react';
import { startGatedRunController } from '../../runs/gatedRunController.ts';
import type { RunController } from '../../runs/runController.ts';
import { runsStoreLedger } from '../../state/runsLedger.ts';

export function useRunController(): RunController | null {
  const [controller, setController] = useState<RunController | null>(null);
  useEffect(() => {
    let current = true;
    startGatedRunController(runsStoreLedger).then(
      (started) => {
        if (current) setController(started);
      },
      // The failure is in the runs store (runnerProblem), which the page shows.
      () => {},
    );
    return () => {
      current = false;
    };
  }, []);
  return controller;
}

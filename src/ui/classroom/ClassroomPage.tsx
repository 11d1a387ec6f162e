// The Classroom page: one large card per demo, each a small experiment sized to finish in about a
// minute on a laptop GPU (demosCompute.ts), showing how long it trains on this adapter (measured),
// whose outcome is announced (a live region) when done. Made for a projector: presentation mode
// (the P key) enlarges the type and raises the contrast.
import { DEMOS } from './demos.ts';
import { useRunsStore } from '../../state/runsStore.ts';
import { useRunController } from '../run/useRunController.ts';
import { DemoCard } from './DemoCard.tsx';
import { demoSizeFromSearch } from './demoPlans.ts';
import './classroom.css';

export function ClassroomPage() {
  const size = demoSizeFromSearch(window.location.search);
  // Started on opening the page, so earlier demo runs are listed (and interrupted ones restart).
  const controller = useRunController();
  const runner = useRunsStore((state) => state.runner);
  const runnerProblem = useRunsStore((state) => state.runnerProblem);
  return (
    <div className="classroom">
      <header className="classroom-intro">
        <h1>Classroom</h1>
        <p>
          Three one-click experiments, each training two small models side by side on one MAD task. Each demo is sized to
          be short on a laptop GPU, and shows how long it trains on this one, from the speed the GPU check measured; press <strong>P</strong> for presentation mode on a projector.
        </p>
        {size === 'tiny' && (
          <p className="classroom-note" data-testid="demo-scale-note">
            Tiny demo scale (<code>?demoScale=tiny</code>): each run trains for four steps only, to test the page on a CPU. The
            outcomes mean nothing at this scale.
          </p>
        )}
        {runner === 'waiting' && (
          <p className="classroom-note">Another tab of MAD Lab is training models; the demos can start here once it is closed.</p>
        )}
        {runnerProblem && (
          <p className="classroom-note classroom-problem" role="alert">
            Training cannot start: {runnerProblem}
          </p>
        )}
      </header>
      {DEMOS.map((demo) => (
        <DemoCard key={demo.id} demo={demo} size={size} controller={controller} />
      ))}
    </div>
  );
}

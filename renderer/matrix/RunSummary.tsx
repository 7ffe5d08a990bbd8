// The overall progress bar, the verdict counts and the one-line headline a reviewer reads first.
import { coverage, finding, headline, headlineTone } from '../../shared/coverage.js';
import { VERDICTS } from '../../shared/verdict.js';
import { finishedResults, runCounts, type RunState } from '../run/runState.js';

/** The headline while a run is going: how far it got, and what the cases decided so far found. */
function runningText(run: RunState): string {
  const results = finishedResults(run);
  const cover = coverage({ cases: results, cancelled: false });
  const soFar = cover.decided > 0 ? ` — so far: ${finding(cover)} (${cover.decided} decided)` : '';
  return `${run.cancelRequested ? 'Cancelling… ' : 'Running: '}${run.done} of ${run.total} done${soFar}`;
}

export function RunSummary({ run }: { run: RunState }) {
  const counts = runCounts(run);
  const results = finishedResults(run);
  const finished = { cases: results, cancelled: run.record?.cancelled ?? false };
  const text =
    run.phase === 'starting'
      ? 'Starting the run…'
      : run.phase === 'running'
        ? runningText(run)
        : run.failure
          ? `Run failed: ${run.failure}${results.length > 0 ? ` — ${headline(finished)}` : ''}`
          : headline(finished);
  const tone = run.failure ? 'fail' : headlineTone(finished);
  return (
    <div className={`run-summary summary-${run.phase === 'finished' ? tone : 'running'}`}>
      <div className="progress-line">
        <progress max={Math.max(run.total, 1)} value={run.done} aria-label="Run progress" />
        <span className="progress-count">
          {run.done} / {run.total}
        </span>
      </div>
      <p className="headline" role="status" data-testid="run-headline">
        {text}
      </p>
      <ul className="counts" aria-label="Verdict counts">
        {VERDICTS.map((verdict) => (
          <li key={verdict} className={`count count-${verdict}`}>
            {verdict} <strong>{counts[verdict]}</strong>
          </li>
        ))}
      </ul>
    </div>
  );
}

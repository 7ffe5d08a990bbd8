// The overall progress bar, the verdict counts and the one-line headline a reviewer reads first.
import { headline } from '../../shared/run.js';
import { VERDICTS } from '../../shared/verdict.js';
import { finishedResults, runCounts, type RunState } from '../run/runState.js';

export function RunSummary({ run }: { run: RunState }) {
  const counts = runCounts(run);
  const results = finishedResults(run);
  const cancelled = run.record?.cancelled ?? false;
  const text =
    run.phase === 'starting'
      ? 'Starting the run…'
      : run.phase === 'running'
        ? `${run.cancelRequested ? 'Cancelling… ' : 'Running: '}${run.done} of ${run.total} done${results.length > 0 ? ` — so far: ${headline({ cases: results, cancelled: false })}` : ''}`
        : headline({ cases: results, cancelled });
  const worst = counts.fail > 0 ? 'fail' : counts.error + counts.inconclusive > 0 ? 'unsure' : 'good';
  return (
    <div className={`run-summary summary-${run.phase === 'finished' ? worst : 'running'}`}>
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

// The overall progress bar, the verdict counts and the one-line headline a reviewer reads first.
import type { Ref } from 'react';
import { coverage, finding, headline, headlineTone } from '../../shared/coverage.js';
import { VERDICTS } from '../../shared/verdict.js';
import { finishedResults, runCounts, type RunState } from '../run/runState.js';

/** The headline while a run is going: how far it got, and what the cases decided so far found. */
function runningText(run: RunState): string {
  const results = finishedResults(run);
  const cover = coverage({ cases: results, cancelled: false });
  const soFar = cover.decided > 0 ? ` — so far: ${finding(cover)} (${cover.decided} decided)` : '';
  const partial = run.selection ? ` ${run.total} of ${run.selection.of} cases (a partial run)` : '';
  return `${run.cancelRequested ? 'Cancelling… ' : `Running${partial}: `}${run.done} of ${run.total} done${soFar}`;
}

/** `focusRef`: the summary takes focus when a run starts (useRunAttention), so focus is never lost to a disabled
 * button, and a screen reader reads where the run is. */
export function RunSummary({ run, focusRef }: { run: RunState; focusRef?: Ref<HTMLDivElement> }) {
  const counts = runCounts(run);
  const results = finishedResults(run);
  const selection = run.record?.selection ?? run.selection;
  const finished = { cases: results, cancelled: run.record?.cancelled ?? false, ...(selection ? { selection } : {}) };
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
    <div
      className={`run-summary summary-${run.phase === 'finished' ? tone : 'running'}`}
      ref={focusRef}
      tabIndex={-1}
      data-testid="run-summary"
    >
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

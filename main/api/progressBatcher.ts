// Run progress is batched before it crosses to the UI: at most one message per interval (Hyper batches terminal
// output every 16 ms), and at once when a run finishes so the last state is never late.
import type { RunProgress } from '../../shared/run.js';

/** Whether a run's progress is its last word, sent at once. */
function runEnds(progress: RunProgress): boolean {
  return progress.type === 'run-finished' || progress.type === 'run-failed';
}

/** Batches any progress (runs by default; quick probes give their own `isLast`). */
export class ProgressBatcher<Progress = RunProgress> {
  private pending: Progress[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly send: (batch: Progress[]) => void,
    private readonly intervalMs = 16,
    private readonly isLast: (progress: Progress) => boolean = runEnds as (progress: Progress) => boolean,
  ) {}

  push(progress: Progress): void {
    this.pending.push(progress);
    if (this.isLast(progress)) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.send(batch);
  }
}

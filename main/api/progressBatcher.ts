// Run progress is batched before it crosses to the UI: at most one message per interval (Hyper batches terminal
// output every 16 ms), and at once when a run finishes so the last state is never late.
import type { RunProgress } from '../../shared/run.js';

export class ProgressBatcher {
  private pending: RunProgress[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly send: (batch: RunProgress[]) => void,
    private readonly intervalMs = 16,
  ) {}

  push(progress: RunProgress): void {
    this.pending.push(progress);
    if (progress.type === 'run-finished' || progress.type === 'run-failed') this.flush();
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

// A row's state as a mark and a word, so it never depends on colour alone.
import type { RowStatus } from '../run/runState.js';

const MARKS: Record<RowStatus, string> = {
  queued: '·',
  running: '▶',
  pass: '✔',
  fail: '✘',
  'needs-review': '⚑',
  inconclusive: '?',
  error: '!',
  skipped: '–',
  cancelled: '⊘',
};

export function StatusMark({ status }: { status: RowStatus | undefined }) {
  if (!status) {
    return (
      <span className="status status-none" data-status="none">
        <span aria-hidden="true">○</span> not run
      </span>
    );
  }
  return (
    <span className={`status status-${status}`} data-status={status}>
      <span aria-hidden="true">{MARKS[status]}</span> {status}
    </span>
  );
}

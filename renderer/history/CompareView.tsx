// Which cases changed between two runs (compareRuns already puts regressions first), why, and for a chosen case
// its two transcripts side by side.
import { useRef, useState } from 'react';
import type { CaseChange, Comparison } from '../../shared/compare.js';
import { comparisonSummary } from '../../shared/compareText.js';
import type { RunRecord } from '../../shared/run.js';
import { ensureVisible } from '../../shared/text.js';
import { ChangeTable } from './ChangeTable.js';
import { TranscriptDiff } from './TranscriptDiff.js';

export function CompareView({
  comparison,
  beforeLabel,
  afterLabel,
  runs,
}: {
  comparison: Comparison;
  beforeLabel: string;
  afterLabel: string;
  /** The two runs, for their transcripts (absent while they are read, or if they could not be). */
  runs?: { before: RunRecord; after: RunRecord };
}) {
  const [shown, setShown] = useState<CaseChange | undefined>();
  const diffHeading = useRef<HTMLHeadingElement>(null);

  function showTranscripts(change: CaseChange) {
    setShown((current) => (current?.id === change.id ? undefined : change));
    // The diff opens below the table: move there, so a keyboard or screen reader user lands on it.
    requestAnimationFrame(() => diffHeading.current?.focus());
  }

  const transcript = (run: RunRecord | undefined, id: string) =>
    run?.cases.find((result) => result.case.id === id)?.transcript;
  const before = shown && transcript(runs?.before, shown.id);
  const after = shown && transcript(runs?.after, shown.id);

  return (
    <section className="compare" aria-labelledby="compare-heading">
      <h3 id="compare-heading">
        Compared: {beforeLabel} → {afterLabel}
      </h3>
      {!comparison.samePlan ? (
        <p className="warning-note">⚠ The plan changed between these runs: some differences may come from the plan.</p>
      ) : null}
      <p className="compare-summary" data-testid="compare-summary">
        {comparisonSummary(comparison)}
      </p>
      {comparison.changes.length > 0 ? (
        <ChangeTable
          changes={comparison.changes}
          {...(runs ? { onShowTranscripts: showTranscripts } : {})}
          {...(shown ? { shownId: shown.id } : {})}
        />
      ) : null}
      {shown ? (
        <section className="transcript-diff-section" aria-labelledby="diff-heading">
          <h4 id="diff-heading" tabIndex={-1} ref={diffHeading}>
            Transcripts of {ensureVisible(shown.title)}
          </h4>
          {before && after ? (
            <TranscriptDiff title={ensureVisible(shown.title)} before={before} after={after} />
          ) : (
            <p className="empty">One of the runs has no transcript of this case.</p>
          )}
        </section>
      ) : null}
    </section>
  );
}

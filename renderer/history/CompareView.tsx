// Which cases changed between two runs; compareRuns already puts regressions first.
import { notRunText, type Comparison } from '../../shared/compare.js';
import { ChangeTable } from './ChangeTable.js';

export function CompareView({
  comparison,
  beforeLabel,
  afterLabel,
}: {
  comparison: Comparison;
  beforeLabel: string;
  afterLabel: string;
}) {
  return (
    <section className="compare" aria-labelledby="compare-heading">
      <h3 id="compare-heading">
        {beforeLabel} → {afterLabel}
      </h3>
      {!comparison.samePlan ? (
        <p className="warning-note">⚠ The plan changed between these runs: some differences may come from the plan.</p>
      ) : null}
      <p>
        {comparison.changes.length === 0
          ? 'No case changed.'
          : `${comparison.changes.length} case${comparison.changes.length === 1 ? '' : 's'} changed`}
        {`; ${comparison.unchanged} unchanged.`}
      </p>
      {notRunText(comparison) ? <p className="field-hint">{notRunText(comparison)}.</p> : null}
      {comparison.changes.length > 0 ? <ChangeTable changes={comparison.changes} /> : null}
    </section>
  );
}

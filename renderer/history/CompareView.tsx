// Which cases changed between two runs; compareRuns already puts regressions first.
import type { ChangeKind, Comparison } from '../../shared/compare.js';

const KIND_LABELS: Record<ChangeKind, string> = {
  regressed: 'regressed',
  fixed: 'fixed',
  'verdict-changed': 'verdict changed',
  'outcome-changed': 'outcome changed',
  added: 'new case',
  removed: 'case removed',
};

export function CompareView({ comparison, beforeLabel, afterLabel }: { comparison: Comparison; beforeLabel: string; afterLabel: string }) {
  return (
    <section className="compare" aria-labelledby="compare-heading">
      <h3 id="compare-heading">
        {beforeLabel} → {afterLabel}
      </h3>
      {!comparison.samePlan ? <p className="warning-note">⚠ The plan changed between these runs: some differences may come from the plan.</p> : null}
      <p>
        {comparison.changes.length === 0 ? 'No case changed.' : `${comparison.changes.length} case${comparison.changes.length === 1 ? '' : 's'} changed`}
        {`; ${comparison.unchanged} unchanged.`}
      </p>
      {comparison.changes.length > 0 ? (
        <table className="compare-table">
          <thead>
            <tr>
              <th scope="col">Change</th>
              <th scope="col">Case</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {comparison.changes.map((change) => (
              <tr key={change.id} className={`change-${change.kind}`}>
                <td>
                  <span className={`change-kind kind-${change.kind}`}>{KIND_LABELS[change.kind]}</span>
                </td>
                <td>{change.title}</td>
                <td>
                  {change.before ? (
                    <>
                      <strong>{change.before.verdict}</strong>
                      {change.before.outcome ? ` (${change.before.outcome})` : ''}
                      <div className="row-note">{change.before.reason}</div>
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  {change.after ? (
                    <>
                      <strong>{change.after.verdict}</strong>
                      {change.after.outcome ? ` (${change.after.outcome})` : ''}
                      <div className="row-note">{change.after.reason}</div>
                    </>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

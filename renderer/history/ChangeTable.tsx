// The changed cases between two runs as a table: shown in the app's compare view and in the comparison report.
import type { CaseChange, ChangeKind } from '../../shared/compare.js';
import { StatusMark } from '../matrix/StatusMark.js';

const KIND_LABELS: Record<ChangeKind, string> = {
  regressed: 'regressed',
  fixed: 'fixed',
  'verdict-changed': 'verdict changed',
  'outcome-changed': 'outcome changed',
  added: 'new case',
  removed: 'case removed',
};

function ChangeSide({ side }: { side: CaseChange['before'] }) {
  if (!side) return <>—</>;
  return (
    <>
      <StatusMark status={side.verdict} />
      {side.outcome ? ` (${side.outcome})` : ''}
      <div className="row-note">{side.reason}</div>
    </>
  );
}

export function ChangeTable({ changes }: { changes: readonly CaseChange[] }) {
  return (
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
        {changes.map((change) => (
          <tr key={change.id} className={`change-${change.kind}`}>
            <td>
              <span className={`change-kind kind-${change.kind}`}>{KIND_LABELS[change.kind]}</span>
            </td>
            <td>{change.title}</td>
            <td>
              <ChangeSide side={change.before} />
            </td>
            <td>
              <ChangeSide side={change.after} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

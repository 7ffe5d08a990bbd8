// The changed cases between two runs as a table: shown in the app's compare view and in the comparison report.
// Each row says what moved: the server's answer, or only the plan's expectation.
import { CHANGE_CAUSE, type CaseChange } from '../../shared/compare.js';
import { CAUSE_PHRASES, CHANGE_LABELS } from '../../shared/compareText.js';
import { EXPECTATION_PHRASES } from '../../shared/matrix.js';
import { ensureVisible } from '../../shared/text.js';
import { StatusMark } from '../matrix/StatusMark.js';

function ChangeSide({ side }: { side: CaseChange['before'] }) {
  if (!side) return <>—</>;
  const answer = [side.outcome, side.code].filter((part) => part !== undefined).join(' ');
  return (
    <>
      <StatusMark status={side.verdict} />
      {answer ? ` (${answer})` : ''}
      <div className="change-expect">{EXPECTATION_PHRASES[side.expect]}</div>
      <div className="row-note">{ensureVisible(side.reason)}</div>
    </>
  );
}

function cause(change: CaseChange): string {
  const phrase = CAUSE_PHRASES[CHANGE_CAUSE[change.kind]];
  return change.expectationChanged ? `${phrase}; the expectation changed too` : phrase;
}

export interface ChangeTableProps {
  changes: readonly CaseChange[];
  /** In the app: a button per case run on both sides that shows its two transcripts side by side. */
  onShowTranscripts?: (change: CaseChange) => void;
  /** The case whose transcripts are shown. */
  shownId?: string;
}

export function ChangeTable({ changes, onShowTranscripts, shownId }: ChangeTableProps) {
  return (
    <table className="compare-table">
      <thead>
        <tr>
          <th scope="col">Change</th>
          <th scope="col">Why</th>
          <th scope="col">Case</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
          {onShowTranscripts ? <th scope="col">Transcripts</th> : null}
        </tr>
      </thead>
      <tbody>
        {changes.map((change) => (
          <tr key={change.id} className={`change-${change.kind}`} data-change-id={change.id}>
            <td>
              <span className={`change-kind kind-${change.kind}`}>{CHANGE_LABELS[change.kind]}</span>
            </td>
            <td className="change-cause">{cause(change)}</td>
            <td>{ensureVisible(change.title)}</td>
            <td>
              <ChangeSide side={change.before} />
            </td>
            <td>
              <ChangeSide side={change.after} />
            </td>
            {onShowTranscripts ? (
              <td>
                {change.before && change.after ? (
                  <button
                    type="button"
                    aria-pressed={shownId === change.id}
                    aria-label={`Compare transcripts: ${ensureVisible(change.title)}`}
                    onClick={() => onShowTranscripts(change)}
                  >
                    Compare transcripts
                  </button>
                ) : null}
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

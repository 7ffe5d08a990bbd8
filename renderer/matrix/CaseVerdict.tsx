// A case's state in a cell: the verdict as mark and word (never colour alone), the deciding reply code, and what
// the case expected.
import type { CaseRow } from './caseRows.js';
import { EXPECTATION_TEXT } from './listView.js';
import { StatusMark } from './StatusMark.js';

export interface CaseVerdictProps {
  row: CaseRow;
  /** Also say what the case expected (the list has a column of its own for it). */
  expected?: boolean;
  /** The plan overrides its expectation. */
  overridden?: boolean;
}

export function CaseVerdict({ row, expected = true, overridden = false }: CaseVerdictProps) {
  return (
    <>
      <span className="verdict-line">
        <StatusMark status={row.status} />
        {row.code ? <span className="verdict-code"> {row.code}</span> : null}
      </span>
      {expected ? (
        <span className="verdict-expected">
          {row.notRunnable ? 'not runnable here · ' : ''}expected {EXPECTATION_TEXT[row.testCase.expect]}
          {overridden ? ' (override)' : ''}
        </span>
      ) : null}
    </>
  );
}

// One case's two transcripts side by side, line by line, each differing line marked by a word and a sign (never
// by colour alone) and its differing words highlighted. The lines are made visible by formatEvent; stored
// transcripts carry no secret (they are redacted where the commands are built).
import { useMemo } from 'react';
import type { TranscriptEvent } from '../../shared/session.js';
import { alignTranscripts, differingRows, markedPieces, transcriptLines, type DiffRow } from './transcriptDiff.js';

const ROW_MARKS: Record<DiffRow['kind'], { sign: string; word: string }> = {
  same: { sign: '', word: '' },
  changed: { sign: '≠', word: 'changed' },
  removed: { sign: '−', word: 'only before' },
  added: { sign: '+', word: 'only after' },
};

function Line({
  line,
  other,
  side,
}: {
  line: string | undefined;
  other: string | undefined;
  side: 'before' | 'after';
}) {
  if (line === undefined) return <td className="diff-line diff-empty" />;
  if (other === undefined || other === line) return <td className="diff-line">{line}</td>;
  return (
    <td className="diff-line">
      {markedPieces(line, other, side).map((piece, index) =>
        piece.marked ? <mark key={index}>{piece.text}</mark> : <span key={index}>{piece.text}</span>,
      )}
    </td>
  );
}

export function TranscriptDiff({
  title,
  before,
  after,
}: {
  title: string;
  before: readonly TranscriptEvent[];
  after: readonly TranscriptEvent[];
}) {
  const rows = useMemo(() => alignTranscripts(transcriptLines(before), transcriptLines(after)), [before, after]);
  const differing = differingRows(rows);
  return (
    <div className="transcript-diff">
      <p className="diff-count" data-testid="diff-count">
        {differing === 0 ? 'The two transcripts read the same.' : `${differing} of ${rows.length} lines differ.`}
      </p>
      <table className="diff-table" aria-label={`Transcripts of ${title}, before and after`}>
        <thead>
          <tr>
            <th scope="col">Difference</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => {
            const mark = ROW_MARKS[row.kind];
            return (
              <tr key={index} className={`diff-${row.kind}`} data-diff={row.kind}>
                <th scope="row" className="diff-mark">
                  {row.kind === 'same' ? (
                    <span className="diff-hidden">same</span>
                  ) : (
                    <>
                      <span aria-hidden="true">{mark.sign} </span>
                      {mark.word}
                    </>
                  )}
                </th>
                <Line line={row.before} other={row.after} side="before" />
                <Line line={row.after} other={row.before} side="after" />
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

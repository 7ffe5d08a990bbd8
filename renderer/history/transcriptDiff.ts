// Two transcripts of one case (before / after) aligned line by line for the compare view. Pure: the lines are
// formatted as the terminal shows them (shared/transcriptFormat.ts, so made visible), without what differs in
// every session anyway: timings and the local port.
import { diffArrays } from 'diff';
import type { TranscriptEvent } from '../../shared/session.js';
import { formatEvent } from '../../shared/transcriptFormat.js';

/** `changed`: both sides have a line here and they differ; `removed` / `added`: only before / only after. */
export type DiffRowKind = 'same' | 'changed' | 'removed' | 'added';

export interface DiffRow {
  kind: DiffRowKind;
  before?: string;
  after?: string;
}

/** A piece of a changed line, marked when it is not in the other side's line. */
export interface LinePiece {
  text: string;
  marked: boolean;
}

const PLAIN = { colour: false, timestamps: false } as const;

/** The lines of a transcript as they are compared: step timings are left out, they differ in every run. */
export function transcriptLines(events: readonly TranscriptEvent[]): string[] {
  return events
    .filter((event) => event.type !== 'step')
    .map((event) =>
      event.type === 'connect' ? formatEvent({ ...event, localPort: 0 }, PLAIN) : formatEvent(event, PLAIN),
    )
    .map((line) => line.replace(/^\*\* connected (.*):0 -> /, '** connected $1 -> '));
}

/** The two transcripts aligned: equal lines side by side, a run of removed lines paired with the added lines that
 * replace it (as `changed` rows), the rest alone on their side. */
export function alignTranscripts(before: readonly string[], after: readonly string[]): DiffRow[] {
  const rows: DiffRow[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  const flush = () => {
    const paired = Math.min(removed.length, added.length);
    for (let index = 0; index < paired; index += 1)
      rows.push({ kind: 'changed', before: removed[index]!, after: added[index]! });
    for (const line of removed.slice(paired)) rows.push({ kind: 'removed', before: line });
    for (const line of added.slice(paired)) rows.push({ kind: 'added', after: line });
    removed = [];
    added = [];
  };
  for (const part of diffArrays([...before], [...after])) {
    if (part.removed) removed.push(...part.value);
    else if (part.added) added.push(...part.value);
    else {
      flush();
      for (const line of part.value) rows.push({ kind: 'same', before: line, after: line });
    }
  }
  flush();
  return rows;
}

/** The words of a changed line split into pieces (a word is what lies between spaces, so "5.7.1" stays one), those
 * not in the other line marked. */
export function markedPieces(line: string, other: string, side: 'before' | 'after'): LinePiece[] {
  const words = (text: string) => text.split(/(\s+)/).filter((word) => word !== '');
  const [from, to] = side === 'before' ? [line, other] : [other, line];
  const pieces: LinePiece[] = [];
  for (const part of diffArrays(words(from), words(to))) {
    if (side === 'before' ? part.added : part.removed) continue;
    const marked = side === 'before' ? part.removed : part.added;
    const text = part.value.join('');
    // Spaces between marked words stay unmarked, so a mark covers words only.
    if (marked && /^\s+$/.test(text)) pieces.push({ text, marked: false });
    else pieces.push({ text, marked });
  }
  return pieces;
}

/** How many rows differ: the count the view announces. */
export function differingRows(rows: readonly DiffRow[]): number {
  return rows.filter((row) => row.kind !== 'same').length;
}

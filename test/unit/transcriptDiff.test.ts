import { describe, expect, it } from 'vitest';
import type { TranscriptEvent } from '../../shared/session.js';
import {
  alignTranscripts,
  differingRows,
  markedPieces,
  transcriptLines,
} from '../../renderer/history/transcriptDiff.js';

function session(rcptReply: string, localPort: number, extra: TranscriptEvent[] = []): TranscriptEvent[] {
  return [
    { type: 'connect', t: 0, local: '127.0.0.1', localPort, remote: '127.0.0.1', remotePort: 2525, tls: false },
    { type: 'server', t: 1.5, text: '220 mx.test ESMTP', tls: false },
    { type: 'step', t: 1.6, stage: 'greeting', ms: 1.5 + localPort / 1000, code: 220 },
    { type: 'client', t: 2, text: 'EHLO relay-tester.invalid', tls: false },
    { type: 'server', t: 3, text: '250 mx.test', tls: false },
    { type: 'client', t: 4, text: 'MAIL FROM:<helpdesk@corp.test>', tls: false },
    { type: 'server', t: 5, text: '250 ok', tls: false },
    { type: 'client', t: 6, text: 'RCPT TO:<relay-test@external.example>', tls: false },
    { type: 'server', t: 7 + localPort, text: rcptReply, tls: false },
    ...extra,
    { type: 'close', t: 9, reason: 'QUIT sent' },
  ];
}

describe('the side-by-side transcript diff', () => {
  it('reads two sessions that differ only in timings and local port as the same', () => {
    const rows = alignTranscripts(
      transcriptLines(session('550 5.7.1 denied', 40001)),
      transcriptLines(session('550 5.7.1 denied', 40999)),
    );
    expect(differingRows(rows)).toBe(0);
    expect(rows[0]).toEqual({
      kind: 'same',
      before: '** connected 127.0.0.1 -> 127.0.0.1:2525',
      after: '** connected 127.0.0.1 -> 127.0.0.1:2525',
    });
    expect(rows.some((row) => row.before?.includes('took'))).toBe(false);
  });

  it('pairs the changed reply line beside its counterpart and keeps the rest aligned', () => {
    const rows = alignTranscripts(
      transcriptLines(session('550 5.7.1 Relay access denied', 1)),
      transcriptLines(
        session('250 2.1.5 Ok', 2, [
          { type: 'client', t: 8, text: 'DATA', tls: false },
          { type: 'server', t: 8.5, text: '354 go ahead', tls: false },
        ]),
      ),
    );
    const differing = rows.filter((row) => row.kind !== 'same');
    expect(differing).toEqual([
      { kind: 'changed', before: '    S: 550 5.7.1 Relay access denied', after: '    S: 250 2.1.5 Ok' },
      { kind: 'added', after: '    C: DATA' },
      { kind: 'added', after: '    S: 354 go ahead' },
    ]);
    // Equal lines after the change still sit side by side.
    expect(rows.at(-1)).toEqual({ kind: 'same', before: '** closed: QUIT sent', after: '** closed: QUIT sent' });
  });

  it('lists lines only the earlier transcript has as removed', () => {
    const rows = alignTranscripts(['a', 'b', 'c'], ['a', 'c']);
    expect(rows).toEqual([
      { kind: 'same', before: 'a', after: 'a' },
      { kind: 'removed', before: 'b' },
      { kind: 'same', before: 'c', after: 'c' },
    ]);
  });

  it('marks the words of a changed line that the other side does not have', () => {
    const before = 'S: 550 5.7.1 Relay access denied';
    const after = 'S: 250 2.1.5 Ok';
    const marked = (line: string, other: string, side: 'before' | 'after') =>
      markedPieces(line, other, side)
        .filter((piece) => piece.marked)
        .map((piece) => piece.text.trim())
        .filter(Boolean);
    // Whole words are marked ("5.7.1", not its digits); the spaces both lines share are not.
    expect(marked(before, after, 'before')).toEqual(['550', '5.7.1', 'Relay access denied']);
    expect(marked(after, before, 'after')).toEqual(['250', '2.1.5', 'Ok']);
    expect(
      markedPieces('S: 550 5.7.1 Relay denied', 'S: 554 5.7.1 Relay denied', 'before').filter((piece) => piece.marked),
    ).toEqual([{ text: '550', marked: true }]);
    expect(
      markedPieces('S: 554 5.7.1 Relay denied', 'S: 550 5.7.1 Relay denied', 'after').filter((piece) => piece.marked),
    ).toEqual([{ text: '554', marked: true }]);
    expect(
      markedPieces(before, after, 'before')
        .map((piece) => piece.text)
        .join(''),
    ).toBe(before);
    expect(
      markedPieces(after, before, 'after')
        .map((piece) => piece.text)
        .join(''),
    ).toBe(after);
  });

  it('makes control characters in a stored line visible', () => {
    const [line] = transcriptLines([{ type: 'server', t: 0, text: '220 \u001b]0;owned\u0007', tls: false }]);
    expect(line).not.toMatch(/[\u0000-\u001f]/);
  });
});

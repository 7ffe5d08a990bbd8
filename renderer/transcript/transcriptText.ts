// What the transcript pane writes to its terminal, and the plain text it copies. Pure, so it is tested without a
// terminal. Event texts are already made visible and redacted by the core; formatEvent adds only its own colours.
import type { TranscriptEvent } from '../../shared/session.js';
import { formatEvent } from '../../shared/transcriptFormat.js';

/**
 * One terminal line per event; transcript lines end in CRLF, so they are written with write(), not writeln().
 * Quiet text is grey, not faint: the theme's grey keeps 4.5:1 contrast (terminalOptions.ts).
 */
export function terminalLine(event: TranscriptEvent): string {
  return `${formatEvent(event, { colour: true, timestamps: true, quiet: 'grey' })}\r\n`;
}

/** The transcript as plain text, for the clipboard. */
export function plainTranscript(events: readonly TranscriptEvent[]): string {
  return events.map((event) => `${formatEvent(event, { colour: false, timestamps: true })}\n`).join('');
}

/** What is on the terminal now: whose transcript, and how many of its events. */
export interface WrittenState {
  key: string;
  count: number;
}

export interface NextWrite {
  /** Clear the terminal first (another case was selected, or its transcript started over). */
  reset: boolean;
  data: string;
  state: WrittenState;
}

/** RIS, "reset to initial state": clears the screen and scrollback in order with the writes around it. */
export const FULL_RESET = '\x1bc';

/** What to write() for a NextWrite. The reset travels in the write stream: Terminal.reset() takes effect at once,
 * while earlier writes may still be queued, and would then land on the cleared screen. */
export function terminalData(write: NextWrite): string {
  return write.reset ? `${FULL_RESET}${write.data}` : write.data;
}

/** The smallest write that brings the terminal from what it shows to `events`: live events are appended. */
export function nextWrite(
  written: WrittenState | undefined,
  key: string,
  events: readonly TranscriptEvent[],
): NextWrite {
  const continues = written !== undefined && written.key === key && written.count <= events.length;
  const from = continues ? written.count : 0;
  return {
    reset: !continues && written !== undefined,
    data: events.slice(from).map(terminalLine).join(''),
    state: { key, count: events.length },
  };
}

// The seam between the transcript pane and the terminal that draws it: the real one is XtermView; component
// tests pass a plain one, since xterm.js needs a real browser's layout.
import type { ComponentType, RefObject } from 'react';
import type { TranscriptEvent } from '../../shared/session.js';
import type { TerminalLook } from './terminalOptions.js';

export interface TerminalControls {
  findNext(term: string): boolean;
  findPrevious(term: string): boolean;
  clearSearch(): void;
  getSelection(): string;
  focus(): void;
}

export interface TerminalViewProps {
  /** Whose transcript is shown (run and case); a new key clears the terminal. */
  transcriptKey: string;
  events: readonly TranscriptEvent[];
  look: TerminalLook;
  controlsRef: RefObject<TerminalControls | null>;
  label: string;
}

export type TerminalView = ComponentType<TerminalViewProps>;

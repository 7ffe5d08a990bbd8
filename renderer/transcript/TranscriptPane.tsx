// The dialog of the selected case, live while it runs: the terminal, search, copy, and "follow the running test".
import { errorMessage } from '../../shared/errorMessage.js';
import { useRef, useState, type RefObject } from 'react';
import type { TranscriptEvent } from '../../shared/session.js';
import type { CaseRow } from '../matrix/caseRows.js';
import { formatDuration } from '../matrix/caseRows.js';
import { StatusMark } from '../matrix/StatusMark.js';
import type { TerminalLook } from './terminalOptions.js';
import { plainTranscript } from './transcriptText.js';
import type { TerminalControls, TerminalView } from './terminalView.js';
import { XtermView } from './XtermView.js';

export interface TranscriptSelection {
  row: CaseRow;
  /** The run the transcript belongs to; absent when the case has not run. */
  runId?: string;
  events: readonly TranscriptEvent[];
}

export interface TranscriptPaneProps {
  selection?: TranscriptSelection;
  follow: boolean;
  onFollowChange: (follow: boolean) => void;
  look: TerminalLook;
  onNotice: (text: string, kind?: 'info' | 'error') => void;
  controlsRef?: RefObject<TerminalControls | null>;
  TerminalView?: TerminalView;
}

const NO_EVENTS: readonly TranscriptEvent[] = [];

export function TranscriptPane(props: TranscriptPaneProps) {
  const { selection, follow, onFollowChange, look, onNotice } = props;
  const Terminal = props.TerminalView ?? XtermView;
  const ownControls = useRef<TerminalControls | null>(null);
  const controlsRef = props.controlsRef ?? ownControls;
  const [term, setTerm] = useState('');
  const [searchNote, setSearchNote] = useState('');
  const events = selection?.events ?? NO_EVENTS;
  const key = selection ? `${selection.runId ?? 'not-run'}/${selection.row.testCase.id}` : 'none';

  function find(direction: 'next' | 'previous') {
    const controls = controlsRef.current;
    if (!controls || term === '') return;
    const found = direction === 'next' ? controls.findNext(term) : controls.findPrevious(term);
    setSearchNote(found ? '' : `"${term}" not found`);
  }

  async function copy() {
    const selected = controlsRef.current?.getSelection() ?? '';
    const text = selected !== '' ? selected : plainTranscript(events);
    if (text === '') {
      onNotice('Nothing to copy yet.');
      return;
    }
    try {
      await navigator.clipboard.writeText(text);
      onNotice(selected !== '' ? 'Copied the selected text.' : 'Copied the transcript as plain text.');
    } catch (error) {
      onNotice(`Could not copy: ${errorMessage(error)}`, 'error');
    }
  }

  const row = selection?.row;
  return (
    <section className="transcript-pane" aria-labelledby="transcript-heading">
      <div className="pane-header">
        <h2 id="transcript-heading">Transcript</h2>
        <label className="toggle">
          <input type="checkbox" checked={follow} onChange={(event) => onFollowChange(event.target.checked)} />
          Follow the running test
        </label>
      </div>
      <div className="transcript-tools" role="search">
        <input
          type="search"
          aria-label="Search the transcript"
          placeholder="Search"
          value={term}
          onChange={(event) => {
            setTerm(event.target.value);
            setSearchNote('');
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              find(event.shiftKey ? 'previous' : 'next');
            } else if (event.key === 'Escape') {
              setTerm('');
              controlsRef.current?.clearSearch();
            }
          }}
        />
        <button type="button" onClick={() => find('previous')} disabled={term === ''} aria-label="Previous match">
          ↑
        </button>
        <button type="button" onClick={() => find('next')} disabled={term === ''} aria-label="Next match">
          ↓
        </button>
        <button type="button" onClick={() => void copy()} disabled={events.length === 0}>
          Copy
        </button>
        <span className="search-note" role="status">
          {searchNote}
        </span>
      </div>
      {/* A tab stop: the case's details scroll when long, and a keyboard user must be able to scroll them. */}
      <div className="transcript-case" aria-live="polite" role="group" aria-label="Selected case" tabIndex={0}>
        {row ? (
          <>
            <div className="transcript-title">
              <StatusMark status={row.status} />
              <span>{row.testCase.title}</span>
            </div>
            <div className="transcript-meta">
              {row.vantage
                ? `from vantage point ${row.vantage}${row.via ? ` (${row.via})` : ''}`
                : row.local
                  ? `from ${row.local}`
                  : row.notRunnable
                    ? `not runnable here: ${row.notRunnable}`
                    : ''}
              {row.durationMs !== undefined ? ` · ${formatDuration(row.durationMs)}` : ''}
            </div>
            {row.verdictReason ? <div className="transcript-reason">{row.verdictReason}</div> : null}
            {row.warning ? <div className="transcript-warning">⚠ {row.warning}</div> : null}
            {!selection?.runId ? (
              <div className="transcript-meta">Not run yet: press Run to see its dialog.</div>
            ) : null}
          </>
        ) : (
          <div className="transcript-meta">Select a case in the matrix to see its dialog.</div>
        )}
      </div>
      <Terminal
        transcriptKey={key}
        events={events}
        look={look}
        controlsRef={controlsRef}
        label={row ? `Transcript of ${row.testCase.title}` : 'Transcript of no case yet'}
      />
    </section>
  );
}

// A terminal for jsdom: it receives exactly what XtermView would write (nextWrite) and shows it as text, with the
// SGR colour sequences formatEvent adds taken out, so a test reads what a person would see.
import { useEffect, useRef, useState } from 'react';
import type { TerminalViewProps } from '../../renderer/transcript/terminalView.js';
import { nextWrite, type WrittenState } from '../../renderer/transcript/transcriptText.js';

export const SGR = /\x1b\[[0-9;]*m/g;

/** Everything written to the fake terminals of a test, raw (with colours). */
export const written: string[] = [];

export function FakeTerminal({ transcriptKey, events, controlsRef, label }: TerminalViewProps) {
  const state = useRef<WrittenState | undefined>(undefined);
  const [screen, setScreen] = useState('');
  useEffect(() => {
    controlsRef.current = {
      findNext: () => true,
      findPrevious: () => true,
      clearSearch: () => undefined,
      getSelection: () => '',
      focus: () => undefined,
    };
    return () => {
      controlsRef.current = null;
    };
  }, [controlsRef]);
  useEffect(() => {
    const write = nextWrite(state.current, transcriptKey, events);
    state.current = write.state;
    if (write.data) written.push(write.data);
    setScreen((previous) => (write.reset ? '' : previous) + write.data);
  }, [transcriptKey, events]);
  return (
    <pre data-testid="fake-terminal" aria-label={label}>
      {screen.replace(SGR, '')}
    </pre>
  );
}

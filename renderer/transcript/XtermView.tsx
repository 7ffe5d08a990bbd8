// The one place that touches xterm.js: a terminal created once per pane and kept in a ref, fitted to its box by a
// ResizeObserver (zero-size boxes skipped, e.g. a hidden tab), disposed on unmount. Output only: disableStdin, no
// clipboard addon, and nothing the terminal answers (to a query a server might send) goes anywhere.
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Terminal } from '@xterm/xterm';
import { useEffect, useRef } from 'react';
import { terminalFontSize, terminalOptions, terminalTheme } from './terminalOptions.js';
import { nextWrite, terminalData, type WrittenState } from './transcriptText.js';
import type { TerminalViewProps } from './terminalView.js';

interface Parts {
  terminal: Terminal;
  fit: FitAddon;
  search: SearchAddon;
}

function fitIfVisible(parts: Parts, element: HTMLElement): void {
  if (element.clientWidth === 0 || element.clientHeight === 0) return;
  try {
    parts.fit.fit();
  } catch {
    // Not laid out yet; the next resize fits it.
  }
}

export function XtermView({ transcriptKey, events, look, controlsRef, label }: TerminalViewProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const partsRef = useRef<Parts | null>(null);
  const writtenRef = useRef<WrittenState | undefined>(undefined);
  const lookRef = useRef(look);
  lookRef.current = look;

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const terminal = new Terminal(terminalOptions(lookRef.current));
    const fit = new FitAddon();
    const search = new SearchAddon();
    terminal.loadAddon(fit);
    terminal.loadAddon(search);
    terminal.open(host);
    const parts: Parts = { terminal, fit, search };
    partsRef.current = parts;
    fitIfVisible(parts, host);
    const observer = new ResizeObserver((entries) => {
      const box = entries[0]?.contentRect;
      if (!box || box.width === 0 || box.height === 0) return;
      fitIfVisible(parts, host);
    });
    observer.observe(host);
    controlsRef.current = {
      findNext: (term) => term !== '' && search.findNext(term, { caseSensitive: false }),
      findPrevious: (term) => term !== '' && search.findPrevious(term, { caseSensitive: false }),
      clearSearch: () => search.clearDecorations(),
      getSelection: () => terminal.getSelection(),
      focus: () => terminal.focus(),
    };
    return () => {
      observer.disconnect();
      controlsRef.current = null;
      partsRef.current = null;
      writtenRef.current = undefined;
      terminal.dispose();
    };
  }, [controlsRef]);

  useEffect(() => {
    const parts = partsRef.current;
    const host = hostRef.current;
    if (!parts || !host) return;
    parts.terminal.options.theme = terminalTheme(look.dark);
    parts.terminal.options.fontSize = terminalFontSize(look.largeText);
    fitIfVisible(parts, host);
  }, [look.dark, look.largeText]);

  useEffect(() => {
    const parts = partsRef.current;
    if (!parts) return;
    const write = nextWrite(writtenRef.current, transcriptKey, events);
    const data = terminalData(write);
    if (data) parts.terminal.write(data);
    writtenRef.current = write.state;
  }, [transcriptKey, events]);

  return <div className="terminal-host" ref={hostRef} role="region" aria-label={label} data-testid="terminal" />;
}

// The buttons of the window; the desktop app's menu sends the same actions.
import { useEffect, useRef } from 'react';
import type { ThemeChoice } from './usePreferences.js';

export type ReportFormat = 'html' | 'pdf';

export interface ToolbarProps {
  running: boolean;
  cancelling: boolean;
  canRun: boolean;
  canExport: boolean;
  onNew: () => void;
  onOpen: () => void;
  onSave: () => void;
  onSaveAs: () => void;
  onRun: () => void;
  onCancel: () => void;
  onExport: () => void;
  reportFormat: ReportFormat;
  onReportFormat: (format: ReportFormat) => void;
  theme: ThemeChoice;
  onTheme: (theme: ThemeChoice) => void;
  largeText: boolean;
  onLargeText: (large: boolean) => void;
}

/**
 * Run and Cancel disable each other: the one in focus would drop the keyboard focus to the page's start. When a run
 * starts from Run, Cancel takes the focus; when it ends from Cancel (or with the focus lost), Run takes it back. A
 * focus elsewhere (a field, the matrix) is left where it is.
 */
function useRunFocus(running: boolean) {
  const run = useRef<HTMLButtonElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const was = useRef(running);
  useEffect(() => {
    if (was.current === running) return;
    was.current = running;
    const active = document.activeElement;
    const lost = active === null || active === document.body;
    if (running && (lost || active === run.current)) cancel.current?.focus();
    if (!running && (lost || active === cancel.current)) run.current?.focus();
  }, [running]);
  return { run, cancel };
}

export function Toolbar(props: ToolbarProps) {
  const focus = useRunFocus(props.running);
  return (
    <div className="toolbar" role="toolbar" aria-label="Plan and run">
      <div className="toolbar-group">
        <button type="button" onClick={props.onNew}>
          New
        </button>
        <button type="button" onClick={props.onOpen}>
          Open…
        </button>
        <button type="button" onClick={props.onSave}>
          Save
        </button>
        <button type="button" onClick={props.onSaveAs}>
          Save As…
        </button>
      </div>
      <div className="toolbar-group">
        <button
          type="button"
          className="primary"
          ref={focus.run}
          onClick={props.onRun}
          disabled={props.running || !props.canRun}
        >
          ▶ Run
        </button>
        <button type="button" ref={focus.cancel} onClick={props.onCancel} disabled={!props.running || props.cancelling}>
          ■ Cancel
        </button>
        <button
          type="button"
          onClick={props.onExport}
          disabled={!props.canExport}
          title="A report of the run shown in the matrix"
        >
          Export report
        </button>
        <select
          aria-label="Report format"
          value={props.reportFormat}
          onChange={(event) => props.onReportFormat(event.target.value as ReportFormat)}
        >
          <option value="html">HTML</option>
          <option value="pdf">PDF</option>
        </select>
      </div>
      <div className="toolbar-group toolbar-look">
        <label>
          Theme{' '}
          <select value={props.theme} onChange={(event) => props.onTheme(event.target.value as ThemeChoice)}>
            <option value="system">system</option>
            <option value="light">light</option>
            <option value="dark">dark</option>
          </select>
        </label>
        <label className="toggle">
          <input
            type="checkbox"
            checked={props.largeText}
            onChange={(event) => props.onLargeText(event.target.checked)}
          />
          Large text
        </label>
      </div>
    </div>
  );
}

// The buttons of the window; the desktop app's menu sends the same actions.
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

export function Toolbar(props: ToolbarProps) {
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
        <button type="button" className="primary" onClick={props.onRun} disabled={props.running || !props.canRun}>
          ▶ Run
        </button>
        <button type="button" onClick={props.onCancel} disabled={!props.running || props.cancelling}>
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

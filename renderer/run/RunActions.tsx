// Beside the run summary: run again the cases that failed, errored or were inconclusive in the run shown, and the
// choice to be notified when a long run ends.
export interface RunActionsProps {
  /** How many cases of the run shown "re-run failed" would run (0: the button is disabled). */
  rerunCount: number;
  running: boolean;
  canRun: boolean;
  onRerunFailed: () => void;
  notify: { enabled: boolean; supported: boolean; setEnabled: (enabled: boolean) => void };
}

export function RunActions({ rerunCount, running, canRun, onRerunFailed, notify }: RunActionsProps) {
  return (
    <div className="run-actions">
      <button
        type="button"
        onClick={onRerunFailed}
        disabled={running || !canRun || rerunCount === 0}
        title="Run again the cases of the run shown that failed, errored or were inconclusive (Ctrl+Shift+Enter)"
      >
        {rerunCount > 0 ? `Re-run failed (${rerunCount})` : 'Re-run failed'}
      </button>
      {/* Only where a notification can be shown (not in the desktop app, which denies the permission). */}
      {notify.supported ? (
        <label className="toggle">
          <input
            type="checkbox"
            checked={notify.enabled}
            onChange={(event) => notify.setEnabled(event.target.checked)}
          />
          Notify me when a long run ends
        </label>
      ) : null}
    </div>
  );
}

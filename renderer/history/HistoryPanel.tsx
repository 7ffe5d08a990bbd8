// Earlier runs of the plan (newest first) with their verdict, counts, duration and label: show one in the matrix,
// label or delete one, or compare two (with the transcripts of a changed case side by side).
import { errorMessage } from '../../shared/errorMessage.js';
import { useEffect, useState, type FormEvent } from 'react';
import type { Comparison } from '../../shared/compare.js';
import type { RelayTesterApi, RunListing } from '../../shared/ipc.js';
import type { RunRecord } from '../../shared/run.js';
import { ensureVisible } from '../../shared/text.js';
import { Modal } from '../dialogs/Modal.js';
import { CompareView } from './CompareView.js';

export interface HistoryPanelProps {
  api: RelayTesterApi;
  planPath?: string;
  /** Changes when a run finishes, so the list is read again. */
  refreshKey: unknown;
  onShowRun: (file: string) => void;
  /** A report of `after` compared with `before`. */
  onExportComparison: (before: string, after: string) => void;
  onError: (message: string) => void;
  /** Called after a run was deleted (the matrix may be showing it). */
  onRunDeleted?: (file: string) => void;
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** A run's duration as a person reads it: "850 ms", "12.4 s", "3 min 5 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** The verdict counts of a run in words: pass and fail always, the others when there are any. */
export function countsText(summary: RunListing['summary']): string {
  const undecided = summary.inconclusive + summary.error + summary.skipped + summary.cancelled;
  const parts = [`pass ${summary.pass}`, `fail ${summary.fail}`];
  if (summary['needs-review'] > 0) parts.push(`needs review ${summary['needs-review']}`);
  if (undecided > 0) {
    const detail = (['inconclusive', 'error', 'skipped', 'cancelled'] as const)
      .filter((verdict) => summary[verdict] > 0)
      .map((verdict) => `${verdict} ${summary[verdict]}`);
    parts.push(`undecided ${undecided} (${detail.join(', ')})`);
  }
  return parts.join(' · ');
}

function runName(run: RunListing): string {
  return `the run of ${formatTime(run.startedAt)}${run.label ? ` (“${ensureVisible(run.label)}”)` : ''}`;
}

function LabelForm({
  run,
  onSave,
  onCancel,
}: {
  run: RunListing;
  onSave: (label: string) => void;
  onCancel: () => void;
}) {
  const [text, setText] = useState(run.label ?? '');
  function submit(event: FormEvent) {
    event.preventDefault();
    onSave(text);
  }
  return (
    <form className="run-label-form" onSubmit={submit} aria-label={`Label of the run of ${formatTime(run.startedAt)}`}>
      <input
        type="text"
        aria-label={`Label of the run of ${formatTime(run.startedAt)}`}
        value={text}
        maxLength={200}
        autoFocus
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => event.key === 'Escape' && onCancel()}
      />
      <button type="submit">Save label</button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}

export function HistoryPanel({
  api,
  planPath,
  refreshKey,
  onShowRun,
  onExportComparison,
  onError,
  onRunDeleted,
}: HistoryPanelProps) {
  const [runs, setRuns] = useState<RunListing[] | undefined>(undefined);
  const [before, setBefore] = useState<string | undefined>();
  const [after, setAfter] = useState<string | undefined>();
  const [comparison, setComparison] = useState<
    { result: Comparison; before: string; after: string; runs?: { before: RunRecord; after: RunRecord } } | undefined
  >();
  const [labelling, setLabelling] = useState<string | undefined>();
  const [deleting, setDeleting] = useState<RunListing | undefined>();
  const [reads, setReads] = useState(0);
  const reload = () => setReads((count) => count + 1);

  useEffect(() => {
    let current = true;
    api.listRuns(planPath ? { planPath } : {}).then(
      (listing) => {
        if (!current) return;
        setRuns(listing);
        // The chosen pair stays chosen while both runs are still there (after a label or a delete).
        setAfter((chosen) => (listing.some((run) => run.file === chosen) ? chosen : listing[0]?.file));
        setBefore((chosen) => (listing.some((run) => run.file === chosen) ? chosen : listing[1]?.file));
      },
      (error: Error) => current && onError(`Could not list the runs: ${error.message}`),
    );
    return () => {
      current = false;
    };
  }, [api, planPath, refreshKey, reads, onError]);

  // A new list from a finished run starts without a comparison.
  useEffect(() => setComparison(undefined), [planPath, refreshKey]);

  async function compare() {
    if (!before || !after) return;
    try {
      const [result, earlier, later] = await Promise.all([
        api.compareRuns({ before, after }),
        // The transcripts for the side-by-side diff; the comparison stands without them.
        api.loadRun({ file: before }).catch(() => undefined),
        api.loadRun({ file: after }).catch(() => undefined),
      ]);
      setComparison({
        result,
        before,
        after,
        ...(earlier && later ? { runs: { before: earlier, after: later } } : {}),
      });
    } catch (error) {
      onError(`Could not compare the runs: ${errorMessage(error)}`);
    }
  }

  async function saveLabel(run: RunListing, label: string) {
    try {
      await api.labelRun({ file: run.file, label, ...(planPath ? { planPath } : {}) });
      setLabelling(undefined);
      reload();
    } catch (error) {
      onError(`Could not label the run: ${errorMessage(error)}`);
    }
  }

  async function deleteRun(run: RunListing) {
    setDeleting(undefined);
    try {
      await api.deleteRun({ file: run.file, ...(planPath ? { planPath } : {}) });
      if (comparison && (comparison.before === run.file || comparison.after === run.file)) setComparison(undefined);
      onRunDeleted?.(run.file);
      reload();
    } catch (error) {
      onError(`Could not delete the run: ${errorMessage(error)}`);
    }
  }

  const label = (file: string) => {
    const run = runs?.find((candidate) => candidate.file === file);
    return run ? runName(run) : file;
  };

  if (!runs) return <p className="empty">Reading the runs…</p>;
  if (runs.length === 0)
    return <p className="empty">No saved runs of this plan yet. Runs are saved when they finish.</p>;
  return (
    <div className="history">
      <table className="history-table" aria-label="Runs of this plan">
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Verdict</th>
            <th scope="col">Counts</th>
            <th scope="col">Duration</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.file} data-run-file={run.file}>
              <td>
                {formatTime(run.startedAt)}
                {run.cancelled ? <span className="tag"> cancelled</span> : null}
                {labelling === run.file ? (
                  <LabelForm
                    run={run}
                    onSave={(text) => void saveLabel(run, text)}
                    onCancel={() => setLabelling(undefined)}
                  />
                ) : run.label ? (
                  <div className="run-label" data-testid="run-label">
                    {ensureVisible(run.label)}
                  </div>
                ) : null}
              </td>
              <td className={`history-verdict summary-${run.tone}`}>{run.headline}</td>
              <td className="history-counts">{countsText(run.summary)}</td>
              <td>{formatDuration(run.durationMs)}</td>
              <td>
                <input
                  type="radio"
                  name="compare-before"
                  aria-label={`Compare from the run of ${formatTime(run.startedAt)}`}
                  checked={before === run.file}
                  onChange={() => setBefore(run.file)}
                />
              </td>
              <td>
                <input
                  type="radio"
                  name="compare-after"
                  aria-label={`Compare to the run of ${formatTime(run.startedAt)}`}
                  checked={after === run.file}
                  onChange={() => setAfter(run.file)}
                />
              </td>
              <td>
                <div className="history-actions">
                  <button type="button" onClick={() => onShowRun(run.file)}>
                    Show
                  </button>
                  <button
                    type="button"
                    aria-label={`Label… the run of ${formatTime(run.startedAt)}`}
                    onClick={() => setLabelling(run.file)}
                  >
                    Label…
                  </button>
                  <button
                    type="button"
                    aria-label={`Delete… the run of ${formatTime(run.startedAt)}`}
                    onClick={() => setDeleting(run)}
                  >
                    Delete…
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" disabled={!before || !after || before === after} onClick={() => void compare()}>
        Compare the two runs
      </button>
      {comparison ? (
        <>
          <CompareView
            comparison={comparison.result}
            beforeLabel={label(comparison.before)}
            afterLabel={label(comparison.after)}
            {...(comparison.runs ? { runs: comparison.runs } : {})}
          />
          <button type="button" onClick={() => onExportComparison(comparison.before, comparison.after)}>
            Export comparison report
          </button>
        </>
      ) : null}
      {deleting ? (
        <Modal title="Delete this run?" onClose={() => setDeleting(undefined)}>
          <p>
            Delete {runName(deleting)} ({deleting.headline})? Its file is removed from the plan’s runs folder; this
            cannot be undone.
          </p>
          <div className="modal-actions">
            <button type="button" onClick={() => setDeleting(undefined)}>
              Keep the run
            </button>
            <button type="button" className="danger" onClick={() => void deleteRun(deleting)}>
              Delete the run
            </button>
          </div>
        </Modal>
      ) : null}
    </div>
  );
}

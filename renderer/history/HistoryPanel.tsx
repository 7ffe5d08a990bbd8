// Earlier runs of the plan (newest first): show one in the matrix, or compare two.
import { errorMessage } from '../../shared/errorMessage.js';
import { useEffect, useState } from 'react';
import type { Comparison } from '../../shared/compare.js';
import type { RelayTesterApi, RunListing } from '../../shared/ipc.js';
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
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export function HistoryPanel({ api, planPath, refreshKey, onShowRun, onExportComparison, onError }: HistoryPanelProps) {
  const [runs, setRuns] = useState<RunListing[] | undefined>(undefined);
  const [before, setBefore] = useState<string | undefined>();
  const [after, setAfter] = useState<string | undefined>();
  const [comparison, setComparison] = useState<{ result: Comparison; before: string; after: string } | undefined>();

  useEffect(() => {
    let current = true;
    api.listRuns(planPath ? { planPath } : {}).then(
      (listing) => {
        if (!current) return;
        setRuns(listing);
        setAfter(listing[0]?.file);
        setBefore(listing[1]?.file);
        setComparison(undefined);
      },
      (error: Error) => current && onError(`Could not list the runs: ${error.message}`),
    );
    return () => {
      current = false;
    };
  }, [api, planPath, refreshKey, onError]);

  async function compare() {
    if (!before || !after) return;
    try {
      setComparison({ result: await api.compareRuns({ before, after }), before, after });
    } catch (error) {
      onError(`Could not compare the runs: ${errorMessage(error)}`);
    }
  }

  const label = (file: string) => {
    const run = runs?.find((candidate) => candidate.file === file);
    return run ? `run of ${formatTime(run.startedAt)}` : file;
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
            <th scope="col">Summary</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.file}>
              <td>
                {formatTime(run.startedAt)}
                {run.cancelled ? <span className="tag"> cancelled</span> : null}
              </td>
              <td className="history-summary">
                <span className="count-pass">pass {run.summary.pass}</span> ·{' '}
                <span className="count-fail">fail {run.summary.fail}</span> · inconclusive {run.summary.inconclusive} ·
                error {run.summary.error} · skipped {run.summary.skipped}
                {run.summary.cancelled ? ` · cancelled ${run.summary.cancelled}` : ''}
                {run.headline ? <div className="history-headline">{run.headline}</div> : null}
              </td>
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
                <button type="button" onClick={() => onShowRun(run.file)}>
                  Show
                </button>
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
          />
          <button type="button" onClick={() => onExportComparison(comparison.before, comparison.after)}>
            Export comparison report
          </button>
        </>
      ) : null}
    </div>
  );
}

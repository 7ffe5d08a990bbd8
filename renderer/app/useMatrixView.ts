// What the matrix and the transcript show: a run from the history, the live run (with the plan it was started
// from), or the plan's own matrix; and the selected case's transcript.
import { useMemo } from 'react';
import { caseRows } from '../matrix/caseRows.js';
import { expectationOverrides } from '../plan/planEdit.js';
import type { RunState } from '../run/runState.js';
import type { TranscriptSelection } from '../transcript/TranscriptPane.js';
import type { Inspection } from './useInspection.js';
import type { OpenDocument } from './appState.js';

export interface MatrixViewSources {
  doc: OpenDocument | undefined;
  inspection: Inspection;
  /** This window's run, and whether it is still running. */
  liveRun: RunState | undefined;
  running: boolean;
  historyRun: RunState | undefined;
  selectedId: string | undefined;
}

export function useMatrixView({ doc, inspection, liveRun, running, historyRun, selectedId }: MatrixViewSources) {
  // A live run is shown with the plan it was started from (and while it runs, whatever is open).
  const ownRun = liveRun && (running || liveRun.documentKey === doc?.key) ? liveRun : undefined;
  const displayRun = historyRun ?? ownRun;

  /** The rows are the run's own cases (else the plan's, with the run's results where they still match). */
  const runRows =
    displayRun !== undefined &&
    displayRun.cases.length > 0 &&
    (displayRun.origin === 'history' ||
      displayRun.phase !== 'finished' ||
      (displayRun.documentKey === doc?.key && displayRun.revision === doc?.revision));
  const rows = useMemo(() => {
    if (runRows && displayRun) return caseRows(displayRun.cases, displayRun.sources, displayRun.progress);
    return caseRows(inspection.matrix?.cases ?? [], inspection.sources, displayRun?.progress);
  }, [runRows, displayRun, inspection.matrix, inspection.sources]);
  const overrides = useMemo(() => expectationOverrides(doc?.plan), [doc]);

  const selectedRow = rows.find((row) => row.testCase.id === selectedId);
  const selection: TranscriptSelection | undefined = useMemo(() => {
    if (!selectedRow) return undefined;
    const progress = displayRun?.progress[selectedRow.testCase.id];
    const chosen: TranscriptSelection = { row: selectedRow, events: progress?.events ?? [] };
    if (progress && displayRun) chosen.runId = displayRun.runId;
    return chosen;
  }, [selectedRow, displayRun]);

  // The policy that groups the cases: the run's own plan when its rows are shown, else the plan's last valid version.
  const policy = (runRows ? displayRun?.record?.plan : undefined) ?? inspection.basis;

  // A running run's expectations are fixed; those of the plan (or of a run from the history) can be edited.
  const expectationsEditable = !(running && displayRun === liveRun);

  return { displayRun, runRows, rows, overrides, selection, expectationsEditable, policy };
}

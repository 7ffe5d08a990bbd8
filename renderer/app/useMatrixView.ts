// What the matrix and the transcript show: a run from the history, the live run (with the plan it was started
// from), the plan's last saved run (read when it was opened), or the plan's own matrix; and the selected case's
// transcript.
import { useMemo } from 'react';
import type { TestCase } from '../../shared/matrix.js';
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
  /** The open plan's newest saved run, shown when nothing else is. */
  latestRun?: RunState | undefined;
  selectedId: string | undefined;
}

/** The saved run's cases are the plan's as it is now (same ids, same expectations, same order). */
function sameCases(run: readonly TestCase[], plan: readonly TestCase[] | undefined): boolean {
  return (
    plan !== undefined &&
    run.length === plan.length &&
    run.every((testCase, index) => testCase.id === plan[index]?.id && testCase.expect === plan[index]?.expect)
  );
}

/** A partial run's cases are all still the plan's (same ids, same expectations). */
function someCases(run: readonly TestCase[], plan: readonly TestCase[] | undefined): boolean {
  if (plan === undefined) return false;
  const byId = new Map(plan.map((testCase) => [testCase.id, testCase]));
  return run.every((testCase) => byId.get(testCase.id)?.expect === testCase.expect);
}

export function useMatrixView({
  doc,
  inspection,
  liveRun,
  running,
  historyRun,
  latestRun,
  selectedId,
}: MatrixViewSources) {
  // A live run is shown with the plan it was started from (and while it runs, whatever is open).
  const ownRun = liveRun && (running || liveRun.documentKey === doc?.key) ? liveRun : undefined;
  const lastRun = latestRun && latestRun.documentKey === doc?.key ? latestRun : undefined;
  const displayRun = historyRun ?? ownRun ?? lastRun;
  const showsLastRun = displayRun !== undefined && displayRun === lastRun;

  /** The rows are the run's own cases (else the plan's, with the run's results where they still match). The last
   * saved run keeps its rows only while the plan still derives the same cases. A partial run ("run this case")
   * of this plan is shown on the plan's rows: the cases it left out read "not run". */
  const matchesPlan =
    displayRun !== undefined &&
    (showsLastRun
      ? displayRun.selection
        ? someCases(displayRun.cases, inspection.matrix?.cases)
        : sameCases(displayRun.cases, inspection.matrix?.cases)
      : displayRun.origin === 'history' ||
        displayRun.phase !== 'finished' ||
        (displayRun.documentKey === doc?.key && displayRun.revision === doc?.revision));
  const partialOnPlanRows =
    matchesPlan &&
    displayRun.selection !== undefined &&
    (displayRun.origin === 'live' || showsLastRun) &&
    !!inspection.matrix;
  const runRows = matchesPlan && displayRun.cases.length > 0 && !partialOnPlanRows;
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

  return {
    displayRun,
    showsLastRun,
    runRows,
    partialOnPlanRows,
    rows,
    overrides,
    selection,
    expectationsEditable,
    policy,
  };
}

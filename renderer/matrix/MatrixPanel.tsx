// The matrix side of the Matrix tab: the run's summary, the selected case with its "Override expectation…" action,
// and the cases as a grid (by group, per server) or as a list (filter, search, sort), the choice remembered.
// Memoised and frozen while its tab is hidden, so a run's progress does not re-render a panel nobody sees. App keys
// it by document: another plan starts at the top of its matrix, with the list's filters cleared.
import { memo, useCallback, useDeferredValue, useMemo, useState, type ReactNode, type Ref } from 'react';
import { deriveMatrix, type Matrix } from '../../shared/matrix.js';
import { matrixGrid, type MatrixGroup } from '../../shared/matrixGroups.js';
import { checkPlan, type Expectation, type Plan } from '../../shared/plan.js';
import { makeVisible } from '../../shared/text.js';
import { OverrideExpectationDialog } from '../dialogs/OverrideExpectationDialog.js';
import { formatTime } from '../history/HistoryPanel.js';
import { withoutExpectation } from '../plan/planEdit.js';
import type { RunState } from '../run/runState.js';
import type { CaseRow } from './caseRows.js';
import { DEFAULT_LIST_OPTIONS, EXPECTATION_TEXT, type ListOptions } from './listView.js';
import { MatrixGrid } from './MatrixGrid.js';
import { MatrixTable } from './MatrixTable.js';
import { RunSummary } from './RunSummary.js';

export type MatrixLayout = 'grid' | 'list';

const LAYOUT_KEY = 'relayTester.matrixView';

function storedLayout(): MatrixLayout {
  try {
    return window.localStorage.getItem(LAYOUT_KEY) === 'list' ? 'list' : 'grid';
  } catch {
    return 'grid'; // storage unavailable: the default, for this session
  }
}

function storeLayout(layout: MatrixLayout): void {
  try {
    window.localStorage.setItem(LAYOUT_KEY, layout);
  } catch {
    // see storedLayout()
  }
}

export interface MatrixPanelProps {
  /** The Matrix tab is shown; while it is not, the panel keeps what it last rendered. */
  active: boolean;
  rows: readonly CaseRow[];
  /** The rows are the run's own cases (false: the plan's, with the results of a run where they still match). */
  runRows: boolean;
  /** The run shown is the plan's latest saved run (reopened), not one made in this window. */
  showsLastRun: boolean;
  displayRun: RunState | undefined;
  historyRun: RunState | undefined;
  /** The plan whose policy groups the cases (the run's own when it has one). */
  policy: Plan | undefined;
  /** The open document's plan, as edited (for the derived expectation of an overridden case). */
  documentPlan: unknown;
  overrides: ReadonlySet<string>;
  matrix: Matrix | undefined;
  matrixOutdated: boolean;
  problemCount: number;
  expectationsEditable: boolean;
  selectedId: string | undefined;
  onSelect: (caseId: string, how: 'pointer' | 'keyboard') => void;
  onOpen: (caseId: string) => void;
  onShowPlan: () => void;
  onHideHistory: () => void;
  onSetExpectation: (caseId: string, expect: Expectation) => void;
  onResetExpectation: (caseId: string) => void;
  /** The run summary takes focus when a run starts (useRunAttention). */
  summaryRef?: Ref<HTMLDivElement>;
  /** "Re-run failed" and the notification choice, beside the summary (memoised by App). */
  runActions?: ReactNode;
  /** A partial run is shown on the plan's rows, the cases it left out marked "not run". */
  partialOnPlanRows?: boolean;
}

/** What the policy alone expects of a case the plan overrides (derived again without the override). */
function derivedExpectation(plan: unknown, caseId: string): Expectation | undefined {
  const check = checkPlan(withoutExpectation(plan, caseId));
  if (!check.ok) return undefined;
  return deriveMatrix(check.plan).cases.find((testCase) => testCase.id === caseId)?.expect;
}

function MatrixPanelView(props: MatrixPanelProps) {
  const { rows, displayRun, historyRun, selectedId, onSelect, onOpen, overrides } = props;
  const [layout, setLayout] = useState<MatrixLayout>(storedLayout);
  const [listOptions, setListOptions] = useState<ListOptions>(DEFAULT_LIST_OPTIONS);
  const [overriding, setOverriding] = useState<string | undefined>(undefined);

  // The grid's layout follows the rows in a render of its own, so a new plan's derivation and its layout are two
  // shorter tasks rather than one long one.
  const laidOut = useDeferredValue(rows);
  const grid = useMemo(() => matrixGrid(laidOut, (row) => row.testCase, props.policy), [laidOut, props.policy]);
  const groups = useMemo(() => {
    const byCase = new Map<string, MatrixGroup>();
    for (const group of grid.groups)
      for (const row of group.rows)
        for (const cell of row.cells) if (cell && cell !== 'covered') byCase.set(cell.item.testCase.id, group.group);
    return byCase;
  }, [grid]);
  const selected = useMemo(() => rows.find((row) => row.testCase.id === selectedId), [rows, selectedId]);
  const dialogCase = overriding ? rows.find((row) => row.testCase.id === overriding) : undefined;
  const derived = useMemo(
    () => (overriding && overrides.has(overriding) ? derivedExpectation(props.documentPlan, overriding) : undefined),
    [overriding, overrides, props.documentPlan],
  );
  const choose = useCallback((chosen: MatrixLayout) => {
    setLayout(chosen);
    storeLayout(chosen);
  }, []);

  return (
    <div className="matrix-side">
      <h2 className="visually-hidden">Test matrix</h2>
      {historyRun ? (
        <div className="history-note">
          Showing the run of {formatTime(historyRun.record?.startedAt ?? '')} from the history.{' '}
          <button type="button" className="link-button" onClick={props.onHideHistory}>
            Back to the current plan
          </button>
        </div>
      ) : null}
      {props.showsLastRun && displayRun ? (
        <div className="history-note" data-testid="last-run-note">
          Last run, {formatTime(displayRun.record?.startedAt ?? '')} (saved; nothing is running).
        </div>
      ) : null}
      {displayRun ? (
        <RunSummary run={displayRun} {...(props.summaryRef ? { focusRef: props.summaryRef } : {})} />
      ) : null}
      {props.runActions}
      {displayRun && !props.runRows && !props.partialOnPlanRows && displayRun.phase === 'finished' ? (
        <p className="field-hint">
          The plan changed since this run: results are those of the last run, the expectations are the plan’s.
        </p>
      ) : null}
      {props.matrixOutdated ? (
        <p className="warning-note">
          The plan has {props.problemCount} problem(s); this is the matrix of its last valid version.{' '}
          <button type="button" className="link-button" onClick={props.onShowPlan}>
            Show the problems
          </button>
        </p>
      ) : null}
      {props.matrix?.notes.map((note, index) => (
        <p key={index} className="warning-note">
          {note}
        </p>
      ))}
      <div className="matrix-bar">
        <div className="layout-switch" role="group" aria-label="Show the matrix as">
          <button type="button" aria-pressed={layout === 'grid'} onClick={() => choose('grid')}>
            Grid
          </button>
          <button type="button" aria-pressed={layout === 'list'} onClick={() => choose('list')}>
            List
          </button>
        </div>
        {selected ? (
          <div className="case-info" data-testid="case-info">
            <span className="case-info-title" title={makeVisible(selected.testCase.title)}>
              {makeVisible(selected.testCase.title)}
            </span>
            <span className="case-info-expect">
              expected {EXPECTATION_TEXT[selected.testCase.expect]}
              {overrides.has(selected.testCase.id) ? ' (override in the plan)' : ''}
            </span>
            <button
              type="button"
              disabled={!props.expectationsEditable}
              title={props.expectationsEditable ? undefined : 'Expectations are fixed while the run is going'}
              onClick={() => setOverriding(selected.testCase.id)}
            >
              Override expectation…
            </button>
            {overrides.has(selected.testCase.id) ? (
              <button
                type="button"
                className="link-button"
                disabled={!props.expectationsEditable}
                aria-label={`Reset to the policy’s expectation: ${makeVisible(selected.testCase.title)}`}
                onClick={() => props.onResetExpectation(selected.testCase.id)}
              >
                Reset to the policy’s
              </button>
            ) : null}
          </div>
        ) : (
          <p className="case-info field-hint">Choose a case to see its transcript.</p>
        )}
      </div>
      {layout === 'grid' ? (
        <MatrixGrid
          grid={grid}
          {...(selectedId ? { selectedId } : {})}
          onSelect={onSelect}
          onOpen={onOpen}
          overrides={overrides}
        />
      ) : (
        <MatrixTable
          rows={rows}
          {...(selectedId ? { selectedId } : {})}
          onSelect={onSelect}
          onOpen={onOpen}
          groups={groups}
          overrides={overrides}
          options={listOptions}
          onOptions={setListOptions}
        />
      )}
      {dialogCase ? (
        <OverrideExpectationDialog
          testCase={dialogCase.testCase}
          overridden={overrides.has(dialogCase.testCase.id)}
          {...(derived ? { derived } : {})}
          onSet={(expect) => props.onSetExpectation(dialogCase.testCase.id, expect)}
          onReset={() => props.onResetExpectation(dialogCase.testCase.id)}
          onClose={() => setOverriding(undefined)}
        />
      ) : null}
    </div>
  );
}

/** While the tab stays hidden, nothing re-renders; showing it renders once with the current props. */
export const MatrixPanel = memo(MatrixPanelView, (previous, next) => {
  if (!previous.active && !next.active) return true;
  return (Object.keys(next) as (keyof MatrixPanelProps)[]).every((key) => Object.is(previous[key], next[key]));
});

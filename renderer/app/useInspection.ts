// The plan's problems and matrix as it is edited. checkPlan and deriveMatrix are pure and run here on every
// change (the matrix deferred); only the source bindings (which local address serves each source) need the core, through inspectPlan,
// and only when the plan's sources change.
import { useDeferredValue, useEffect, useMemo, useState, type Dispatch } from 'react';
import type { RelayTesterApi } from '../../shared/ipc.js';
import { deriveMatrix, type Matrix } from '../../shared/matrix.js';
import { checkPlan, type Plan, type PlanCheck, type PlanProblem } from '../../shared/plan.js';
import { planWarnings, type PlanWarning } from '../../shared/planWarnings.js';
import type { SourceBinding } from '../../shared/run.js';
import { reportError, type AppAction } from './appState.js';

export interface Inspection {
  check: PlanCheck;
  problems: PlanProblem[];
  /** What is valid but probably not meant (shared/planWarnings.ts); empty while the plan has problems. */
  warnings: PlanWarning[];
  /** The matrix of the plan, or of its last valid version while it has problems. */
  matrix?: Matrix;
  /** The plan `matrix` was derived from: the plan, or its last valid version. */
  basis?: Plan;
  /** True when `matrix` is from an earlier, valid version of the plan. */
  matrixOutdated: boolean;
  sources: SourceBinding[];
}

/** One empty list for every valid plan, so the editor's memoised fields see no change where there is none. */
const NO_PROBLEMS: PlanProblem[] = [];

/** The source entries a run binds to local addresses (the plan's sources and those of extra cases). */
function wantedSources(plan: Plan): string[] {
  const fromCases = plan.cases.map((planCase) => planCase.source).filter((source): source is string => !!source);
  return [...new Set([...plan.sources, ...fromCases])];
}

/** `documentKey` changes when another plan is loaded, so nothing of the previous plan is shown for it. */
export function useInspection(
  api: RelayTesterApi,
  documentKey: number,
  plan: unknown,
  dispatch: Dispatch<AppAction>,
): Inspection {
  const check = useMemo(() => checkPlan(plan), [plan]);
  const warnings = useMemo(() => (check.ok ? planWarnings(check.plan) : []), [check]);
  const [sources, setSources] = useState<SourceBinding[]>([]);
  const [lastValid, setLastValid] = useState<Plan | undefined>(undefined);
  const valid = check.ok ? check.plan : undefined;
  // Vantage points decide which sources they serve, so their edits re-bind the sources too.
  const sourcesKey = valid ? JSON.stringify([wantedSources(valid), valid.vantagePoints ?? []]) : undefined;

  useEffect(() => {
    setLastValid(undefined);
    setSources([]);
  }, [documentKey]);

  useEffect(() => {
    if (valid) setLastValid(valid);
  }, [valid]);

  useEffect(() => {
    if (sourcesKey === undefined || plan === undefined) return;
    let current = true;
    const timer = setTimeout(() => {
      api.inspectPlan({ plan }).then(
        (result) => {
          if (current && result.sources) setSources(result.sources);
        },
        (error: Error) => current && dispatch(reportError(`Could not check the plan's sources: ${error.message}`)),
      );
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // Only a change of the sources (or another plan) needs the core; `plan` is read but does not trigger it.
  }, [api, documentKey, sourcesKey, dispatch]);

  // The matrix follows the plan a moment later: a keystroke's render checks the plan and shows the editor, and the
  // derivation (costly for a plan of thousands of cases) runs in a deferred render React can put after it.
  const latestBasis = valid ?? lastValid;
  const latest = useMemo(() => ({ documentKey, basis: latestBasis }), [documentKey, latestBasis]);
  const deferred = useDeferredValue(latest);
  // Never the previous document's matrix for this one, not even for a deferred frame.
  const basis = deferred.documentKey === documentKey ? deferred.basis : undefined;
  const matrix = useMemo(() => {
    if (!basis) return undefined;
    const addresses = new Map(
      sources.filter((binding) => binding.local).map((binding) => [binding.source, binding.local!]),
    );
    return deriveMatrix(basis, addresses);
  }, [basis, sources]);

  const inspection: Inspection = {
    check,
    problems: check.ok ? NO_PROBLEMS : check.problems,
    warnings,
    matrixOutdated: !valid && matrix !== undefined,
    sources,
  };
  if (matrix) inspection.matrix = matrix;
  if (basis) inspection.basis = basis;
  return inspection;
}

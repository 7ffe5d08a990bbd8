// A run of some of a plan's cases: "run this case", "re-run the failed ones", `run --case ID`. Pure: which cases
// are kept, in the plan's order, and the record of that choice, so a partial run never reads as the whole plan.
import type { CaseResult, RunSelection } from './run.js';
import type { Verdict } from './verdict.js';

/** At most this many case ids in one selection (a large plan has a few thousand cases). */
export const MAX_SELECTED_CASES = 5000;

/** The verdicts "re-run failed" picks: what failed, broke, or could not be judged. */
export const RERUN_VERDICTS: readonly Verdict[] = ['fail', 'error', 'inconclusive'];

export type CaseSelection<T> =
  | {
      ok: true;
      cases: T[];
      /** Absent when every case was chosen: that is a run of the whole plan. */
      selection?: RunSelection;
    }
  | { ok: false; message: string };

/** Keeps the chosen cases of a plan, in the plan's order; an id that names no case is an error in plain words. */
export function selectCases<T extends { id: string }>(all: readonly T[], caseIds: readonly string[]): CaseSelection<T> {
  const wanted = new Set(caseIds);
  if (wanted.size === 0) return { ok: false, message: 'no case was chosen to run' };
  if (wanted.size > MAX_SELECTED_CASES)
    return { ok: false, message: `at most ${MAX_SELECTED_CASES} cases can be chosen for one run` };
  const known = new Set(all.map((testCase) => testCase.id));
  const unknown = [...wanted].filter((id) => !known.has(id));
  if (unknown.length > 0) {
    const shown = unknown.slice(0, 5).map((id) => `"${id}"`);
    const more = unknown.length > shown.length ? ` and ${unknown.length - shown.length} more` : '';
    return {
      ok: false,
      message: `${unknown.length === 1 ? 'no case of this plan has the id' : 'no cases of this plan have the ids'} ${shown.join(', ')}${more} (the plan or this machine's sources may have changed)`,
    };
  }
  const cases = all.filter((testCase) => wanted.has(testCase.id));
  if (cases.length === all.length) return { ok: true, cases };
  return { ok: true, cases, selection: { caseIds: cases.map((testCase) => testCase.id), of: all.length } };
}

/** The ids of a run's cases that "re-run failed" runs again, in the run's order. */
export function casesToRerun(results: readonly Pick<CaseResult, 'case' | 'verdict'>[]): string[] {
  return results.filter((result) => RERUN_VERDICTS.includes(result.verdict)).map((result) => result.case.id);
}

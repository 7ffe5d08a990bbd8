// Run A against run B of the same plan: the cases whose verdict or outcome changed, worst news first.
import type { CaseResult, RunRecord } from './run.js';
import type { Verdict } from './verdict.js';

export type ChangeKind = 'regressed' | 'fixed' | 'verdict-changed' | 'outcome-changed' | 'added' | 'removed';

export interface CaseChange {
  id: string;
  title: string;
  kind: ChangeKind;
  before?: { verdict: Verdict; outcome?: string; reason: string };
  after?: { verdict: Verdict; outcome?: string; reason: string };
}

export interface Comparison {
  samePlan: boolean;
  changes: CaseChange[];
  unchanged: number;
  /** Cases one of the two runs did not run because it was a partial run ("run this case", "re-run failed"): not
   * removed, not added, not regressed; just not compared. Absent when there are none. */
  notRun?: number;
}

/** Verdicts a reviewer must act on. */
const FINDINGS: ReadonlySet<Verdict> = new Set<Verdict>(['fail', 'needs-review']);

const ORDER: ChangeKind[] = ['regressed', 'verdict-changed', 'outcome-changed', 'fixed', 'added', 'removed'];

function summary(result: CaseResult) {
  return { verdict: result.verdict, outcome: result.outcome?.outcome, reason: result.reason };
}

export function compareRuns(
  before: Pick<RunRecord, 'cases' | 'planHash' | 'selection'>,
  after: Pick<RunRecord, 'cases' | 'planHash' | 'selection'>,
): Comparison {
  const earlier = new Map(before.cases.map((result) => [result.case.id, result]));
  const later = new Map(after.cases.map((result) => [result.case.id, result]));
  const changes: CaseChange[] = [];
  let unchanged = 0;
  let notRun = 0;
  for (const [id, result] of later) {
    const previous = earlier.get(id);
    // A case the earlier, partial run left out was not added since: it was not run then.
    if (!previous) {
      if (before.selection) notRun += 1;
      else changes.push({ id, title: result.case.title, kind: 'added', after: summary(result) });
      continue;
    }
    let kind: ChangeKind | undefined;
    // An address trick newly accepted (needs review) is news as bad as a new fail; one refused again is fixed.
    if (previous.verdict === 'pass' && FINDINGS.has(result.verdict)) kind = 'regressed';
    else if (FINDINGS.has(previous.verdict) && result.verdict === 'pass') kind = 'fixed';
    else if (previous.verdict !== result.verdict) kind = 'verdict-changed';
    else if (previous.outcome?.outcome !== result.outcome?.outcome) kind = 'outcome-changed';
    if (kind) changes.push({ id, title: result.case.title, kind, before: summary(previous), after: summary(result) });
    else unchanged += 1;
  }
  for (const [id, result] of earlier) {
    if (later.has(id)) continue;
    // A case the later, partial run left out was not removed: it was not run this time.
    if (after.selection) notRun += 1;
    else changes.push({ id, title: result.case.title, kind: 'removed', before: summary(result) });
  }
  changes.sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  return { samePlan: before.planHash === after.planHash, changes, unchanged, ...(notRun > 0 ? { notRun } : {}) };
}

/** The cases a partial run left out, in words for every face; undefined when both runs ran the same cases. */
export function notRunText(comparison: Pick<Comparison, 'notRun'>): string | undefined {
  const count = comparison.notRun ?? 0;
  if (count === 0) return undefined;
  return `${count} case${count === 1 ? ' was' : 's were'} not run in one of these runs (a partial run): not compared`;
}

// Run A against run B of the same plan: the cases whose verdict or outcome changed, worst news first. A change is
// put down to what moved: the server's answer, or only the plan's expectation (the server answered the same), so
// an expectation edited between two runs never reads as a regression of the server.
import type { Expectation } from './plan.js';
import type { CaseResult, RunRecord } from './run.js';
import type { Verdict } from './verdict.js';

export type ChangeKind =
  /** The server answered differently and the case now needs action (pass → fail or needs-review). */
  | 'regressed'
  /** The server answered differently and a finding is now a pass. */
  | 'fixed'
  /** The server answered differently and the verdict moved otherwise (e.g. pass → inconclusive). */
  | 'verdict-changed'
  /** The server answered differently, with the same verdict (e.g. another refusal code). */
  | 'outcome-changed'
  /** The server answered the same; only the plan's expectation changed (and with it, maybe, the verdict). */
  | 'expectation-changed'
  /** Same answer, same expectation, another verdict: the judging itself differed (e.g. another tool version). */
  | 'judged-differently'
  | 'added'
  | 'removed';

/** What a change is put down to, in the order a reviewer reads them. */
export type ChangeCause = 'server' | 'expectation' | 'judgement' | 'cases';

export const CHANGE_CAUSE: Record<ChangeKind, ChangeCause> = {
  regressed: 'server',
  fixed: 'server',
  'verdict-changed': 'server',
  'outcome-changed': 'server',
  'expectation-changed': 'expectation',
  'judged-differently': 'judgement',
  added: 'cases',
  removed: 'cases',
};

export interface ChangeSide {
  verdict: Verdict;
  outcome?: string;
  /** The reply code the outcome was read from, when there was one. */
  code?: number;
  expect: Expectation;
  reason: string;
}

export interface CaseChange {
  id: string;
  title: string;
  kind: ChangeKind;
  /** For a change the server's answer caused: whether the expectation changed as well. */
  expectationChanged?: boolean;
  before?: ChangeSide;
  after?: ChangeSide;
}

export interface Comparison {
  samePlan: boolean;
  changes: CaseChange[];
  unchanged: number;
}

/** Verdicts a reviewer must act on. */
const FINDINGS: ReadonlySet<Verdict> = new Set<Verdict>(['fail', 'needs-review']);

const ORDER: ChangeKind[] = [
  'regressed',
  'verdict-changed',
  'outcome-changed',
  'fixed',
  'expectation-changed',
  'judged-differently',
  'added',
  'removed',
];

function side(result: CaseResult): ChangeSide {
  const summary: ChangeSide = { verdict: result.verdict, expect: result.case.expect, reason: result.reason };
  if (result.outcome) summary.outcome = result.outcome.outcome;
  if (result.outcome?.code !== undefined) summary.code = result.outcome.code;
  return summary;
}

/** What the server said, as far as judging goes: the outcome, where it was decided and its reply codes (not the
 * wording, which a server may vary from one session to the next). */
function answer(result: CaseResult): string {
  const outcome = result.outcome;
  return outcome ? `${outcome.outcome}|${outcome.stage}|${outcome.code ?? ''}|${outcome.enhancedCode ?? ''}` : '';
}

/** How one case moved from `previous` to `result`, or undefined when it did not. */
export function classifyChange(previous: CaseResult, result: CaseResult): ChangeKind | undefined {
  const serverChanged = answer(previous) !== answer(result);
  const expectationChanged = previous.case.expect !== result.case.expect;
  const verdictChanged = previous.verdict !== result.verdict;
  if (serverChanged) {
    // An address trick newly accepted (needs review) is news as bad as a new fail; one refused again is fixed.
    if (previous.verdict === 'pass' && FINDINGS.has(result.verdict)) return 'regressed';
    if (FINDINGS.has(previous.verdict) && result.verdict === 'pass') return 'fixed';
    return verdictChanged ? 'verdict-changed' : 'outcome-changed';
  }
  if (expectationChanged) return 'expectation-changed';
  return verdictChanged ? 'judged-differently' : undefined;
}

export function compareRuns(
  before: Pick<RunRecord, 'cases' | 'planHash'>,
  after: Pick<RunRecord, 'cases' | 'planHash'>,
): Comparison {
  const earlier = new Map(before.cases.map((result) => [result.case.id, result]));
  const later = new Map(after.cases.map((result) => [result.case.id, result]));
  const changes: CaseChange[] = [];
  let unchanged = 0;
  for (const [id, result] of later) {
    const previous = earlier.get(id);
    if (!previous) {
      changes.push({ id, title: result.case.title, kind: 'added', after: side(result) });
      continue;
    }
    const kind = classifyChange(previous, result);
    if (!kind) {
      unchanged += 1;
      continue;
    }
    const change: CaseChange = { id, title: result.case.title, kind, before: side(previous), after: side(result) };
    if (CHANGE_CAUSE[kind] === 'server' && previous.case.expect !== result.case.expect)
      change.expectationChanged = true;
    changes.push(change);
  }
  for (const [id, result] of earlier) {
    if (!later.has(id)) changes.push({ id, title: result.case.title, kind: 'removed', before: side(result) });
  }
  changes.sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  return { samePlan: before.planHash === after.planHash, changes, unchanged };
}

// How much of a plan a run decided, and the one headline every face shows (CLI, app, HTML/PDF report, JUnit).
// A green line only when every derived case ran and passed: a case that never ran proves nothing.
import type { CaseResult, RunRecord, SkipKind } from './run.js';

/** Why a case is undecided, in the order the headline lists them. */
export type UndecidedKind = SkipKind | 'inconclusive' | 'error' | 'cancelled';

export const UNDECIDED_PHRASES: Record<UndecidedKind, string> = {
  'not-runnable-here': 'not runnable from this machine',
  'not-runnable': 'not runnable with this plan',
  'no-password': 'without a password',
  'by-plan': 'skipped by the plan',
  inconclusive: 'inconclusive',
  error: 'error',
  cancelled: 'cancelled',
};
const UNDECIDED_ORDER = Object.keys(UNDECIDED_PHRASES) as UndecidedKind[];

export interface Coverage {
  total: number;
  /** Cases the server decided: passed, failed, or an accepted address trick to review. */
  decided: number;
  passed: number;
  failed: number;
  /** Address tricks the server accepted that may be local mailboxes or relays (docs/address-tricks.md). */
  needsReview: number;
  /** Failed cases where the server accepted a relay the policy denies. */
  openRelays: number;
  /** Undecided cases by kind, only the kinds that occur, in headline order. */
  undecided: { kind: UndecidedKind; count: number }[];
  cancelled: boolean;
  /** Every derived case ran and was decided, and the run was not cancelled (never for a partial run). */
  complete: boolean;
  /** A run of some of the plan's cases: how many ran of how many the plan derived. */
  partial?: { selected: number; of: number };
  /** Every case of this run (all of a partial run's chosen cases) ran and was decided, and it was not cancelled. */
  allRunDecided: boolean;
}

/** What coverage reads of a run: its results, whether it was cancelled, and which cases it was asked to run. */
export type CoverageInput = Pick<RunRecord, 'cases' | 'cancelled' | 'selection'>;

/** Why a skipped case was skipped; runs saved before `skip` existed are read from the reason. */
export function skipKind(result: Pick<CaseResult, 'skip' | 'reason'>): SkipKind {
  if (result.skip) return result.skip;
  if (result.reason.startsWith('skipped by the plan')) return 'by-plan';
  if (result.reason.startsWith('no password')) return 'no-password';
  if (result.reason.startsWith('not runnable here')) return 'not-runnable-here';
  return 'not-runnable';
}

function undecidedKind(result: CaseResult): UndecidedKind | undefined {
  switch (result.verdict) {
    case 'pass':
    case 'fail':
    case 'needs-review':
      return undefined;
    case 'skipped':
      return skipKind(result);
    default:
      return result.verdict;
  }
}

export function coverage(run: CoverageInput): Coverage {
  const counts = new Map<UndecidedKind, number>();
  let passed = 0;
  let failed = 0;
  let openRelays = 0;
  let needsReview = 0;
  for (const result of run.cases) {
    if (result.verdict === 'pass') passed += 1;
    else if (result.verdict === 'needs-review') needsReview += 1;
    else if (result.verdict === 'fail') {
      failed += 1;
      // Accepting mail for a local domain is no relay, whatever was expected.
      if (
        result.outcome?.outcome === 'recipient-accepted' &&
        result.case.expect !== 'relay' &&
        result.case.recipient !== 'local'
      )
        openRelays += 1;
    }
    const kind = undecidedKind(result);
    if (kind) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  const total = run.cases.length;
  const decided = passed + failed + needsReview;
  const allRunDecided = total > 0 && decided === total && !run.cancelled;
  const partial = run.selection ? { selected: run.selection.caseIds.length, of: run.selection.of } : undefined;
  return {
    total,
    decided,
    passed,
    failed,
    needsReview,
    openRelays,
    undecided: UNDECIDED_ORDER.filter((kind) => counts.has(kind)).map((kind) => ({ kind, count: counts.get(kind)! })),
    cancelled: run.cancelled,
    complete: allRunDecided && !partial,
    ...(partial ? { partial } : {}),
    allRunDecided,
  };
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** What the decided cases found, e.g. "no open relay found" (complete) or "no open relay among those", with the
 * accepted address tricks counted apart: "no open relay found; 2 address tricks accepted, to review". */
export function finding(cover: Coverage): string {
  const review = cover.needsReview > 0 ? `; ${plural(cover.needsReview, 'address trick')} accepted, to review` : '';
  return `${relayFinding(cover)}${review}`;
}

function relayFinding(cover: Coverage): string {
  const scope = cover.complete ? 'found' : 'among those';
  if (cover.openRelays > 0) {
    const others = cover.failed - cover.openRelays;
    return `OPEN RELAY, ${plural(cover.openRelays, 'case relays', 'cases relay')} that should not${others > 0 ? `; ${plural(others, 'other case')} failed` : ''}`;
  }
  if (cover.failed > 0) return `${plural(cover.failed, 'case')} failed; no open relay ${scope}`;
  if (cover.decided === 0) return 'nothing was decided';
  return `no open relay ${scope}`;
}

/** The undecided cases in words, e.g. "19 not runnable from this machine, 2 inconclusive". */
export function undecidedText(cover: Coverage): string {
  return cover.undecided.map(({ kind, count }) => `${count} ${UNDECIDED_PHRASES[kind]}`).join(', ');
}

/**
 * The line a reviewer reads first: "31 of 31 cases decided: no open relay found", or "Incomplete: 4 of 23 cases
 * decided (19 not runnable from this machine): no open relay among those", or "Cancelled: …". A partial run says
 * so first: "Partial run, 1 of 31 cases: 1 of 1 case decided: no open relay among those".
 */
export function headline(run: CoverageInput): string {
  const cover = coverage(run);
  const scope = cover.partial ? `partial run, ${cover.partial.selected} of ${plural(cover.partial.of, 'case')}: ` : '';
  const prefix = cover.cancelled
    ? `Cancelled: ${scope}`
    : scope
      ? `P${scope.slice(1)}`
      : cover.complete
        ? ''
        : 'Incomplete: ';
  const breakdown = cover.undecided.length > 0 ? ` (${undecidedText(cover)})` : '';
  return `${prefix}${cover.decided} of ${plural(cover.total, 'case')} decided${breakdown}: ${finding(cover)}`;
}

/** The exit status of a run with no fail but address tricks accepted, to review (3 and 4 are taken by `run`). */
export const NEEDS_REVIEW_EXIT = 5;

/** The exit status of a partial run whose chosen cases all passed: not 0, which says the whole plan passed. */
export const PARTIAL_PASS_EXIT = 6;

/** Exit status of `relay-tester run`, `demo` and `probe --tricks`: 0 only when every case of the plan ran and passed,
 * 1 any fail, 5 no fail but an accepted address trick to review (a reviewer must act, and scripts can tell it from
 * a proven relay), 6 a partial run (`--case`, `--failed-from`) whose chosen cases all passed, 2 anything else
 * undecided (skipped, inconclusive, error, cancelled, or no case at all). */
export function runExitStatus(run: CoverageInput): 0 | 1 | 2 | typeof NEEDS_REVIEW_EXIT | typeof PARTIAL_PASS_EXIT {
  const cover = coverage(run);
  if (cover.failed > 0) return 1;
  if (cover.needsReview > 0) return NEEDS_REVIEW_EXIT;
  if (cover.complete) return 0;
  return cover.partial && cover.allRunDecided ? PARTIAL_PASS_EXIT : 2;
}

/** The colour a face gives the headline: green only for a complete, all-pass run of the whole plan (never with
 * tricks to review, never for a partial run). */
export function headlineTone(run: CoverageInput): 'good' | 'fail' | 'unsure' {
  const status = runExitStatus(run);
  return status === 0 ? 'good' : status === 1 ? 'fail' : 'unsure';
}

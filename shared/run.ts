// A run of a plan, as saved to disk and shown in every face. Transcripts in it are already redacted.
import type { TestCase } from './matrix.js';
import type { Outcome } from './outcome.js';
import type { Plan } from './plan.js';
import type { TlsDetails, TranscriptEvent } from './session.js';
import type { Verdict } from './verdict.js';

export const RUN_VERSION = 1;

export interface SourceBinding {
  source: string;
  /** The local address that serves this source, when one does. */
  local?: string;
  /** The vantage point (by name) that serves this source, when one does; it wins over a local address. */
  vantage?: string;
  /** How that vantage point is reached, e.g. "ssh relaytest@10.77.1.2:22". */
  via?: string;
  /** Why no local address serves it, and the fix. */
  reason?: string;
  /**
   * A domain source: the forward-confirmed reverse name that matched (PTR, then A/AAAA back to the same address),
   * and that address (the local one, or the vantage point's).
   */
  reverseName?: string;
  address?: string;
}

/** Why a case was skipped: it counts as undecided, and the headline says which kind. */
export const SKIP_KINDS = ['by-plan', 'not-runnable-here', 'not-runnable', 'no-password'] as const;
export type SkipKind = (typeof SKIP_KINDS)[number];

export interface CaseResult {
  case: TestCase;
  verdict: Verdict;
  reason: string;
  /** For a skipped case: why (runs saved before this field existed are read from the reason). */
  skip?: SkipKind;
  warning?: string;
  outcome?: Outcome;
  /** The local address the session was bound to. */
  local?: string;
  /** The vantage point that ran the case, and how it was reached (when not run from this machine). */
  vantage?: string;
  via?: string;
  startedAt?: string;
  durationMs?: number;
  greeting?: string;
  tls?: TlsDetails;
  messageId?: string;
  transcript: TranscriptEvent[];
}

export type VerdictCounts = Record<Verdict, number>;

/** The cases a partial run was asked to run ("run this case", "re-run failed"), of how many the plan derived. */
export interface RunSelection {
  caseIds: string[];
  /** How many cases the plan derived on this machine: the run holds only the selected ones. */
  of: number;
}

export interface RunRecord {
  relayTesterRun: typeof RUN_VERSION;
  id: string;
  planName: string;
  /** SHA-256 of the plan's canonical JSON: two runs of the same policy share it. */
  planHash: string;
  plan: Plan;
  toolVersion: string;
  hostName: string;
  startedAt: string;
  finishedAt: string;
  cancelled: boolean;
  sources: SourceBinding[];
  summary: VerdictCounts;
  cases: CaseResult[];
  /** Present only for a run of some of the plan's cases: `cases` holds just those, and no face calls it whole. */
  selection?: RunSelection;
}

export function countVerdicts(results: readonly { verdict: Verdict }[]): VerdictCounts {
  const counts: VerdictCounts = {
    pass: 0,
    fail: 0,
    'needs-review': 0,
    inconclusive: 0,
    error: 0,
    skipped: 0,
    cancelled: 0,
  };
  for (const result of results) counts[result.verdict] += 1;
  return counts;
}

/** Whether the case finished (with any verdict) rather than being cut short or never started by a cancel. */
export function caseRan(result: { verdict: Verdict }): boolean {
  return result.verdict !== 'cancelled';
}

const CANCELLED_REASON = /^the run was cancelled (before|during) this case/;

/**
 * A run file as this version reads it. Runs saved before the `cancelled` verdict existed marked the cases a cancel
 * stopped as `skipped`; they become `cancelled` and the summary is counted again, so old files count honestly.
 */
export function upgradeRun(run: RunRecord): RunRecord {
  const cases = run.cases.map((result) =>
    result.verdict === 'skipped' && CANCELLED_REASON.test(result.reason)
      ? { ...result, verdict: 'cancelled' as const }
      : result,
  );
  return { ...run, cases, summary: countVerdicts(cases) };
}

/** Progress of a run, pushed to whichever face is watching (CLI, Electron window, browser). */
export type RunProgress =
  | { type: 'run-started'; runId: string; cases: TestCase[]; sources: SourceBinding[]; selection?: RunSelection }
  | { type: 'case-started'; runId: string; caseId: string; local?: string }
  | { type: 'case-event'; runId: string; caseId: string; event: TranscriptEvent }
  /** `done` counts the cases that ran to a verdict (not those a cancel stopped), so a cancelled run never reads full. */
  | { type: 'case-finished'; runId: string; result: CaseResult; done: number; total: number }
  | { type: 'run-finished'; runId: string; run: RunRecord; /** Where the run was saved, when it was. */ file?: string }
  /** The run could not finish or could not be saved: the results (when there are any) were not written. */
  | { type: 'run-failed'; runId: string; message: string; run?: RunRecord };

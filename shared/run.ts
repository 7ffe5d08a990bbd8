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
}

export interface CaseResult {
  case: TestCase;
  verdict: Verdict;
  reason: string;
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
}

export function countVerdicts(results: readonly { verdict: Verdict }[]): VerdictCounts {
  const counts: VerdictCounts = { pass: 0, fail: 0, inconclusive: 0, error: 0, skipped: 0 };
  for (const result of results) counts[result.verdict] += 1;
  return counts;
}

/** One line a reviewer can read first: is there an open relay or not. */
export function headline(run: Pick<RunRecord, 'cases' | 'cancelled'>): string {
  const counts = countVerdicts(run.cases);
  const openRelays = run.cases.filter(
    (result) => result.verdict === 'fail' && result.outcome?.outcome === 'recipient-accepted',
  ).length;
  const prefix = run.cancelled ? 'Cancelled: ' : '';
  if (openRelays > 0) {
    return `${prefix}${openRelays} case${openRelays === 1 ? '' : 's'} relay${openRelays === 1 ? 's' : ''} that should not`;
  }
  if (counts.fail > 0) return `${prefix}${counts.fail} case${counts.fail === 1 ? '' : 's'} failed; no open relay found`;
  if (counts.inconclusive + counts.error > 0) {
    return `${prefix}No open relay found, but ${counts.inconclusive + counts.error} case(s) could not be decided`;
  }
  return `${prefix}No open relay found: every case behaved as the policy says`;
}

/** The exit status of `relay-tester run`: 0 all pass, 1 any fail, 2 any inconclusive or error and no fail. */
export function runExitStatus(counts: VerdictCounts): number {
  if (counts.fail > 0) return 1;
  if (counts.inconclusive > 0 || counts.error > 0) return 2;
  return 0;
}

/** Progress of a run, pushed to whichever face is watching (CLI, Electron window, browser). */
export type RunProgress =
  | { type: 'run-started'; runId: string; cases: TestCase[]; sources: SourceBinding[] }
  | { type: 'case-started'; runId: string; caseId: string; local?: string }
  | { type: 'case-event'; runId: string; caseId: string; event: TranscriptEvent }
  | { type: 'case-finished'; runId: string; result: CaseResult; done: number; total: number }
  | { type: 'run-finished'; runId: string; run: RunRecord; /** Where the run was saved, when it was. */ file?: string };

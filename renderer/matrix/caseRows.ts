// What one row of the matrix shows: the case, the local address that will serve its source, why it cannot run
// from this machine (if so), and the latest result. Pure.
import type { TestCase } from '../../shared/matrix.js';
import type { SourceBinding } from '../../shared/run.js';
import type { CaseProgress, RowStatus } from '../run/runState.js';

export interface CaseRow {
  testCase: TestCase;
  local?: string;
  /** The vantage point that serves (or ran) the case, and how it is reached ("ssh relaytest@10.77.1.2:22"). */
  vantage?: string;
  via?: string;
  /** Why this machine cannot run the case (greyed out). */
  notRunnable?: string;
  status?: RowStatus;
  durationMs?: number;
  verdictReason?: string;
  warning?: string;
}

/** Why a case cannot be run from this machine, from the matrix and the source bindings (SourceBinding.reason). */
export function notRunnableReason(testCase: TestCase, bindings: readonly SourceBinding[]): string | undefined {
  if (testCase.unrunnable) return testCase.unrunnable;
  if (testCase.skip) return 'left out of runs by the plan (skip)';
  if (!testCase.source) return undefined;
  const binding = bindings.find((candidate) => candidate.source === testCase.source);
  if (binding && !binding.local && !binding.vantage)
    return binding.reason ?? `no local address serves ${testCase.source}`;
  return undefined;
}

export function caseRows(
  cases: readonly TestCase[],
  bindings: readonly SourceBinding[],
  progress: Readonly<Record<string, CaseProgress>> = {},
): CaseRow[] {
  return cases.map((testCase) => {
    const row: CaseRow = { testCase };
    const binding = testCase.source ? bindings.find((candidate) => candidate.source === testCase.source) : undefined;
    const state = progress[testCase.id];
    const local = state?.local ?? binding?.local;
    if (local) row.local = local;
    // A finished case says where it really ran from; before that, the binding says where it will.
    const vantage = state?.result ? state.result.vantage : binding?.vantage;
    const via = state?.result ? state.result.via : binding?.via;
    if (vantage) row.vantage = vantage;
    if (vantage && via) row.via = via;
    const reason = notRunnableReason(testCase, bindings);
    if (reason) row.notRunnable = reason;
    if (state) {
      row.status = state.status;
      if (state.result?.durationMs !== undefined) row.durationMs = state.result.durationMs;
      if (state.result) row.verdictReason = state.result.reason;
      if (state.result?.warning) row.warning = state.result.warning;
    }
    return row;
  });
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The recipient as a word (external, local) and the address it stands for. */
export function recipientText(testCase: TestCase): { kind: string; address?: string } {
  if (!testCase.to) return { kind: testCase.kind === 'banner' ? 'greeting only' : '' };
  if (testCase.recipient && testCase.recipient !== 'address') return { kind: testCase.recipient, address: testCase.to };
  return { kind: testCase.to };
}

// What one row of the matrix shows: the case, the local address that will serve its source, why it cannot run
// from this machine (if so), and the latest result. Pure.
import type { TestCase } from '../../shared/matrix.js';
import type { Outcome } from '../../shared/outcome.js';
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
  /** The deciding reply code, e.g. "550 5.7.1" (what a helpdesk compares with the server's logs). */
  code?: string;
}

/** Why a case cannot be run from this machine, from the matrix and the source bindings (SourceBinding.reason). */
export function notRunnableReason(testCase: TestCase, bindings: readonly SourceBinding[]): string | undefined {
  const binding = testCase.source ? bindings.find((candidate) => candidate.source === testCase.source) : undefined;
  return reasonWithBinding(testCase, binding);
}

function reasonWithBinding(testCase: TestCase, binding: SourceBinding | undefined): string | undefined {
  if (testCase.unrunnable) return testCase.unrunnable;
  if (testCase.skip) return 'left out of runs by the plan (skip)';
  if (!testCase.source) return undefined;
  if (binding && !binding.local && !binding.vantage)
    return binding.reason ?? `no local address serves ${testCase.source}`;
  return undefined;
}

export function caseRows(
  cases: readonly TestCase[],
  bindings: readonly SourceBinding[],
  progress: Readonly<Record<string, CaseProgress>> = {},
): CaseRow[] {
  // By source, once: a 5,000-case plan has hundreds of sources.
  const bySource = new Map<string, SourceBinding>();
  for (const binding of bindings) if (!bySource.has(binding.source)) bySource.set(binding.source, binding);
  return cases.map((testCase) => {
    const row: CaseRow = { testCase };
    const binding = testCase.source ? bySource.get(testCase.source) : undefined;
    const state = progress[testCase.id];
    const local = state?.local ?? binding?.local;
    if (local) row.local = local;
    // A finished case says where it really ran from; before that, the binding says where it will.
    const vantage = state?.result ? state.result.vantage : binding?.vantage;
    const via = state?.result ? state.result.via : binding?.via;
    if (vantage) row.vantage = vantage;
    if (vantage && via) row.via = via;
    const reason = reasonWithBinding(testCase, binding);
    if (reason) row.notRunnable = reason;
    if (state) {
      row.status = state.status;
      if (state.result?.durationMs !== undefined) row.durationMs = state.result.durationMs;
      if (state.result) row.verdictReason = state.result.reason;
      if (state.result?.warning) row.warning = state.result.warning;
      const code = outcomeCode(state.result?.outcome);
      if (code) row.code = code;
    }
    return row;
  });
}

/** "550 5.7.1", "250", or nothing when no reply decided (a timeout, a refused connection). */
export function outcomeCode(outcome: Outcome | undefined): string | undefined {
  if (outcome?.code === undefined) return undefined;
  return outcome.enhancedCode ? `${outcome.code} ${outcome.enhancedCode}` : String(outcome.code);
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

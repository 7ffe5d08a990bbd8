// A comparison in words, the same in the app, the comparison report and the CLI: what each kind of change is
// called, and the one summary sentence.
import { CHANGE_CAUSE, type ChangeCause, type ChangeKind, type Comparison } from './compare.js';

export const CHANGE_LABELS: Record<ChangeKind, string> = {
  regressed: 'regressed',
  fixed: 'fixed',
  'verdict-changed': 'verdict changed',
  'outcome-changed': 'answer changed',
  'expectation-changed': 'expectation changed',
  'judged-differently': 'judged differently',
  added: 'new case',
  removed: 'case removed',
};

/** Why a case changed, as a reviewer would say it. */
export const CAUSE_PHRASES: Record<ChangeCause, string> = {
  server: 'the server answered differently',
  expectation: 'the expectation changed (same server answer)',
  judgement: 'judged differently (same answer, same expectation)',
  cases: 'the plan’s cases changed',
};

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** How many changes of each kind, every kind present. */
export function changeCounts(comparison: Pick<Comparison, 'changes'>): Record<ChangeKind, number> {
  const counts = Object.fromEntries(Object.keys(CHANGE_LABELS).map((kind) => [kind, 0])) as Record<ChangeKind, number>;
  for (const change of comparison.changes) counts[change.kind] += 1;
  return counts;
}

/**
 * One sentence, e.g. "No case changed; 11 unchanged." is never written: "No case changed (11 unchanged)." or
 * "3 cases changed: the server answered differently in 1 (1 regressed), the expectation changed in 2 (same server
 * answer); 28 unchanged."
 */
export function comparisonSummary(comparison: Comparison): string {
  const { changes, unchanged } = comparison;
  if (changes.length === 0) return `No case changed (${unchanged} unchanged).`;
  const counts = changeCounts(comparison);
  const byCause = (cause: ChangeCause) => changes.filter((change) => CHANGE_CAUSE[change.kind] === cause).length;
  const parts: string[] = [];
  const server = byCause('server');
  if (server > 0) {
    const detail = (['regressed', 'fixed'] as const)
      .filter((kind) => counts[kind] > 0)
      .map((kind) => `${counts[kind]} ${CHANGE_LABELS[kind]}`);
    parts.push(`the server answered differently in ${server}${detail.length > 0 ? ` (${detail.join(', ')})` : ''}`);
  }
  const expectation = byCause('expectation');
  if (expectation > 0) parts.push(`the expectation changed in ${expectation} (same server answer)`);
  const judgement = byCause('judgement');
  if (judgement > 0) parts.push(`judged differently in ${judgement} (same answer, same expectation)`);
  if (counts.added > 0) parts.push(`${plural(counts.added, 'new case')}`);
  if (counts.removed > 0) parts.push(`${plural(counts.removed, 'case')} removed`);
  return `${plural(changes.length, 'case')} changed: ${parts.join(', ')}; ${unchanged} unchanged.`;
}

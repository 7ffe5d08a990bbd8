// `relay-tester compare A.json B.json`: which cases changed between two runs, regressions first, each with what
// moved: the server's answer or only the expectation. Exit 1 only when the server's answer regressed.
import { print, printJson, terminal } from './output.js';
import { COMPARE_USAGE } from './usage.js';
import { CHANGE_CAUSE, compareRuns, type CaseChange } from '../../shared/compare.js';
import { CAUSE_PHRASES, CHANGE_LABELS, comparisonSummary } from '../../shared/compareText.js';
import type { RunRecord } from '../../shared/run.js';
import { readRunFile, RunFileError } from '../store/runFile.js';
import { UsageError } from './usageError.js';

function side(change: CaseChange['before']): string {
  return change ? `${change.verdict}${change.outcome ? ` (${change.outcome})` : ''}` : '-';
}

/** Why the case changed, with what moved: the reply codes, or the expectation. */
function cause(change: CaseChange): string {
  const { before, after } = change;
  const cause = CHANGE_CAUSE[change.kind];
  let detail = '';
  if (before && after && cause === 'server' && before.code !== after.code)
    detail = ` (reply ${before.code ?? 'none'} -> ${after.code ?? 'none'})`;
  const expectation =
    before && after && before.expect !== after.expect ? `expected ${before.expect} -> ${after.expect}` : '';
  if (cause === 'expectation') return `${CAUSE_PHRASES[cause]}: ${expectation}`;
  return `${CAUSE_PHRASES[cause]}${detail}${expectation ? `; ${expectation} too` : ''}`;
}

export async function compareCommand(args: string[]): Promise<number> {
  const json = args.includes('--json');
  const files = args.filter((arg) => arg !== '--json');
  if (files.length !== 2) throw new UsageError(`usage: ${COMPARE_USAGE}`);
  const [beforeFile, afterFile] = files as [string, string];
  let before: RunRecord, after: RunRecord;
  try {
    [before, after] = await Promise.all([readRunFile(beforeFile), readRunFile(afterFile)]);
  } catch (error) {
    if (error instanceof RunFileError) throw new UsageError(error.message);
    throw error;
  }
  const comparison = compareRuns(before, after);
  if (json) {
    printJson(comparison);
  } else {
    const indent = ' '.repeat(20);
    if (!comparison.samePlan) print(terminal`Note: the two runs are of different plans (plan hashes differ).\n`);
    for (const change of comparison.changes) {
      print(
        terminal`${CHANGE_LABELS[change.kind].toUpperCase().padEnd(19)} ${change.title}\n${indent}${side(change.before)} -> ${side(change.after)}\n${indent}why: ${cause(change)}\n`,
      );
      if (change.after) print(terminal`${indent}${change.after.reason}\n`);
    }
    print(terminal`${comparisonSummary(comparison)}\n`);
  }
  return comparison.changes.some((change) => change.kind === 'regressed') ? 1 : 0;
}

// `relay-tester compare A.json B.json`: which cases changed between two runs, regressions first.
import { print, printJson, terminal } from './output.js';
import { COMPARE_USAGE } from './usage.js';
import { compareRuns, notRunText, type CaseChange } from '../../shared/compare.js';
import type { RunRecord } from '../../shared/run.js';
import { readRunFile, RunFileError } from '../store/runFile.js';
import { UsageError } from './usageError.js';

function side(change: CaseChange['before']): string {
  return change ? `${change.verdict}${change.outcome ? ` (${change.outcome})` : ''}` : '-';
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
    const indent = ' '.repeat(17);
    if (!comparison.samePlan) print(terminal`Note: the two runs are of different plans (plan hashes differ).\n`);
    if (comparison.changes.length === 0) print(terminal`No case changed (${comparison.unchanged} unchanged).\n`);
    for (const change of comparison.changes) {
      print(
        terminal`${change.kind.toUpperCase().padEnd(16)} ${change.title}\n${indent}${side(change.before)} -> ${side(change.after)}\n`,
      );
      if (change.after) print(terminal`${indent}${change.after.reason}\n`);
    }
    if (comparison.changes.length > 0)
      print(terminal`${comparison.changes.length} changed, ${comparison.unchanged} unchanged\n`);
    const notRun = notRunText(comparison);
    if (notRun) print(terminal`${notRun}.\n`);
  }
  return comparison.changes.some((change) => change.kind === 'regressed') ? 1 : 0;
}

// The list view's filter, search and sort over the case rows, and the words the matrix uses for expectations and
// states. Pure.
import { caseSubject, GROUP_LABELS, type MatrixGroup } from '../../shared/matrixGroups.js';
import type { Expectation } from '../../shared/plan.js';
import type { Verdict } from '../../shared/verdict.js';
import type { CaseRow } from './caseRows.js';

/** What a case should show, as the matrix writes it (short, for a cell). */
export const EXPECTATION_TEXT: Record<Expectation, string> = {
  relay: 'relay',
  deny: 'no relay',
  'reject-at-connect': 'refused at connect',
  'auth-fail': 'auth fails',
  banner: 'banner',
  report: 'report only',
};

/** Verdicts a reviewer must look at: "failures first" puts them on top, "problems" filters on them. */
const PROBLEMS = new Set<string | undefined>(['fail', 'error', 'needs-review', 'inconclusive']);

export const LIST_COLUMNS = ['result', 'expected', 'group', 'case', 'server', 'source', 'recipient', 'time'] as const;
export type ListColumn = (typeof LIST_COLUMNS)[number];

export const LIST_COLUMN_LABELS: Record<ListColumn, string> = {
  result: 'Result',
  expected: 'Expected',
  group: 'Group',
  case: 'Case',
  server: 'Server',
  source: 'Source',
  recipient: 'Recipient',
  time: 'Time',
};

/** 'problems' stands for every verdict to look at; 'not-run' for a case without a result. */
export type VerdictFilter = 'all' | 'problems' | 'not-run' | Verdict;

export interface ListOptions {
  verdict: VerdictFilter;
  server: string;
  group: MatrixGroup | 'all';
  search: string;
  sort?: { column: ListColumn; descending: boolean };
  failuresFirst: boolean;
}

export const DEFAULT_LIST_OPTIONS: ListOptions = {
  verdict: 'all',
  server: 'all',
  group: 'all',
  search: '',
  failuresFirst: false,
};

export function isProblem(row: CaseRow): boolean {
  return PROBLEMS.has(row.status);
}

/** The cell text of a column, which is also what sorting and searching compare. */
export function columnText(row: CaseRow, column: ListColumn, group: MatrixGroup | undefined): string {
  const { testCase } = row;
  switch (column) {
    case 'result':
      return [row.status ?? 'not run', row.code ?? ''].join(' ').trim();
    case 'expected':
      return EXPECTATION_TEXT[testCase.expect];
    case 'group':
      return group ? GROUP_LABELS[group] : '';
    case 'case': {
      const subject = caseSubject(testCase).label;
      return testCase.kind === 'wrong-password' ? `${subject}, wrong password` : subject;
    }
    case 'server':
      return testCase.server;
    case 'source':
      return testCase.source ?? '';
    case 'recipient':
      return testCase.recipient === 'address' || !testCase.recipient ? (testCase.to ?? '') : testCase.recipient;
    case 'time':
      return row.durationMs === undefined ? '' : String(row.durationMs);
  }
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** The rows the list shows, in order. The plan's order is kept unless a column sort or "failures first" is on. */
export function listRows(
  rows: readonly CaseRow[],
  groups: ReadonlyMap<string, MatrixGroup>,
  options: ListOptions,
): CaseRow[] {
  const needle = options.search.trim().toLowerCase();
  const kept = rows.filter((row) => {
    const { testCase } = row;
    if (options.server !== 'all' && testCase.server !== options.server) return false;
    if (options.group !== 'all' && groups.get(testCase.id) !== options.group) return false;
    if (options.verdict === 'problems' && !isProblem(row)) return false;
    if (options.verdict === 'not-run' && row.status !== undefined) return false;
    if (!['all', 'problems', 'not-run'].includes(options.verdict) && row.status !== options.verdict) return false;
    if (!needle) return true;
    const haystack = [
      testCase.title,
      testCase.account ?? '',
      testCase.from ?? '',
      testCase.to ?? '',
      row.verdictReason ?? '',
      ...LIST_COLUMNS.map((column) => columnText(row, column, groups.get(testCase.id))),
    ]
      .join('\n')
      .toLowerCase();
    return haystack.includes(needle);
  });
  const { sort } = options;
  if (!sort && !options.failuresFirst) return kept;
  const order = new Map(rows.map((row, index) => [row.testCase.id, index]));
  return kept.sort((a, b) => {
    if (options.failuresFirst) {
      const byProblem = Number(isProblem(b)) - Number(isProblem(a));
      if (byProblem !== 0) return byProblem;
    }
    if (sort) {
      const compared =
        sort.column === 'time'
          ? (a.durationMs ?? -1) - (b.durationMs ?? -1)
          : collator.compare(
              columnText(a, sort.column, groups.get(a.testCase.id)),
              columnText(b, sort.column, groups.get(b.testCase.id)),
            );
      if (compared !== 0) return sort.descending ? -compared : compared;
    }
    return order.get(a.testCase.id)! - order.get(b.testCase.id)!;
  });
}

// The list view's filter, search, sort and "failures first", over rows of the derived matrix.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseRows, type CaseRow } from '../../renderer/matrix/caseRows.js';
import { DEFAULT_LIST_OPTIONS, listRows, type ListOptions } from '../../renderer/matrix/listView.js';
import type { RowStatus } from '../../renderer/run/runState.js';
import { deriveMatrix } from '../../shared/matrix.js';
import { caseGroup, type MatrixGroup } from '../../shared/matrixGroups.js';
import { checkPlan } from '../../shared/plan.js';
import { ROOT } from '../support/testbed.js';

const check = checkPlan(JSON.parse(readFileSync(path.join(ROOT, 'plans/example.json'), 'utf8')));
if (!check.ok) throw new Error('the example plan is invalid');
const plan = check.plan;
const cases = deriveMatrix(plan).cases;
const groups = new Map<string, MatrixGroup>(cases.map((testCase) => [testCase.id, caseGroup(testCase, plan)]));

const MALLORY = 'smtp-relay-virtual-server/as-mallory/to-external';
const ALICE = 'smtp-relay-virtual-server/as-alice/to-external';

/** Rows with results: every case passed in `durationMs` order, except the ones named. */
function rowsWith(statuses: Record<string, RowStatus>): CaseRow[] {
  return caseRows(cases, []).map((row, index) => ({
    ...row,
    status: statuses[row.testCase.id] ?? 'pass',
    durationMs: 1000 - index,
  }));
}

function ids(options: Partial<ListOptions>, rows = rowsWith({})): string[] {
  return listRows(rows, groups, { ...DEFAULT_LIST_OPTIONS, ...options }).map((row) => row.testCase.id);
}

describe('the list view', () => {
  it('keeps the plan order without a sort', () => {
    expect(ids({})).toEqual(cases.map((testCase) => testCase.id));
  });

  it('puts the cases to look at first, in plan order among themselves', () => {
    const rows = rowsWith({ [MALLORY]: 'fail', [ALICE]: 'needs-review' });
    const order = ids({ failuresFirst: true }, rows);
    expect(order.slice(0, 2)).toEqual([ALICE, MALLORY]);
    expect(order).toHaveLength(cases.length);
    expect(ids({ verdict: 'problems' }, rows)).toEqual([ALICE, MALLORY]);
    expect(ids({ verdict: 'fail' }, rows)).toEqual([MALLORY]);
  });

  it('filters by group and server together, and searches every column and the title', () => {
    expect(ids({ group: 'approved-users' })).toEqual([ALICE, 'smtp-relay-virtual-server/as-bob/to-external']);
    expect(ids({ group: 'approved-users', server: 'Default SMTP Virtual Server' })).toEqual([]);
    expect(ids({ search: 'MALLORY', server: 'SMTP Relay Virtual Server' })).toEqual([MALLORY]);
    expect(ids({ search: 'refused at connect' })).toEqual([
      'smtp-relay-virtual-server/from-127.0.9.0/24/to-external',
      'smtp-relay-virtual-server/from-127.0.9.0/24/to-local',
    ]);
  });

  it('sorts by a column both ways, numbers by value, ties in plan order', () => {
    const byTime = ids({ sort: { column: 'time', descending: false } });
    expect(byTime[0]).toBe(cases[cases.length - 1]!.id);
    const bySource = listRows(rowsWith({}), groups, {
      ...DEFAULT_LIST_OPTIONS,
      sort: { column: 'source', descending: true },
    }).map((row) => row.testCase.source ?? '');
    expect(bySource[0]).toBe('127.0.9.0/24');
    expect(bySource.indexOf('127.0.0.10')).toBeLessThan(bySource.indexOf('127.0.0.5'));
  });
});

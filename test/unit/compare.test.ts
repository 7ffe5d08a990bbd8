import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../shared/compare.js';
import type { CaseResult } from '../../shared/run.js';
import type { Verdict } from '../../shared/verdict.js';

function result(id: string, verdict: Verdict, outcome = 'recipient-rejected'): CaseResult {
  return {
    case: { id, title: id, kind: 'source', server: 's', expect: 'deny', because: '' },
    verdict,
    reason: verdict,
    outcome: { outcome: outcome as never, stage: 'rcpt', text: '' },
    transcript: [],
  };
}

describe('comparing two runs', () => {
  it('lists changed cases, regressions first, and counts the rest', () => {
    const before = {
      planHash: 'a',
      cases: [
        result('a', 'pass'),
        result('b', 'fail'),
        result('c', 'pass'),
        result('d', 'pass'),
        result('gone', 'pass'),
      ],
    };
    const after = {
      planHash: 'a',
      cases: [
        result('a', 'pass'),
        result('b', 'pass'),
        result('c', 'pass', 'temporary-failure'),
        result('d', 'fail', 'recipient-accepted'),
        result('new', 'pass'),
      ],
    };
    const comparison = compareRuns(before, after);
    expect(comparison.samePlan).toBe(true);
    expect(comparison.unchanged).toBe(1);
    expect(comparison.changes.map((change) => [change.id, change.kind])).toEqual([
      ['d', 'regressed'],
      ['c', 'outcome-changed'],
      ['b', 'fixed'],
      ['new', 'added'],
      ['gone', 'removed'],
    ]);
  });

  it('counts an address trick newly accepted (needs review) as a regression, and one refused again as fixed', () => {
    const before = {
      planHash: 'a',
      cases: [result('t1', 'pass'), result('t2', 'needs-review'), result('t3', 'needs-review')],
    };
    const after = {
      planHash: 'a',
      cases: [result('t1', 'needs-review', 'recipient-accepted'), result('t2', 'pass'), result('t3', 'fail')],
    };
    expect(compareRuns(before, after).changes.map((change) => [change.id, change.kind])).toEqual([
      ['t1', 'regressed'],
      ['t3', 'verdict-changed'],
      ['t2', 'fixed'],
    ]);
  });
});

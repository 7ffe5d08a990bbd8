import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../shared/compare.js';
import { comparisonSummary } from '../../shared/compareText.js';
import type { Expectation } from '../../shared/plan.js';
import type { CaseResult } from '../../shared/run.js';
import type { Verdict } from '../../shared/verdict.js';

function result(
  id: string,
  verdict: Verdict,
  outcome = 'recipient-rejected',
  expect: Expectation = 'deny',
  code = outcome === 'recipient-accepted' ? 250 : 550,
): CaseResult {
  return {
    case: { id, title: id, kind: 'source', server: 's', expect, because: '' },
    verdict,
    reason: verdict,
    outcome: { outcome: outcome as never, stage: 'rcpt', code, text: '' },
    transcript: [],
  };
}

const kinds = (before: CaseResult[], after: CaseResult[]) =>
  compareRuns({ planHash: 'a', cases: before }, { planHash: 'b', cases: after }).changes.map((change) => [
    change.id,
    change.kind,
  ]);

describe('comparing two runs', () => {
  it('lists changed cases, regressions first, and counts the rest', () => {
    const before = {
      planHash: 'a',
      cases: [
        result('a', 'pass'),
        result('b', 'fail', 'recipient-accepted'),
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
        result('c', 'pass', 'temporary-failure', 'deny', 451),
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
    expect(comparisonSummary(comparison)).toBe(
      '5 cases changed: the server answered differently in 3 (1 regressed, 1 fixed), 1 new case, 1 case removed; 1 unchanged.',
    );
  });

  it('counts an address trick newly accepted (needs review) as a regression, and one refused again as fixed', () => {
    expect(
      kinds(
        [result('t1', 'pass'), result('t2', 'needs-review', 'recipient-accepted'), result('t3', 'needs-review')],
        [result('t1', 'needs-review', 'recipient-accepted'), result('t2', 'pass'), result('t3', 'fail', 'timeout')],
      ),
    ).toEqual([
      ['t1', 'regressed'],
      ['t3', 'verdict-changed'],
      ['t2', 'fixed'],
    ]);
  });

  it('an expectation changed while the server answered the same never reads as regressed or fixed', () => {
    const before = [result('e1', 'pass', 'recipient-rejected', 'deny'), result('e2', 'fail', 'recipient-accepted')];
    const after = [
      result('e1', 'fail', 'recipient-rejected', 'relay'),
      result('e2', 'pass', 'recipient-accepted', 'relay'),
    ];
    const comparison = compareRuns({ planHash: 'a', cases: before }, { planHash: 'b', cases: after });
    expect(comparison.changes.map((change) => [change.id, change.kind])).toEqual([
      ['e1', 'expectation-changed'],
      ['e2', 'expectation-changed'],
    ]);
    expect(comparison.changes[0]?.before).toMatchObject({ verdict: 'pass', expect: 'deny', code: 550 });
    expect(comparison.changes[0]?.after).toMatchObject({ verdict: 'fail', expect: 'relay', code: 550 });
    expect(comparisonSummary(comparison)).toBe(
      '2 cases changed: the expectation changed in 2 (same server answer); 0 unchanged.',
    );
  });

  it('puts a change down to the server when its reply code moved, even with the same outcome and verdict', () => {
    const before = [result('r', 'pass', 'recipient-rejected', 'deny', 550)];
    const after = [result('r', 'pass', 'recipient-rejected', 'deny', 554)];
    expect(kinds(before, after)).toEqual([['r', 'outcome-changed']]);
  });

  it('says so when the server and the expectation both changed', () => {
    const [change] = compareRuns(
      { planHash: 'a', cases: [result('x', 'pass', 'recipient-rejected', 'deny')] },
      { planHash: 'b', cases: [result('x', 'pass', 'recipient-accepted', 'relay')] },
    ).changes;
    expect(change).toMatchObject({ kind: 'outcome-changed', expectationChanged: true });
  });

  it('tells a verdict judged differently (same answer, same expectation) from a server change', () => {
    expect(kinds([result('j', 'inconclusive')], [result('j', 'pass')])).toEqual([['j', 'judged-differently']]);
  });

  it('says plainly that nothing changed, without a stray full stop', () => {
    const cases = [result('a', 'pass'), result('b', 'pass')];
    const comparison = compareRuns({ planHash: 'a', cases }, { planHash: 'a', cases });
    expect(comparison.changes).toEqual([]);
    expect(comparisonSummary(comparison)).toBe('No case changed (2 unchanged).');
  });
});

// The headline every face shows, and the exit status: green only when every derived case ran and passed.
import { describe, expect, it } from 'vitest';
import { coverage, headline, runExitStatus } from '../../shared/coverage.js';
import type { TestCase } from '../../shared/matrix.js';
import type { OutcomeKind } from '../../shared/outcome.js';
import { upgradeRun, type CaseResult, type RunRecord, type SkipKind } from '../../shared/run.js';
import type { Verdict } from '../../shared/verdict.js';

let next = 0;
function result(
  verdict: Verdict,
  extra: { skip?: SkipKind; reason?: string; outcome?: OutcomeKind; expect?: TestCase['expect'] } = {},
): CaseResult {
  next += 1;
  const testCase: TestCase = {
    id: `c${next}`,
    title: `c${next}`,
    kind: 'source',
    server: 's',
    expect: extra.expect ?? 'deny',
    because: '',
    recipient: 'external',
  };
  const value: CaseResult = { case: testCase, verdict, reason: extra.reason ?? 'because', transcript: [] };
  if (extra.skip) value.skip = extra.skip;
  if (extra.outcome) value.outcome = { outcome: extra.outcome, stage: 'rcpt', text: '' };
  return value;
}
const times = (count: number, make: () => CaseResult) => Array.from({ length: count }, make);
const run = (cases: CaseResult[], cancelled = false) => ({ cases, cancelled });

describe('the headline', () => {
  it('says "no open relay found" only when every case ran and passed, and exits 0', () => {
    const all = run(times(31, () => result('pass')));
    expect(headline(all)).toBe('31 of 31 cases decided: no open relay found');
    expect(runExitStatus(all)).toBe(0);
    expect(coverage(all).complete).toBe(true);
  });

  it('a plan whose sources are not local reads "Incomplete", with what was not runnable, and exits 2', () => {
    const partial = run([
      ...times(4, () => result('pass')),
      ...times(19, () => result('skipped', { skip: 'not-runnable-here' })),
    ]);
    expect(headline(partial)).toBe(
      'Incomplete: 4 of 23 cases decided (19 not runnable from this machine): no open relay among those',
    );
    expect(runExitStatus(partial)).toBe(2);
  });

  it('breaks the undecided down by kind', () => {
    const mixed = run([
      result('pass'),
      result('skipped', { skip: 'by-plan' }),
      result('skipped', { skip: 'no-password' }),
      result('skipped', { skip: 'not-runnable' }),
      ...times(2, () => result('inconclusive')),
      ...times(3, () => result('error')),
    ]);
    expect(headline(mixed)).toBe(
      'Incomplete: 1 of 9 cases decided (1 not runnable with this plan, 1 without a password, 1 skipped by the plan, 2 inconclusive, 3 error): no open relay among those',
    );
    expect(runExitStatus(mixed)).toBe(2);
  });

  it('errors without a single pass never read as "no open relay found"', () => {
    const errors = run(times(24, () => result('error')));
    expect(headline(errors)).toBe('Incomplete: 0 of 24 cases decided (24 error): nothing was decided');
    expect(runExitStatus(errors)).toBe(2);
  });

  it('a cancelled run says "Cancelled" with the true count and never exits 0', () => {
    const cancelled = run([...times(112, () => result('pass')), ...times(452, () => result('cancelled'))], true);
    expect(headline(cancelled)).toBe('Cancelled: 112 of 564 cases decided (452 cancelled): no open relay among those');
    expect(runExitStatus(cancelled)).toBe(2);
    // Cancelled after the last case finished: still not a full, green run.
    expect(
      runExitStatus(
        run(
          times(3, () => result('pass')),
          true,
        ),
      ),
    ).toBe(2);
  });

  it('an open relay leads, whatever the coverage, and exits 1', () => {
    const open = run([
      result('fail', { outcome: 'recipient-accepted' }),
      result('fail', { outcome: 'recipient-rejected', expect: 'relay' }),
      result('pass'),
      result('skipped', { skip: 'not-runnable-here' }),
    ]);
    expect(headline(open)).toBe(
      'Incomplete: 3 of 4 cases decided (1 not runnable from this machine): OPEN RELAY, 1 case relays that should not; 1 other case failed',
    );
    expect(runExitStatus(open)).toBe(1);
    const failedOnly = run([result('fail', { outcome: 'recipient-rejected', expect: 'relay' }), result('pass')]);
    expect(headline(failedOnly)).toBe('2 of 2 cases decided: 1 case failed; no open relay found');
  });

  it('a plan with no cases decides nothing and exits 2', () => {
    expect(headline(run([]))).toBe('Incomplete: 0 of 0 cases decided: nothing was decided');
    expect(runExitStatus(run([]))).toBe(2);
  });
});

describe('run files saved before the cancelled verdict', () => {
  it('count the cases a cancel stopped as cancelled, and skipped ones by their reason', () => {
    const old = {
      cancelled: true,
      summary: { pass: 1, fail: 0, inconclusive: 0, error: 0, skipped: 3 },
      cases: [
        result('pass'),
        result('skipped', { reason: 'the run was cancelled before this case ran' }),
        result('skipped', { reason: 'the run was cancelled during this case' }),
        result('skipped', {
          reason: 'not runnable here: 10.1.2.3 is not an address of this machine: add it as an alias',
        }),
      ],
    } as unknown as RunRecord;
    const upgraded = upgradeRun(old);
    expect(upgraded.summary).toEqual({
      pass: 1,
      fail: 0,
      'needs-review': 0,
      inconclusive: 0,
      error: 0,
      skipped: 1,
      cancelled: 2,
    });
    expect(headline(upgraded)).toBe(
      'Cancelled: 1 of 4 cases decided (1 not runnable from this machine, 2 cancelled): no open relay among those',
    );
  });
});

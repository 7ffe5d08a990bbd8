// A run of some of a plan's cases: which cases it keeps, what it records, and how every face reads it.
import { describe, expect, it } from 'vitest';
import { casesToRerun, MAX_SELECTED_CASES, selectCases } from '../../shared/caseSelection.js';
import { compareRuns, notRunText } from '../../shared/compare.js';
import { coverage, headline, headlineTone, PARTIAL_PASS_EXIT, runExitStatus } from '../../shared/coverage.js';
import type { CaseResult } from '../../shared/run.js';
import type { Verdict } from '../../shared/verdict.js';

function result(id: string, verdict: Verdict, outcome = 'recipient-rejected'): CaseResult {
  return {
    case: { id, title: id, kind: 'source', server: 's', expect: 'deny', because: '', recipient: 'external' },
    verdict,
    reason: verdict,
    outcome: { outcome: outcome as never, stage: 'rcpt', text: '' },
    transcript: [],
  };
}
const plan = ['a', 'b', 'c', 'd'].map((id) => ({ id }));

describe('choosing cases to run', () => {
  it('keeps the chosen cases in the plan order and records them of how many', () => {
    const chosen = selectCases(plan, ['c', 'a', 'c']);
    expect(chosen).toEqual({ ok: true, cases: [{ id: 'a' }, { id: 'c' }], selection: { caseIds: ['a', 'c'], of: 4 } });
  });

  it('choosing every case is a run of the whole plan, with no selection recorded', () => {
    expect(selectCases(plan, ['d', 'c', 'b', 'a'])).toEqual({ ok: true, cases: plan });
  });

  it('refuses an id that names no case, in plain words, and an empty or oversized choice', () => {
    const unknown = selectCases(plan, ['a', 'zz']);
    expect(unknown).toEqual({
      ok: false,
      message: 'no case of this plan has the id "zz" (the plan or this machine\'s sources may have changed)',
    });
    const many = selectCases(plan, ['1', '2', '3', '4', '5', '6', '7']);
    expect(many.ok === false && many.message).toMatch(
      /^no cases of this plan have the ids "1", "2", "3", "4", "5" and 2 more/,
    );
    expect(selectCases(plan, [])).toEqual({ ok: false, message: 'no case was chosen to run' });
    const tooMany = Array.from({ length: MAX_SELECTED_CASES + 1 }, (_, index) => `x${index}`);
    expect(selectCases(plan, tooMany)).toMatchObject({ ok: false, message: /at most 5000 cases/ });
  });

  it('"re-run failed" picks what failed, broke or could not be judged, not passes, reviews or skips', () => {
    const results = [
      result('p', 'pass'),
      result('f', 'fail'),
      result('e', 'error'),
      result('i', 'inconclusive'),
      result('n', 'needs-review'),
      result('s', 'skipped'),
      result('x', 'cancelled'),
    ];
    expect(casesToRerun(results)).toEqual(['f', 'e', 'i']);
  });
});

describe('a partial run never reads as the whole plan', () => {
  const selection = { caseIds: ['a'], of: 31 };

  it('one case of 31 that passed says "Partial run, 1 of 31 cases", is not green and does not exit 0', () => {
    const run = { cases: [result('a', 'pass')], cancelled: false, selection };
    expect(headline(run)).toBe('Partial run, 1 of 31 cases: 1 of 1 case decided: no open relay among those');
    expect(coverage(run)).toMatchObject({ complete: false, allRunDecided: true, partial: { selected: 1, of: 31 } });
    expect(runExitStatus(run)).toBe(PARTIAL_PASS_EXIT);
    expect(headlineTone(run)).toBe('unsure');
  });

  it('a failing partial run exits 1 and an undecided one 2, as a whole run would', () => {
    expect(runExitStatus({ cases: [result('a', 'fail')], cancelled: false, selection })).toBe(1);
    const undecided = { cases: [result('a', 'inconclusive')], cancelled: false, selection };
    expect(runExitStatus(undecided)).toBe(2);
    expect(headline(undecided)).toBe(
      'Partial run, 1 of 31 cases: 0 of 1 case decided (1 inconclusive): nothing was decided',
    );
  });

  it('a cancelled partial run says both', () => {
    const run = { cases: [result('a', 'cancelled')], cancelled: true, selection };
    expect(headline(run)).toMatch(/^Cancelled: partial run, 1 of 31 cases: 0 of 1 case decided/);
    expect(runExitStatus(run)).toBe(2);
  });

  it('compared with a full run, the cases it left out are "not run", not removed, added or regressed', () => {
    // The server relayed for "a" before and refuses it now (or the other way round).
    const full = {
      planHash: 'h',
      cases: [result('a', 'fail', 'recipient-accepted'), result('b', 'pass'), result('c', 'pass')],
    };
    const partial = { planHash: 'h', cases: [result('a', 'pass')], selection: { caseIds: ['a'], of: 3 } };
    const later = compareRuns(full, partial);
    expect(later.changes.map((change) => [change.id, change.kind])).toEqual([['a', 'fixed']]);
    expect(later.notRun).toBe(2);
    expect(notRunText(later)).toBe('2 cases were not run in one of these runs (a partial run): not compared');
    const earlier = compareRuns(partial, full);
    expect(earlier.changes.map((change) => change.kind)).toEqual(['regressed']);
    expect(earlier.notRun).toBe(2);
    // Two whole runs still call a vanished case removed.
    const whole = compareRuns(full, { planHash: 'h', cases: [result('a', 'fail', 'recipient-accepted')] });
    expect(whole.changes.map((change) => change.kind)).toEqual(['removed', 'removed']);
    expect(whole.notRun).toBeUndefined();
  });
});

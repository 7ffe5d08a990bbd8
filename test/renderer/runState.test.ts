// A run as the window shows it, from batched progress: queued → running → verdict, and only this run's messages.
import { describe, expect, it } from 'vitest';
import { caseRows, notRunnableReason } from '../../renderer/matrix/caseRows.js';
import {
  withExpectation,
  withoutExpectation,
  expectationOverrides,
  setAt,
  removeAt,
} from '../../renderer/plan/planEdit.js';
import { applyProgress, runCounts, startingRun } from '../../renderer/run/runState.js';
import type { TestCase } from '../../shared/matrix.js';
import type { CaseResult, RunRecord } from '../../shared/run.js';

const cases = [
  { id: 'a', title: 'A', kind: 'source', server: 'S', source: '10.0.0.1', expect: 'deny', because: '' },
  { id: 'b', title: 'B', kind: 'source', server: 'S', source: '10.9.0.0/24', expect: 'deny', because: '' },
] as TestCase[];

describe('run state', () => {
  it('moves each case from queued to running to its verdict', () => {
    let state = startingRun('r', { documentKey: 1, revision: 3 });
    state = applyProgress(state, [{ type: 'run-started', runId: 'r', cases, sources: [] }]);
    expect(state.progress.a?.status).toBe('queued');
    state = applyProgress(state, [
      { type: 'case-started', runId: 'r', caseId: 'a', local: '10.0.0.1' },
      { type: 'case-event', runId: 'r', caseId: 'a', event: { type: 'client', t: 1, text: 'EHLO x', tls: false } },
      {
        type: 'case-event',
        runId: 'other',
        caseId: 'a',
        event: { type: 'client', t: 1, text: 'NOT MINE', tls: false },
      },
    ]);
    expect(state.progress.a).toMatchObject({ status: 'running', local: '10.0.0.1' });
    expect(state.progress.a?.events).toHaveLength(1);
    const result = { case: cases[0], verdict: 'fail', reason: 'open relay', transcript: [] } as unknown as CaseResult;
    state = applyProgress(state, [{ type: 'case-finished', runId: 'r', result, done: 1, total: 2 }]);
    expect(state.progress.a?.status).toBe('fail');
    expect(runCounts(state).fail).toBe(1);
    expect(state.done).toBe(1);
  });

  it('a cancelled run ends showing only the cases that ran as done', () => {
    let state = startingRun('r', { documentKey: 1, revision: 0 });
    state = applyProgress(state, [{ type: 'run-started', runId: 'r', cases, sources: [] }]);
    const ran = { case: cases[0], verdict: 'pass', reason: 'refused', transcript: [] } as unknown as CaseResult;
    const stopped = {
      case: cases[1],
      verdict: 'cancelled',
      reason: 'the run was cancelled before this case ran',
      transcript: [],
    } as unknown as CaseResult;
    const record = {
      id: 'r',
      cancelled: true,
      cases: [ran, stopped],
      summary: { pass: 1, cancelled: 1 },
    } as unknown as RunRecord;
    state = applyProgress(state, [{ type: 'run-finished', runId: 'r', run: record, file: '/runs/r.json' }]);
    expect(state).toMatchObject({ phase: 'finished', done: 1, total: 2 });
    expect(state.progress.b?.status).toBe('cancelled');
  });

  it('a run that failed to save is finished, says why, and keeps its results', () => {
    let state = startingRun('r', { documentKey: 1, revision: 0 });
    state = applyProgress(state, [{ type: 'run-started', runId: 'r', cases, sources: [] }]);
    const results = cases.map((testCase) => ({
      case: testCase,
      verdict: 'pass',
      reason: 'refused',
      transcript: [],
    })) as unknown as CaseResult[];
    const record = { id: 'r', cancelled: false, cases: results } as unknown as RunRecord;
    state = applyProgress(state, [
      { type: 'run-failed', runId: 'r', message: 'could not save the run to /x: ENOSPC', run: record },
    ]);
    expect(state).toMatchObject({
      phase: 'finished',
      failure: 'could not save the run to /x: ENOSPC',
      done: 2,
      total: 2,
    });
    expect(state.file).toBeUndefined();
    expect(state.progress.a?.status).toBe('pass');
    // Without results (the run itself failed) it is finished all the same.
    const bare = applyProgress(startingRun('s', { documentKey: 1, revision: 0 }), [
      { type: 'run-failed', runId: 's', message: 'boom' },
    ]);
    expect(bare).toMatchObject({ phase: 'finished', failure: 'boom' });
  });

  it('returns the same state for a batch of other runs', () => {
    const state = startingRun('r', { documentKey: 1, revision: 0 });
    expect(applyProgress(state, [{ type: 'case-started', runId: 'x', caseId: 'a' }])).toBe(state);
  });
});

describe('matrix rows', () => {
  it('says why a case cannot run here from the source binding', () => {
    const bindings = [
      { source: '10.0.0.1', local: '10.0.0.1' },
      { source: '10.9.0.0/24', reason: 'no local address in 10.9.0.0/24' },
    ];
    expect(notRunnableReason(cases[0]!, bindings)).toBeUndefined();
    expect(notRunnableReason(cases[1]!, bindings)).toBe('no local address in 10.9.0.0/24');
    expect(caseRows(cases, bindings)[1]?.notRunnable).toBe('no local address in 10.9.0.0/24');
  });

  it('runs a source served by a vantage point, and names it (the binding before the run, the result after)', () => {
    const bindings = [
      { source: '10.0.0.1', local: '10.0.0.1' },
      { source: '10.9.0.0/24', vantage: 'branch', via: 'ssh relaytest@10.9.0.2:22' },
    ];
    expect(notRunnableReason(cases[1]!, bindings)).toBeUndefined();
    const before = caseRows(cases, bindings)[1]!;
    expect(before).toMatchObject({ vantage: 'branch', via: 'ssh relaytest@10.9.0.2:22' });
    expect(before.notRunnable).toBeUndefined();
    const result = {
      case: cases[1]!,
      verdict: 'pass' as const,
      reason: 'ok',
      transcript: [],
      vantage: 'other',
      via: 'socks5 10.9.0.3:1080',
    };
    const after = caseRows(cases, bindings, { [cases[1]!.id]: { status: 'pass', events: [], result } })[1]!;
    expect(after).toMatchObject({ vantage: 'other', via: 'socks5 10.9.0.3:1080' });
  });
});

describe('plan edits', () => {
  it('adds, changes and removes an expectation override by case id, keeping other fields', () => {
    const plan = { name: 'p', cases: [{ id: 'x', title: 'kept' }] };
    const one = withExpectation(plan, 'a', 'relay');
    expect(one).toEqual({
      name: 'p',
      cases: [
        { id: 'x', title: 'kept' },
        { id: 'a', expect: 'relay' },
      ],
    });
    const two = withExpectation(withExpectation(one, 'x', 'deny'), 'a', 'banner');
    expect(two).toEqual({
      name: 'p',
      cases: [
        { id: 'x', title: 'kept', expect: 'deny' },
        { id: 'a', expect: 'banner' },
      ],
    });
    expect([...expectationOverrides(two)]).toEqual(['x', 'a']);
    expect(withoutExpectation(withoutExpectation(two, 'a'), 'x')).toEqual(plan);
    expect(plan.cases).toHaveLength(1); // never mutated
  });

  it('sets and removes values at paths without mutating', () => {
    const plan = { servers: [{ name: 'a' }] };
    expect(setAt(plan, ['servers', 0, 'connect', 'deny', 0], '10.0.0.0/8')).toEqual({
      servers: [{ name: 'a', connect: { deny: ['10.0.0.0/8'] } }],
    });
    expect(setAt(plan, ['servers', 0, 'name'], undefined)).toEqual({ servers: [{}] });
    expect(removeAt(plan, ['servers', 0])).toEqual({ servers: [] });
    expect(plan).toEqual({ servers: [{ name: 'a' }] });
  });
});

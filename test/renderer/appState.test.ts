// The window's state as one reducer: what a user sees after each thing that happens, without rendering anything.
import { describe, expect, it } from 'vitest';
import { appReducer, initialAppState, type AppAction, type AppState } from '../../renderer/app/appState.js';
import type { AppInfo } from '../../shared/ipc.js';
import type { TestCase } from '../../shared/matrix.js';
import type { RunRecord } from '../../shared/run.js';
import { runFromRecord } from '../../renderer/run/runState.js';

const info = {
  version: '0',
  face: 'browser',
  workspace: '/w',
  platform: 'linux',
  startPlan: { plan: { name: 'P' } },
} as unknown as AppInfo;
const cases = [
  { id: 'a', title: 'A', kind: 'source', server: 'S', source: '10.0.0.1', expect: 'deny', because: '' },
  { id: 'b', title: 'B', kind: 'source', server: 'S', source: '10.0.0.1', expect: 'deny', because: '' },
] as TestCase[];

function after(...actions: AppAction[]): AppState {
  return actions.reduce(appReducer, initialAppState);
}

function runningRun(): AppAction[] {
  return [
    { type: 'app-started', info },
    { type: 'run-starting', origin: { documentKey: 1, revision: 0 } },
    { type: 'run-started', runId: 'r', origin: { documentKey: 1, revision: 0 } },
    { type: 'run-progress', runId: 'r', batch: [{ type: 'run-started', runId: 'r', cases, sources: [] }] },
  ];
}

describe('the window state', () => {
  it('follows the running case, and stays on a case chosen by hand during the run', () => {
    let state = after(...runningRun(), {
      type: 'run-progress',
      runId: 'r',
      batch: [{ type: 'case-started', runId: 'r', caseId: 'a' }],
    });
    expect(state.selectedId).toBe('a');
    state = appReducer(state, { type: 'case-chosen', caseId: 'b' });
    expect(state.follow).toBe(false);
    state = appReducer(state, {
      type: 'run-progress',
      runId: 'r',
      batch: [{ type: 'case-started', runId: 'r', caseId: 'a' }],
    });
    expect(state.selectedId).toBe('b');
  });

  it('ignores the progress of a run this window did not start', () => {
    const state = after(...runningRun());
    expect(
      appReducer(state, {
        type: 'run-progress',
        runId: 'other',
        batch: [{ type: 'case-started', runId: 'other', caseId: 'a' }],
      }),
    ).toBe(state);
  });

  it('shows nothing of the previous plan once another is loaded, and shows the editor when it has problems', () => {
    const record = { id: 'h', cases: [], sources: [] } as unknown as RunRecord;
    let state = after(
      { type: 'app-started', info },
      { type: 'case-chosen', caseId: 'a' },
      { type: 'history-shown', run: runFromRecord(record, '/w/h.json') },
    );
    expect(state.historyRun?.file).toBe('/w/h.json');
    state = appReducer(state, { type: 'document-loaded', document: { plan: {}, path: '/w/q.json' } });
    expect(state).toMatchObject({ historyRun: undefined, selectedId: undefined, tab: 'matrix' });
    expect(state.doc).toMatchObject({ key: 2, path: '/w/q.json', dirty: false });
    state = appReducer(state, {
      type: 'document-loaded',
      document: { plan: {}, problems: [{ path: 'name', message: 'missing' }] },
    });
    expect(state.tab).toBe('plan');
  });

  it('keeps a document dirty when it was edited while being saved', () => {
    let state = after({ type: 'app-started', info }, { type: 'plan-edited', change: () => ({ name: 'Q' }) });
    expect(state.doc?.dirty).toBe(true);
    const saving = state.doc!;
    state = appReducer(state, { type: 'plan-edited', change: () => ({ name: 'R' }) });
    state = appReducer(state, {
      type: 'document-saved',
      key: saving.key,
      revision: saving.revision,
      path: '/w/p.json',
      plan: saving.plan,
    });
    expect(state.doc).toMatchObject({ path: '/w/p.json', dirty: true });
    state = appReducer(state, { type: 'plan-edited', change: () => ({ name: 'Q' }) });
    expect(state.doc?.dirty).toBe(false);
  });
});

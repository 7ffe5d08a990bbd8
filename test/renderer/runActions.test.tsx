// @vitest-environment jsdom
// Running part of a plan from the window: "Run this case" runs the selected case alone and the headline says it was
// one case of the plan; "Re-run failed" (and Ctrl+Shift+Enter) runs what failed, errored or was inconclusive;
// Ctrl+Enter runs the plan; focus goes to the run summary and is not lost at the end; a long run's end changes the
// title and, when the window is hidden and the user asked, shows a system notification.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/app/App.js';
import { CompareView } from '../../renderer/history/CompareView.js';
import { compareRuns } from '../../shared/compare.js';
import { deriveMatrix, type TestCase } from '../../shared/matrix.js';
import { checkPlan } from '../../shared/plan.js';
import { countVerdicts, type CaseResult, type RunRecord, type RunSelection } from '../../shared/run.js';
import type { Verdict } from '../../shared/verdict.js';
import { createFakeApi, labPlan } from './fakeApi.js';
import { FakeTerminal } from './fakeTerminal.js';

vi.mock('../../renderer/transcript/XtermView.js', () => ({ XtermView: () => null }));

let clock = 0;
beforeEach(() => {
  clock = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => clock);
  document.title = 'Relay Tester';
  window.localStorage.clear();
  // These tests read the cases as the list view's rows (the grid is the default view).
  window.localStorage.setItem('relayTester.matrixView', 'list');
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  Reflect.deleteProperty(document, 'visibilityState');
});

/** The lab plan's cases, as the core would derive them with every source local (as the fake API binds them). */
function labCases(): TestCase[] {
  const check = checkPlan(labPlan());
  if (!check.ok) throw new Error('the lab plan is invalid');
  return deriveMatrix(check.plan, new Map(check.plan.sources.map((source) => [source, source]))).cases;
}

function record(results: [TestCase, Verdict][], selection?: RunSelection): RunRecord {
  const cases: CaseResult[] = results.map(([testCase, verdict]) => ({
    case: testCase,
    verdict,
    reason: verdict,
    transcript: [],
  }));
  return {
    id: 'run-1',
    planName: 'Relay Tester lab demo',
    startedAt: '2026-12-03T08:00:00.000Z',
    cancelled: false,
    cases,
    summary: countVerdicts(cases),
    ...(selection ? { selection } : {}),
  } as RunRecord;
}

async function start(face: 'browser' | 'electron' = 'browser') {
  const api = createFakeApi({ face });
  render(<App api={api} TerminalView={FakeTerminal} />);
  await screen.findByRole('table', { name: 'Test matrix' });
  return api;
}

const runButton = () => screen.getByRole('button', { name: '▶ Run' });
const summary = () => screen.getByTestId('run-summary');

describe('running part of a plan in the window', () => {
  it('"Run this case" runs the selected case alone, and the headline says it was 1 of the plan cases', async () => {
    const api = await start();
    const cases = labCases();
    const chosen = cases[1]!;
    expect(screen.queryByRole('button', { name: 'Run this case' })).toBeNull();
    fireEvent.click(document.querySelector(`[data-case-id="${chosen.id}"]`)!);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Run this case' })));
    expect(api.startRun).toHaveBeenCalledWith({ plan: labPlan(), caseIds: [chosen.id] });
    expect(document.activeElement).toBe(summary());
    expect(screen.getByRole('button', { name: 'Run this case' })).toHaveProperty('disabled', true);

    const selection = { caseIds: [chosen.id], of: cases.length };
    act(() =>
      api.emit('runProgress', [{ type: 'run-started', runId: 'run-1', cases: [chosen], sources: [], selection }]),
    );
    expect(screen.getByTestId('run-headline').textContent).toBe(
      `Running 1 of ${cases.length} cases (a partial run): 0 of 1 done`,
    );
    act(() =>
      api.emit('runProgress', [{ type: 'run-finished', runId: 'run-1', run: record([[chosen, 'pass']], selection) }]),
    );
    expect(screen.getByTestId('run-headline').textContent).toBe(
      `Partial run, 1 of ${cases.length} cases: 1 of 1 case decided: no open relay among those`,
    );
    expect(summary().className).not.toContain('summary-good');
    // The plan's other cases stay in the matrix, not run in this run.
    expect(document.querySelectorAll('tr[data-case-id]').length).toBe(cases.length);
    expect(screen.queryByText(/The plan changed since this run/)).toBeNull();
    expect(document.activeElement).toBe(summary());
  });

  it('"Re-run failed" and Ctrl+Shift+Enter run again what failed, errored or was inconclusive; Ctrl+Enter runs all', async () => {
    const api = await start();
    const cases = labCases();
    const rerun = screen.getByRole('button', { name: 'Re-run failed' });
    expect(rerun).toHaveProperty('disabled', true);
    // The shortcut with nothing to re-run says so instead of doing nothing silently.
    fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true, shiftKey: true });
    expect(screen.getByText('The run shown has no failed, errored or inconclusive case to run again.')).toBeTruthy();
    expect(api.startRun).not.toHaveBeenCalled();
    fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true });
    await vi.waitFor(() => expect(api.startRun).toHaveBeenCalledWith({ plan: labPlan() }));
    const verdicts: Verdict[] = ['pass', 'fail', 'error', 'inconclusive', 'needs-review', 'skipped'];
    const results = cases.map((testCase, index): [TestCase, Verdict] => [testCase, verdicts[index % verdicts.length]!]);
    act(() => api.emit('runProgress', [{ type: 'run-finished', runId: 'run-1', run: record(results) }]));
    const expected = results
      .filter(([, verdict]) => verdict === 'fail' || verdict === 'error' || verdict === 'inconclusive')
      .map(([testCase]) => testCase.id);
    const button = screen.getByRole('button', { name: `Re-run failed (${expected.length})` });
    expect(button).toHaveProperty('disabled', false);

    api.startRun.mockClear();
    await act(async () => fireEvent.click(button));
    expect(api.startRun).toHaveBeenCalledWith({ plan: labPlan(), caseIds: expected });
    act(() => api.emit('runProgress', [{ type: 'run-finished', runId: 'run-1', run: record(results) }]));

    api.startRun.mockClear();
    await act(async () => fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true, shiftKey: true }));
    expect(api.startRun).toHaveBeenCalledWith({ plan: labPlan(), caseIds: expected });
  });

  it('Ctrl+Enter runs the plan in the desktop app too, but not when a form already took the key', async () => {
    const api = await start('electron');
    const taken = new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, cancelable: true, bubbles: true });
    taken.preventDefault();
    window.dispatchEvent(taken);
    expect(api.startRun).not.toHaveBeenCalled();
    await act(async () => fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true }));
    expect(api.startRun).toHaveBeenCalledWith({ plan: labPlan() });
  });

  it('moves focus off a button the end of the run disabled, to the summary', async () => {
    const api = await start();
    runButton().focus();
    await act(async () => fireEvent.click(runButton()));
    expect(document.activeElement).toBe(summary());
    act(() => api.emit('runProgress', [{ type: 'run-started', runId: 'run-1', cases: labCases(), sources: [] }]));
    const cancel = screen.getByRole('button', { name: '■ Cancel' });
    cancel.focus();
    await act(async () => fireEvent.click(cancel));
    expect(document.activeElement).toBe(cancel);
    const run = { ...record([]), cancelled: true };
    act(() => api.emit('runProgress', [{ type: 'run-finished', runId: 'run-1', run }]));
    expect(cancel).toHaveProperty('disabled', true);
    expect(document.activeElement).toBe(summary());
  });
});

describe('the end of a long run', () => {
  class FakeNotification {
    static permission: NotificationPermission = 'default';
    static requestPermission = vi.fn(async () => {
      FakeNotification.permission = 'granted';
      return 'granted' as const;
    });
    static shown: { title: string; body?: string }[] = [];
    constructor(title: string, options?: NotificationOptions) {
      FakeNotification.shown.push({ title, ...(options?.body ? { body: options.body } : {}) });
    }
  }

  beforeEach(() => {
    FakeNotification.permission = 'default';
    FakeNotification.shown = [];
    FakeNotification.requestPermission.mockClear();
    vi.stubGlobal('Notification', FakeNotification);
  });

  async function runFor(api: ReturnType<typeof createFakeApi>, ms: number) {
    await act(async () => fireEvent.click(runButton()));
    clock += ms;
    const cases = labCases();
    act(() =>
      api.emit('runProgress', [
        { type: 'run-finished', runId: 'run-1', run: record(cases.map((testCase) => [testCase, 'pass'])) },
      ]),
    );
  }

  it('asks permission only from the checkbox, then notifies when the window is hidden', async () => {
    const api = await start();
    expect(FakeNotification.requestPermission).not.toHaveBeenCalled();
    const checkbox = screen.getByRole('checkbox', { name: 'Notify me when a long run ends' });
    await act(async () => fireEvent.click(checkbox));
    expect(FakeNotification.requestPermission).toHaveBeenCalledTimes(1);
    expect(checkbox).toHaveProperty('checked', true);
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });

    await runFor(api, 12_000);
    expect(FakeNotification.shown).toEqual([
      {
        title: 'Relay Tester: Relay Tester lab demo',
        body: expect.stringMatching(/cases decided: no open relay found$/),
      },
    ]);
    expect(document.title).toBe('Run finished · Relay Tester');
    // The in-app notice says it too, as for every run.
    expect(screen.getByText(/^Run finished: .* It is saved in the history\.$/)).toBeTruthy();
    fireEvent.keyDown(window, { key: 'a' });
    expect(document.title).toBe('Relay Tester');
  });

  it('a short run, no opt-in, or a visible window shows no system notification', async () => {
    const api = await start();
    const visibility = (state: DocumentVisibilityState) =>
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
    visibility('hidden');
    await runFor(api, 2_000);
    expect(document.title).toBe('Relay Tester');
    await runFor(api, 12_000);
    expect(document.title).toBe('Run finished · Relay Tester');
    fireEvent.pointerDown(window);
    expect(document.title).toBe('Relay Tester');
    await act(async () => fireEvent.click(screen.getByRole('checkbox', { name: 'Notify me when a long run ends' })));
    visibility('visible');
    await runFor(api, 12_000);
    expect(FakeNotification.shown).toEqual([]);
  });

  it('is not offered in the desktop app, whose window denies every permission', async () => {
    FakeNotification.permission = 'granted';
    await start('electron');
    expect(screen.queryByRole('checkbox', { name: 'Notify me when a long run ends' })).toBeNull();
  });

  it('says plainly when notifications are blocked, and leaves the box unticked', async () => {
    FakeNotification.permission = 'denied';
    await start();
    const checkbox = screen.getByRole('checkbox', { name: 'Notify me when a long run ends' });
    await act(async () => fireEvent.click(checkbox));
    expect(checkbox).toHaveProperty('checked', false);
    expect(screen.getByRole('alert').textContent).toContain('Notifications are blocked for this page');
  });
});

describe('comparing a partial run with a whole one', () => {
  it('says how many cases were not run instead of listing them as removed', () => {
    const [first, second, third] = labCases();
    const whole = {
      ...record([
        [first!, 'fail'],
        [second!, 'pass'],
        [third!, 'pass'],
      ]),
    };
    const partial = { ...record([[first!, 'pass']], { caseIds: [first!.id], of: 3 }) };
    render(<CompareView comparison={compareRuns(whole, partial)} beforeLabel="before" afterLabel="after" />);
    expect(screen.getByText('2 cases were not run in one of these runs (a partial run): not compared.')).toBeTruthy();
    expect(screen.queryByText(/removed/)).toBeNull();
  });
});

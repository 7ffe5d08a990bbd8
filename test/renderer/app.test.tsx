// @vitest-environment jsdom
// The window as a whole: menu actions do what the buttons do, unsaved changes are never dropped silently, Open
// lists the workspace's plans in the browser and uses the native dialog in the desktop app, a run can be
// cancelled, the history compares runs, and a lost connection is said plainly.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionMonitor, ConnectionState } from '../../renderer/api/socketApi.js';
import { App } from '../../renderer/app/App.js';
import type { RunRecord } from '../../shared/run.js';
import { createFakeApi, labPlan } from './fakeApi.js';
import { FakeTerminal } from './fakeTerminal.js';

vi.mock('../../renderer/transcript/XtermView.js', () => ({ XtermView: () => null }));

// These tests read the matrix as its list (one row per case); the grid is in matrix.test.tsx.
beforeEach(() => window.localStorage.setItem('relayTester.matrixView', 'list'));

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

async function start(options: Parameters<typeof createFakeApi>[0] = {}, connection?: ConnectionMonitor) {
  const api = createFakeApi(options);
  render(<App api={api} TerminalView={FakeTerminal} {...(connection ? { connection } : {})} />);
  await screen.findByRole('table', { name: 'Test matrix' }, { timeout: 5000 });
  return api;
}

/** Downloads the page offers (jsdom can neither make blob: URLs nor follow links): what was offered, and as what. */
function catchDownloads() {
  const created: Blob[] = [];
  const clicked: { download: string; href: string }[] = [];
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => (created.push(blob as Blob), 'blob:report'));
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicked.push({ download: this.download, href: this.href });
  });
  return { created, clicked };
}

function makeDirty() {
  const row = document.querySelector(
    'tr[data-case-id="smtp-relay-virtual-server/as-mallory/to-external"]',
  ) as HTMLElement;
  fireEvent.click(row);
  fireEvent.click(screen.getByRole('button', { name: 'Override expectation…' }));
  const dialog = within(screen.getByRole('dialog', { name: 'Override the expectation' }));
  fireEvent.click(dialog.getByRole('radio', { name: /^should relay/ }));
  fireEvent.click(dialog.getByRole('button', { name: 'Set expectation' }));
}

describe('the app', () => {
  it('opens the start plan from getAppInfo', async () => {
    const api = await start();
    expect(api.getAppInfo).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId('document-name').textContent).toBe('Relay Tester lab demo');
    expect(screen.getByText('demo plan against the built-in lab (not saved)')).toBeTruthy();
  });

  it('runs the same actions from the menu as from the buttons', async () => {
    const api = await start();
    await act(async () => api.emit('menu', 'run'));
    expect(api.startRun).toHaveBeenCalledTimes(1);
    act(() => api.emit('runProgress', [{ type: 'run-started', runId: 'run-1', cases: [], sources: [] }]));
    await act(async () => api.emit('menu', 'cancel'));
    expect(api.cancelRun).toHaveBeenCalledWith({ runId: 'run-1' });
    await act(async () => api.emit('menu', 'save-as'));
    expect(screen.getByRole('dialog', { name: 'Save the plan as' })).toBeTruthy();
  });

  it('asks before New discards unsaved changes, and keeps them when told no', async () => {
    const api = await start();
    makeDirty();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);
    fireEvent.click(screen.getByRole('button', { name: 'New' }));
    expect(confirm).toHaveBeenCalledWith(
      expect.stringMatching(/^Discard the unsaved changes to "Relay Tester lab demo"/),
    );
    expect(api.newPlan).not.toHaveBeenCalled();
    confirm.mockReturnValue(true);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'New' })));
    expect(api.newPlan).toHaveBeenCalledTimes(1);
  });

  it('counts an edit that is undone again as no change', async () => {
    await start();
    makeDirty();
    expect(screen.getByTestId('document-name').textContent).toContain('●');
    fireEvent.click(screen.getByRole('button', { name: /^Reset to the policy’s expectation/ }));
    expect(screen.getByTestId('document-name').textContent).not.toContain('●');
  });

  it('warns before the page is left with unsaved changes', async () => {
    await start();
    const before = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(before);
    expect(before.defaultPrevented).toBe(false);
    makeDirty();
    const after = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(after);
    expect(after.defaultPrevented).toBe(true);
  });

  it('lists the workspace plans for Open in the browser', async () => {
    const api = await start();
    api.listPlans.mockResolvedValue([{ path: '/tmp/workspace/lab.json', name: 'Lab policy' }]);
    api.openPlan.mockResolvedValue({ path: '/tmp/workspace/lab.json', plan: { ...labPlan(), name: 'Lab policy' } });
    fireEvent.click(screen.getByRole('button', { name: 'Open…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Open a plan' });
    const choice = await within(dialog).findByRole('button', { name: /Lab policy/ });
    await act(async () => fireEvent.click(choice));
    expect(api.openPlan).toHaveBeenCalledWith({ path: '/tmp/workspace/lab.json' });
    expect(screen.getByTestId('document-name').textContent).toBe('Lab policy');
  });

  it('does not show the finished run of one plan on another plan', async () => {
    const api = await start();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: '▶ Run' })));
    const run = {
      id: 'run-1',
      cancelled: false,
      cases: [],
      summary: { pass: 0, fail: 0, inconclusive: 0, error: 0, skipped: 0 },
    } as unknown as RunRecord;
    act(() => api.emit('runProgress', [{ type: 'run-finished', runId: 'run-1', run }]));
    expect(screen.getByTestId('run-headline')).toBeTruthy();
    api.newPlan.mockResolvedValue({ plan: { ...labPlan(), name: 'Another plan' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'New' })));
    expect(screen.getByTestId('document-name').textContent).toBe('Another plan');
    expect(screen.queryByTestId('run-headline')).toBeNull();
    expect(document.querySelectorAll('[data-status="none"]').length).toBe(
      document.querySelectorAll('tr[data-case-id]').length,
    );
  });

  it('uses the native dialog for Open and Save As in the desktop app', async () => {
    const api = await start({ face: 'electron' });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Open…' })));
    expect(api.openPlan).toHaveBeenCalledWith({});
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save As…' })));
    expect(api.savePlan).toHaveBeenCalledWith({ plan: labPlan() });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('shows the problems the core found when it refuses to save', async () => {
    const api = await start();
    api.savePlan.mockResolvedValue({ saved: false, problems: [{ path: '$.name', message: 'too long' }] });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await act(async () => fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Save' })));
    expect(screen.getByRole('alert').textContent).toContain('Not saved: the plan has 1 problem(s)');
  });

  it('cancels a run and says it was cancelled', async () => {
    const api = await start();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: '▶ Run' })));
    act(() => api.emit('runProgress', [{ type: 'run-started', runId: 'run-1', cases: [], sources: [] }]));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: '■ Cancel' })));
    expect(api.cancelRun).toHaveBeenCalledWith({ runId: 'run-1' });
    const run = {
      id: 'run-1',
      cancelled: true,
      cases: [],
      summary: { pass: 0, fail: 0, inconclusive: 0, error: 0, skipped: 0 },
    } as unknown as RunRecord;
    act(() => api.emit('runProgress', [{ type: 'run-finished', runId: 'run-1', run }]));
    expect(screen.getByTestId('run-headline').textContent).toMatch(/^Cancelled: /);
  });

  it('exports a report of the finished run from the file it was saved to, from the button and the menu', async () => {
    const api = await start({ face: 'electron' });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: '▶ Run' })));
    const exportButton = screen.getByRole('button', { name: 'Export report' });
    expect(exportButton).toHaveProperty('disabled', true);
    const run = {
      id: 'run-1',
      planName: 'Relay Tester lab demo',
      startedAt: '2025-03-01T09:00:00.000Z',
      cancelled: false,
      cases: [],
      summary: { pass: 0, fail: 0, inconclusive: 0, error: 0, skipped: 0 },
    } as unknown as RunRecord;
    await act(async () =>
      api.emit('runProgress', [{ type: 'run-finished', runId: 'run-1', run, file: '/tmp/workspace/runs/this.json' }]),
    );
    await vi.waitFor(() => expect(exportButton).toHaveProperty('disabled', false));
    fireEvent.change(screen.getByRole('combobox', { name: 'Report format' }), { target: { value: 'pdf' } });
    await act(async () => fireEvent.click(exportButton));
    expect(api.exportReport).toHaveBeenCalledWith({ runFile: '/tmp/workspace/runs/this.json', format: 'pdf' });
    expect(screen.getByText('Report written to /tmp/workspace/reports/report.pdf.')).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Show in folder' })));
    expect(api.revealFile).toHaveBeenCalledWith({ path: '/tmp/workspace/reports/report.pdf' });
    await act(async () => api.emit('menu', 'export'));
    expect(api.exportReport).toHaveBeenCalledTimes(2);
    expect(api.downloadReport).not.toHaveBeenCalled();
  });

  it('offers the report as a download in the browser, written nowhere on the server', async () => {
    const api = await start();
    const { created, clicked } = catchDownloads();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: '▶ Run' })));
    const run = { id: 'run-1', planName: 'p', startedAt: '2025-03-01T09:00:00.000Z', cancelled: false, cases: [] };
    await act(async () =>
      api.emit('runProgress', [
        {
          type: 'run-finished',
          runId: 'run-1',
          run: run as unknown as RunRecord,
          file: '/tmp/workspace/runs/this.json',
        },
      ]),
    );
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Export report' })));
    expect(api.downloadReport).toHaveBeenCalledWith({ runFile: '/tmp/workspace/runs/this.json', format: 'html' });
    expect(api.exportReport).not.toHaveBeenCalled();
    expect(clicked).toEqual([{ download: 'report.html', href: 'blob:report' }]);
    expect(created[0]?.type).toBe('text/html');
    expect(created[0]?.size).toBe('<!doctype html><title>report</title>'.length);
    expect(screen.getByText('Report report.html offered as a download.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Show in folder' })).toBeNull();
  });

  it('compares two runs from the history, regressions first', async () => {
    const api = await start();
    api.listRuns.mockResolvedValue([
      {
        file: '/w/runs/2.json',
        planName: 'p',
        startedAt: '2025-02-02T10:00:00Z',
        cancelled: false,
        headline: '30 of 31 cases decided: 1 case relays that should not',
        tone: 'fail',
        durationMs: 4200,
        summary: { pass: 30, fail: 1, 'needs-review': 0, inconclusive: 0, error: 0, skipped: 0, cancelled: 0 },
      },
      {
        file: '/w/runs/1.json',
        planName: 'p',
        startedAt: '2025-02-01T10:00:00Z',
        cancelled: false,
        headline: '31 of 31 cases decided: no open relay found',
        tone: 'good',
        durationMs: 3900,
        summary: { pass: 31, fail: 0, 'needs-review': 0, inconclusive: 0, error: 0, skipped: 0, cancelled: 0 },
      },
    ]);
    api.compareRuns.mockResolvedValue({
      samePlan: true,
      unchanged: 29,
      changes: [
        {
          id: 'a',
          title: 'A case that broke',
          kind: 'regressed',
          before: { verdict: 'pass', expect: 'deny', reason: 'refused' },
          after: { verdict: 'fail', expect: 'deny', reason: 'OPEN RELAY' },
        },
        {
          id: 'b',
          title: 'A case that was fixed',
          kind: 'fixed',
          before: { verdict: 'fail', expect: 'deny', reason: 'x' },
          after: { verdict: 'pass', expect: 'deny', reason: 'y' },
        },
      ],
    });
    const { clicked } = catchDownloads();
    fireEvent.click(screen.getByRole('tab', { name: 'History' }));
    await screen.findByRole('table', { name: 'Runs of this plan' });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Compare the two runs' })));
    expect(api.compareRuns).toHaveBeenCalledWith({ before: '/w/runs/1.json', after: '/w/runs/2.json' });
    const rows = document.querySelectorAll('.compare-table tbody tr');
    expect(rows[0]?.textContent).toMatch(/^regressedthe server answered differentlyA case that broke/);
    expect(rows[1]?.textContent).toMatch(/^fixed/);
    expect(screen.getByTestId('compare-summary').textContent).toBe(
      '2 cases changed: the server answered differently in 2 (1 regressed, 1 fixed); 29 unchanged.',
    );
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Export comparison report' })));
    expect(api.downloadReport).toHaveBeenCalledWith({
      runFile: '/w/runs/2.json',
      compareWith: '/w/runs/1.json',
      format: 'html',
    });
    expect(clicked).toHaveLength(1);
  });

  it('says so when the connection to the host is lost', async () => {
    let listener: ((state: ConnectionState) => void) | undefined;
    let state: ConnectionState = { state: 'open' };
    const connection: ConnectionMonitor = {
      current: () => state,
      onChange(next) {
        listener = next;
        return () => undefined;
      },
    };
    await start({}, connection);
    expect(screen.queryByText('Disconnected.')).toBeNull();
    state = { state: 'closed', reason: 'the connection to Relay Tester was closed' };
    act(() => listener?.(state));
    expect(screen.getByRole('alert').textContent).toContain('Disconnected. the connection to Relay Tester was closed');
  });
});

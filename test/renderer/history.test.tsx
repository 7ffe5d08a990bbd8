// @vitest-environment jsdom
// The history and compare views: each run's verdict, counts, duration and label; labelling and deleting a run
// (after a confirmation); a changed case's transcripts side by side; and a reopened plan showing its last run.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/app/App.js';
import { HistoryPanel } from '../../renderer/history/HistoryPanel.js';
import type { RunListing } from '../../shared/ipc.js';
import type { CaseResult, RunRecord } from '../../shared/run.js';
import type { TranscriptEvent } from '../../shared/session.js';
import { createFakeApi } from './fakeApi.js';
import { FakeTerminal } from './fakeTerminal.js';

vi.mock('../../renderer/transcript/XtermView.js', () => ({ XtermView: () => null }));

// These tests wait for the matrix as its list; the grid (the default view) is in matrix.test.tsx.
beforeEach(() => window.localStorage.setItem('relayTester.matrixView', 'list'));

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const CASE = 'smtp-relay-virtual-server/from-127.0.2.5/to-external';
const counts = { pass: 30, fail: 1, 'needs-review': 0, inconclusive: 0, error: 0, skipped: 0, cancelled: 0 };

function listing(file: string, startedAt: string, extra: Partial<RunListing> = {}): RunListing {
  return {
    file,
    planName: 'Relay Tester lab demo',
    startedAt,
    cancelled: false,
    headline: '31 of 31 cases decided: 1 case failed; no open relay found',
    tone: 'fail',
    durationMs: 12_400,
    summary: counts,
    ...extra,
  };
}

function transcript(reply: string): TranscriptEvent[] {
  return [
    { type: 'server', t: 1, text: '220 relay.corp.test ESMTP', tls: false },
    { type: 'client', t: 2, text: 'RCPT TO:<relay-test@external.example>', tls: false },
    { type: 'server', t: 3, text: reply, tls: false },
  ];
}

function record(id: string, startedAt: string, result: Partial<CaseResult>): RunRecord {
  return {
    id,
    planName: 'Relay Tester lab demo',
    startedAt,
    cancelled: false,
    sources: [],
    summary: counts,
    cases: [
      {
        case: {
          id: CASE,
          title: '127.0.2.5 → external',
          kind: 'source',
          server: 'SMTP Relay Virtual Server',
          expect: 'deny',
          because: '',
        },
        verdict: 'pass',
        reason: 'refused',
        transcript: [],
        ...result,
      },
    ],
  } as unknown as RunRecord;
}

describe('the history', () => {
  function renderPanel() {
    const api = createFakeApi();
    api.listRuns.mockResolvedValue([
      listing('/w/runs/2.json', '2026-02-02T10:00:00Z', { label: 'after the \\e[2J change' }),
      listing('/w/runs/1.json', '2026-02-01T10:00:00Z', {
        headline: '31 of 31 cases decided: no open relay found',
        tone: 'good',
        durationMs: 800,
        summary: { ...counts, pass: 29, fail: 0, skipped: 2 },
      }),
    ]);
    const onRunDeleted = vi.fn();
    render(
      <HistoryPanel
        api={api}
        planPath="/w/plan.json"
        refreshKey={0}
        onShowRun={() => undefined}
        onExportComparison={() => undefined}
        onError={(message) => {
          throw new Error(message);
        }}
        onRunDeleted={onRunDeleted}
      />,
    );
    return { api, onRunDeleted };
  }

  it('shows each run’s verdict in the run summary’s colour, its counts, duration and label', async () => {
    renderPanel();
    const table = await screen.findByRole('table', { name: 'Runs of this plan' });
    const [newest, oldest] = within(table).getAllByRole('row').slice(1);
    expect(newest?.textContent).toContain('after the \\e[2J change');
    expect(within(newest!).getByText(/1 case failed/).className).toBe('history-verdict summary-fail');
    expect(newest?.textContent).toContain('pass 30 · fail 1');
    expect(newest?.textContent).toContain('12.4 s');
    expect(within(oldest!).getByText(/no open relay found/).className).toBe('history-verdict summary-good');
    expect(oldest?.textContent).toContain('pass 29 · fail 0 · undecided 2 (skipped 2)');
    expect(oldest?.textContent).toContain('800 ms');
  });

  it('labels a run and reads the list again', async () => {
    const { api } = renderPanel();
    await screen.findByRole('table', { name: 'Runs of this plan' });
    fireEvent.click(screen.getAllByRole('button', { name: /^Label… the run of/ })[1]!);
    const input = screen.getByRole('textbox', { name: /^Label of the run of/ });
    fireEvent.change(input, { target: { value: 'before the firewall change' } });
    api.listRuns.mockClear();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save label' })));
    expect(api.labelRun).toHaveBeenCalledWith({
      file: '/w/runs/1.json',
      planPath: '/w/plan.json',
      label: 'before the firewall change',
    });
    expect(api.listRuns).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('textbox')).toBeNull();
  });

  it('deletes a run only after the confirmation, and says which run', async () => {
    const { api, onRunDeleted } = renderPanel();
    await screen.findByRole('table', { name: 'Runs of this plan' });
    fireEvent.click(screen.getAllByRole('button', { name: /^Delete… the run of/ })[1]!);
    const dialog = screen.getByRole('dialog', { name: 'Delete this run?' });
    expect(dialog.textContent).toContain('no open relay found');
    expect(document.activeElement?.textContent).toBe('Keep the run');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Keep the run' }));
    expect(api.deleteRun).not.toHaveBeenCalled();
    fireEvent.click(screen.getAllByRole('button', { name: /^Delete… the run of/ })[1]!);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Delete the run' })));
    expect(api.deleteRun).toHaveBeenCalledWith({ file: '/w/runs/1.json', planPath: '/w/plan.json' });
    expect(onRunDeleted).toHaveBeenCalledWith('/w/runs/1.json');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('puts a changed reply down to the server, and shows the case’s transcripts side by side, made visible', async () => {
    const { api } = renderPanel();
    await screen.findByRole('table', { name: 'Runs of this plan' });
    api.compareRuns.mockResolvedValue({
      samePlan: false,
      unchanged: 30,
      changes: [
        {
          id: CASE,
          title: '127.0.2.5 → external',
          kind: 'outcome-changed',
          before: { verdict: 'pass', outcome: 'recipient-rejected', code: 550, expect: 'deny', reason: 'refused' },
          after: { verdict: 'pass', outcome: 'recipient-rejected', code: 554, expect: 'deny', reason: 'refused' },
        },
      ],
    });
    api.loadRun.mockImplementation(async ({ file }) =>
      file === '/w/runs/1.json'
        ? record('1', '2026-02-01T10:00:00Z', { transcript: transcript('550 5.7.1 Unable to relay') })
        : record('2', '2026-02-02T10:00:00Z', { transcript: transcript('554 5.7.1 \u001b[31mrefused') }),
    );
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Compare the two runs' })));
    expect(screen.getByTestId('compare-summary').textContent).toBe(
      '1 case changed: the server answered differently in 1; 30 unchanged.',
    );
    await act(async () =>
      fireEvent.click(screen.getByRole('button', { name: 'Compare transcripts: 127.0.2.5 → external' })),
    );
    const diff = screen.getByRole('table', { name: 'Transcripts of 127.0.2.5 → external, before and after' });
    const changed = diff.querySelectorAll('tr[data-diff="changed"]');
    expect(changed).toHaveLength(1);
    expect(changed[0]?.textContent).toBe('≠ changed    S: 550 5.7.1 Unable to relay    S: 554 5.7.1 \\e[31mrefused');
    expect([...changed[0]!.querySelectorAll('mark')].map((mark) => mark.textContent)).toContain('550');
    expect(diff.querySelectorAll('tr[data-diff="same"]')).toHaveLength(2);
    expect(screen.getByTestId('diff-count').textContent).toBe('1 of 3 lines differ.');
  });
});

describe('a reopened plan', () => {
  it('shows its latest saved run as the last run, without starting anything', async () => {
    const api = createFakeApi();
    api.listRuns.mockResolvedValue([
      listing('/tmp/workspace/runs/other.json', '2026-02-03T10:00:00Z', { planName: 'Another plan' }),
      listing('/tmp/workspace/runs/demo.json', '2026-02-02T10:00:00Z'),
    ]);
    api.loadRun.mockResolvedValue(
      record('r', '2026-02-02T10:00:00Z', { verdict: 'fail', reason: 'expected relay', outcome: undefined }),
    );
    render(<App api={api} TerminalView={FakeTerminal} />);
    await screen.findByTestId('last-run-note');
    expect(api.loadRun).toHaveBeenCalledWith({ file: '/tmp/workspace/runs/demo.json' });
    expect(screen.getByTestId('last-run-note').textContent).toMatch(/^Last run, .+ \(saved; nothing is running\)\.$/);
    expect(screen.getByTestId('run-headline').textContent).toMatch(/decided/);
    // The plan's matrix follows in a deferred render.
    await vi.waitFor(() => {
      const row = document.querySelector(`tr[data-case-id="${CASE}"]`);
      expect(row?.querySelector('[data-status]')?.getAttribute('data-status')).toBe('fail');
    });
    expect(api.startRun).not.toHaveBeenCalled();
  });
});

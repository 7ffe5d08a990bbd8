// @vitest-environment jsdom
// The transcript pane writes what the core sent: redacted AUTH lines as they are, hostile server bytes as the
// visible escapes the core made of them, one CRLF-ended line per event, live events appended as they arrive.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deriveMatrix } from '../../shared/matrix.js';
import { checkPlan, type Plan } from '../../shared/plan.js';
import type { CaseResult, RunProgress, RunRecord } from '../../shared/run.js';
import type { TranscriptEvent } from '../../shared/session.js';
import { makeVisible } from '../../shared/text.js';
import { formatEvent } from '../../shared/transcriptFormat.js';
import { App } from '../../renderer/app/App.js';
import {
  FULL_RESET,
  nextWrite,
  plainTranscript,
  terminalData,
  terminalLine,
} from '../../renderer/transcript/transcriptText.js';
import { terminalOptions } from '../../renderer/transcript/terminalOptions.js';
import { createFakeApi, labPlan } from './fakeApi.js';
import { FakeTerminal, SGR, written } from './fakeTerminal.js';

vi.mock('../../renderer/transcript/XtermView.js', () => ({ XtermView: () => null }));

// These tests read the matrix as its list (one row per case); the grid is in matrix.test.tsx.
beforeEach(() => window.localStorage.setItem('relayTester.matrixView', 'list'));

// What a hostile server might send: OSC 52 clipboard write and read, a title change, a javascript: link, clear
// screen, a cursor-position query, a C1 CSI and a right-to-left override.
const HOSTILE =
  '220 relay.corp.test \x1b]52;c;ZXZpbA==\x07 \x1b]52;c;?\x07 \x1b]0;owned\x07 \x1b]8;;javascript:alert(1)\x1b\\x\x1b]8;;\x1b\\ \x1b[2J\x1b[6n \x9b31m \u202Eevil';

function dialog(): TranscriptEvent[] {
  return [
    { type: 'connect', t: 0, local: '127.0.0.5', localPort: 40001, remote: '127.0.0.2', remotePort: 2526, tls: false },
    // The engine makes server text visible before it becomes an event (main/smtp/transcript.ts).
    { type: 'server', t: 1.5, text: makeVisible(HOSTILE), tls: false },
    { type: 'client', t: 2, text: 'EHLO tester.corp.test', tls: false },
    { type: 'client', t: 40.1, text: 'AUTH PLAIN <credentials for alice hidden>', tls: true },
    { type: 'server', t: 42.3, text: '235 2.7.0 Authentication successful', tls: true },
    { type: 'client', t: 43, text: 'AUTH LOGIN', tls: true },
    { type: 'server', t: 43.5, text: '334 VXNlcm5hbWU6', tls: true },
    { type: 'client', t: 44, text: '<password hidden>', tls: true },
    { type: 'close', t: 50, reason: 'QUIT' },
  ];
}

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(first: string, second: string): number {
  const luminance = (hex: string) => {
    const [red, green, blue] = [1, 3, 5].map((at) => {
      const value = parseInt(hex.slice(at, at + 2), 16) / 255;
      return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * red! + 0.7152 * green! + 0.0722 * blue!;
  };
  const [light, dark] = [luminance(first), luminance(second)].sort((a, b) => b - a);
  return (light! + 0.05) / (dark! + 0.05);
}

function visibleOnly(text: string): string {
  return text.replace(SGR, '');
}

describe('what the transcript pane writes', () => {
  it('writes one CRLF-ended line per event, with timestamps and the redacted AUTH lines as sent', () => {
    const events = dialog();
    const write = nextWrite(undefined, 'run-1/case', events);
    expect(write.reset).toBe(false);
    const lines = visibleOnly(write.data).split('\r\n');
    expect(lines).toHaveLength(events.length + 1);
    expect(lines[3]).toBe('    40.1 ms tls C: AUTH PLAIN <credentials for alice hidden>');
    expect(lines[7]).toBe('    44.0 ms tls C: <password hidden>');
  });

  it('shows hostile escape sequences as visible text and adds no control sequence but its own colours', () => {
    const data = nextWrite(undefined, 'k', dialog()).data;
    const plain = visibleOnly(data);
    expect(plain).not.toMatch(/[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u202e]/);
    expect(plain).toContain('S: 220 relay.corp.test \\e]52;c;ZXZpbA==\\x07 \\e]52;c;?\\x07 \\e]0;owned\\x07');
    expect(plain).toContain('\\e]8;;javascript:alert(1)\\e\\\\x');
    expect(plain).toContain('\\e[2J\\e[6n \\x9b31m \\u{202e}evil');
    // The only escape sequences written are formatEvent's SGR colours.
    expect(data.replace(SGR, '')).not.toContain('\x1b');
    // Client and server lines are in distinct colours.
    expect(terminalLine(dialog()[2]!)).toContain('\x1b[36mC: EHLO');
    expect(terminalLine(dialog()[4]!)).toContain('\x1b[32mS: 235');
  });

  it('appends live events, and starts over for another case', () => {
    const events = dialog();
    const first = nextWrite(undefined, 'a', events.slice(0, 3));
    const more = nextWrite(first.state, 'a', events.slice(0, 5));
    expect(more.reset).toBe(false);
    expect(visibleOnly(more.data).split('\r\n').filter(Boolean)).toHaveLength(2);
    const other = nextWrite(more.state, 'b', events.slice(0, 1));
    expect(other.reset).toBe(true);
    // The reset is written in order with the text, so text still queued for the previous case cannot follow it.
    expect(terminalData(other).startsWith(FULL_RESET)).toBe(true);
    expect(terminalData(more).startsWith(FULL_RESET)).toBe(false);
    expect(visibleOnly(other.data)).toContain('** connected 127.0.0.5:40001 -> 127.0.0.2:2526');
    expect(nextWrite(other.state, 'b', events.slice(0, 1)).data).toBe('');
  });

  it('copies plain text without colours', () => {
    const text = plainTranscript(dialog());
    expect(text).not.toContain('\x1b');
    expect(text).toContain('C: AUTH PLAIN <credentials for alice hidden>\n');
  });

  it('paints quiet text grey, not faint, in colours that keep 4.5:1 contrast in both themes', () => {
    const line = terminalLine(dialog()[0]!);
    // Faint (SGR 2) halves the foreground's contrast: 3.1:1 on the light background.
    expect(line).not.toContain('\x1b[2m');
    expect(line.startsWith('\x1b[90m     0.0 ms \x1b[0m')).toBe(true);
    // The command line keeps the terminal's own faint text.
    expect(formatEvent(dialog()[0]!, { colour: true, timestamps: true })).toContain('\x1b[2m');
    for (const dark of [false, true]) {
      const theme = terminalOptions({ dark, largeText: false }).theme!;
      // Every colour formatEvent uses (foreground, bold, SGR 31 to 36 and 90) against the background.
      for (const colour of [theme.foreground, theme.red, theme.green, theme.yellow, theme.blue, theme.magenta]) {
        expect(contrast(colour!, theme.background!), `${colour} on ${theme.background}`).toBeGreaterThanOrEqual(4.5);
      }
      expect(contrast(theme.cyan!, theme.background!)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(theme.brightBlack!, theme.background!)).toBeGreaterThanOrEqual(4.5);
    }
    expect(terminalOptions({ dark: false, largeText: false }).minimumContrastRatio).toBe(4.5);
  });

  it('configures an output-only terminal that never opens links', () => {
    const options = terminalOptions({ dark: true, largeText: true });
    expect(options.disableStdin).toBe(true);
    expect(options.fontSize).toBeGreaterThanOrEqual(18);
    expect(options.linkHandler?.allowNonHttpProtocols).toBe(false);
    expect(terminalOptions({ dark: false, largeText: false }).theme?.background).not.toBe(options.theme?.background);
  });
});

describe('the transcript pane during a run', () => {
  let clipboard: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    written.length = 0;
    clipboard = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: clipboard }, configurable: true });
  });
  afterEach(cleanup);

  it('follows the running case live and shows its verdict when it finishes', async () => {
    const api = createFakeApi();
    render(<App api={api} TerminalView={FakeTerminal} />);
    await screen.findByRole('table', { name: 'Test matrix' }, { timeout: 5000 });
    const caseId = 'smtp-relay-virtual-server/as-alice/to-external';
    const row = () => document.querySelector(`tr[data-case-id="${caseId}"]`) as HTMLElement;

    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: '▶ Run' }));
    });
    expect(api.startRun).toHaveBeenCalledWith({ plan: labPlan() });
    const cases = deriveMatrix((checkPlan(labPlan()) as { plan: Plan }).plan).cases;
    const events = dialog();
    const progress = (items: RunProgress[]) => act(() => api.emit('runProgress', items));

    progress([
      { type: 'run-started', runId: 'run-1', cases, sources: [] },
      { type: 'case-started', runId: 'run-1', caseId, local: '127.0.0.5' },
      ...events.slice(0, 4).map((event) => ({ type: 'case-event' as const, runId: 'run-1', caseId, event })),
    ]);
    // "Follow the running test" selected the case that started.
    expect(row().getAttribute('aria-selected')).toBe('true');
    expect(within(row()).getByText('running')).toBeTruthy();
    const terminal = screen.getByTestId('fake-terminal');
    expect(terminal.textContent).toContain('C: AUTH PLAIN <credentials for alice hidden>');
    expect(terminal.textContent).not.toContain('235 2.7.0');

    progress(events.slice(4).map((event) => ({ type: 'case-event' as const, runId: 'run-1', caseId, event })));
    expect(terminal.textContent).toContain('S: 235 2.7.0 Authentication successful');
    expect(terminal.textContent).toContain('** closed: QUIT');
    // Each event was written once: live events are appended, never rewritten.
    expect(written.join('').split('AUTH PLAIN').length - 1).toBe(1);

    const result: CaseResult = {
      case: cases.find((candidate) => candidate.id === caseId)!,
      verdict: 'pass',
      reason: 'the server accepted the relay recipient',
      local: '127.0.0.5',
      durationMs: 1234,
      transcript: events,
      outcome: { outcome: 'recipient-accepted', stage: 'rcpt', code: 250, text: '250 ok' },
    };
    progress([{ type: 'case-finished', runId: 'run-1', result, done: 1, total: cases.length }]);
    expect(within(row()).getByText('pass')).toBeTruthy();
    expect(within(row()).getByText('1.2 s')).toBeTruthy();
    expect(screen.getByTestId('run-headline').textContent).toContain(`Running: 1 of ${cases.length} done`);

    fireEvent.click(screen.getByRole('button', { name: 'Copy' }));
    expect(clipboard).toHaveBeenCalledTimes(1);
    const copied = clipboard.mock.calls[0]![0] as string;
    expect(copied).not.toContain('\x1b');
    expect(copied).toContain('C: AUTH PLAIN <credentials for alice hidden>');

    const record = {
      id: 'run-1',
      cancelled: false,
      startedAt: '2025-01-01T00:00:00Z',
      plan: labPlan(),
      summary: { pass: 1, fail: 0, inconclusive: 0, error: 0, skipped: cases.length - 1, cancelled: 0 },
      sources: [],
      cases: cases.map((testCase) =>
        testCase.id === caseId
          ? result
          : {
              case: testCase,
              verdict: 'skipped',
              skip: 'not-runnable-here',
              reason: 'not runnable here',
              transcript: [],
            },
      ),
    } as unknown as RunRecord;
    progress([{ type: 'run-finished', runId: 'run-1', run: record }]);
    // One case decided of many is no green: the headline says how little was decided.
    expect(screen.getByTestId('run-headline').textContent).toBe(
      `Incomplete: 1 of ${cases.length} cases decided (${cases.length - 1} not runnable from this machine): no open relay among those`,
    );
    expect(screen.getByRole('button', { name: '▶ Run' })).toHaveProperty('disabled', false);
  });

  it('stays on the chosen case when follow is off', async () => {
    const api = createFakeApi();
    render(<App api={api} TerminalView={FakeTerminal} />);
    await screen.findByRole('table', { name: 'Test matrix' }, { timeout: 5000 });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Follow the running test' }));
    const chosen = document.querySelector('tr[data-case-id="smtp-relay-virtual-server/banner"]') as HTMLElement;
    fireEvent.click(chosen);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: '▶ Run' }));
    });
    act(() =>
      api.emit('runProgress', [
        { type: 'run-started', runId: 'run-1', cases: [], sources: [] },
        { type: 'case-started', runId: 'run-1', caseId: 'smtp-relay-virtual-server/as-alice/to-external' },
      ]),
    );
    expect(chosen.getAttribute('aria-selected')).toBe('true');
  });

  it('ignores the progress of runs it did not start', async () => {
    const api = createFakeApi();
    render(<App api={api} TerminalView={FakeTerminal} />);
    await screen.findByRole('table', { name: 'Test matrix' }, { timeout: 5000 });
    act(() =>
      api.emit('runProgress', [
        { type: 'case-started', runId: 'someone-else', caseId: 'smtp-relay-virtual-server/banner' },
      ]),
    );
    expect(screen.queryByTestId('run-headline')).toBeNull();
    expect(screen.getAllByText('not run').length).toBeGreaterThan(0);
  });
});

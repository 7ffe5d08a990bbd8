// @vitest-environment jsdom
// The quick probe form in the renderer: prefilled from the plan, it sends one startProbe (a typed password with
// this probe only, then cleared), asks before a kept password goes to a new server as runs do, and shows the live
// dialog and its outcome in the CLI's words, even when the first events overtake the answer to startProbe.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/app/App.js';
import type { ProbeProgress } from '../../shared/probe.js';
import { createFakeApi } from './fakeApi.js';
import { FakeTerminal } from './fakeTerminal.js';

vi.mock('../../renderer/transcript/XtermView.js', () => ({ XtermView: () => null }));

// These tests wait for the matrix as its list; the grid (the default view) is in matrix.test.tsx.
beforeEach(() => window.localStorage.setItem('relayTester.matrixView', 'list'));

afterEach(cleanup);

async function openProbe() {
  const api = createFakeApi();
  render(<App api={api} TerminalView={FakeTerminal} />);
  await screen.findByRole('table', { name: 'Test matrix' });
  fireEvent.click(screen.getByRole('tab', { name: 'Quick probe' }));
  const panel = document.getElementById('panel-probe')!;
  return { api, panel: within(panel) };
}

const finished = (probeId: string): ProbeProgress => ({
  type: 'probe-finished',
  probeId,
  local: '127.0.0.5',
  outcome: { outcome: 'recipient-rejected', stage: 'rcpt', code: 550, enhancedCode: '5.7.1', text: 'Unable to relay' },
});

describe('the quick probe form', () => {
  it('starts from the plan and sends a typed password with this probe only', async () => {
    const { api, panel } = await openProbe();
    expect(panel.getByLabelText<HTMLInputElement>('Server host').value).toBe('127.0.0.2');
    expect(panel.getByLabelText<HTMLInputElement>('RCPT TO (one or more, separated by commas)').value).toBe(
      'relay-test@external.example',
    );
    fireEvent.change(panel.getByLabelText('Account (empty: no login)'), { target: { value: 'alice' } });
    fireEvent.change(panel.getByLabelText('AUTH mechanism'), { target: { value: 'login' } });
    const password = panel.getByLabelText<HTMLInputElement>('Password for this probe only (optional)');
    fireEvent.change(password, { target: { value: 'Typed-1' } });
    // The core's first events may arrive before its answer: they are kept for the probe that answer names.
    api.startProbe.mockImplementationOnce(async () => {
      api.emit('probeProgress', [
        { type: 'probe-event', probeId: 'probe-1', event: { type: 'client', t: 1, text: 'AUTH LOGIN', tls: true } },
      ]);
      return { probeId: 'probe-1' };
    });
    await act(async () => fireEvent.keyDown(panel.getByLabelText('MAIL FROM'), { key: 'Enter', ctrlKey: true }));
    expect(api.startProbe).toHaveBeenCalledWith({
      host: '127.0.0.2',
      port: 2526,
      tls: 'auto',
      certificate: { allowInvalid: true },
      source: '127.0.0.5',
      account: 'alice',
      mechanism: 'login',
      password: 'Typed-1',
      helo: 'relay-tester.invalid',
      from: 'helpdesk@corp.test',
      to: ['relay-test@external.example'],
    });
    expect(password.value).toBe('');
    await act(async () => api.emit('probeProgress', [finished('probe-1')]));
    expect(panel.getByTestId('fake-terminal').textContent).toContain('C: AUTH LOGIN');
    expect(panel.getByTestId('probe-outcome').textContent).toBe(
      '✗ Refused Outcome: recipient-rejected at rcpt 550 5.7.1: Unable to relay' + 'from 127.0.0.5',
    );
    expect(panel.getByTestId('probe-command-swaks').textContent).toContain('--auth LOGIN --auth-user alice');
    expect(panel.getByTestId('probe-command-swaks').textContent).not.toContain('Typed-1');
  });

  it('asks before a kept password goes to a new server, and probes again with the answer', async () => {
    const { api, panel } = await openProbe();
    fireEvent.change(panel.getByLabelText('Account (empty: no login)'), { target: { value: 'bob' } });
    api.startProbe.mockResolvedValueOnce({
      consentNeeded: { ticket: 'ticket-9', uses: [{ account: 'bob', server: '127.0.0.2:2526' }] },
    });
    await act(async () => fireEvent.click(panel.getByRole('button', { name: 'Probe' })));
    const dialog = await screen.findByRole('dialog', { name: 'Send passwords to new servers?' });
    expect(dialog.textContent).toContain('This probe would send a kept password');
    fireEvent.click(within(dialog).getByRole('radio', { name: 'Allow for this probe' }));
    await act(async () => fireEvent.submit(dialog.querySelector('form')!));
    expect(api.startProbe).toHaveBeenCalledTimes(2);
    expect(api.startProbe.mock.calls[1]![0]).toMatchObject({
      account: 'bob',
      consent: { ticket: 'ticket-9', decisions: [{ account: 'bob', server: '127.0.0.2:2526', decision: 'once' }] },
    });
  });

  it('says what to fix beside the field instead of probing', async () => {
    const { api, panel } = await openProbe();
    fireEvent.change(panel.getByLabelText('Server host'), { target: { value: 'bad host!' } });
    fireEvent.change(panel.getByLabelText('RCPT TO (one or more, separated by commas)'), { target: { value: '' } });
    await act(async () => fireEvent.click(panel.getByRole('button', { name: 'Probe' })));
    expect(api.startProbe).not.toHaveBeenCalled();
    expect(panel.getByText('A host name or address has no spaces or symbols.')).toBeTruthy();
    expect(panel.getByText('Enter at least one recipient.')).toBeTruthy();
  });
});

describe('what the form refuses', () => {
  it('refuses control characters, which would reach the wire or a pasted command line', async () => {
    const { api, panel } = await openProbe();
    fireEvent.change(panel.getByLabelText('Account (empty: no login)'), { target: { value: 'alice\u001b[2J' } });
    await act(async () => fireEvent.click(panel.getByRole('button', { name: 'Probe' })));
    expect(api.startProbe).not.toHaveBeenCalled();
    expect(panel.getByText('Remove the control characters (such as ESC or a line break).')).toBeTruthy();
    expect(panel.getByText('Fill in the form to see the commands.')).toBeTruthy();
  });
});

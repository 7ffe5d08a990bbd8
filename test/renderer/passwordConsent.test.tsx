// @vitest-environment jsdom
// The renderer's side of passwords bound to servers: the consent dialog lists each account and new server (made
// visible), denies by default and sends exactly the answers with the core's ticket; closing it runs nothing. The
// Passwords panel shows where a kept password may go and rebinds it without the password.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/app/App.js';
import { createFakeApi, labPlan } from './fakeApi.js';
import { FakeTerminal } from './fakeTerminal.js';

vi.mock('../../renderer/transcript/XtermView.js', () => ({ XtermView: () => null }));

// These tests read the matrix as its list (one row per case); the grid is in matrix.test.tsx.
beforeEach(() => window.localStorage.setItem('relayTester.matrixView', 'list'));

afterEach(cleanup);

const HOSTILE_ACCOUNT = 'alice\u001b]0;owned\u0007';

async function start() {
  const api = createFakeApi();
  render(<App api={api} TerminalView={FakeTerminal} />);
  await screen.findByRole('table', { name: 'Test matrix' }, { timeout: 5000 });
  return api;
}

function askFirst(api: ReturnType<typeof createFakeApi>) {
  api.startRun.mockResolvedValueOnce({
    consentNeeded: {
      ticket: 'ticket-1',
      uses: [
        { account: HOSTILE_ACCOUNT, server: '10.0.0.5:25' },
        { account: 'bob', server: '10.0.0.5:25' },
      ],
    },
  });
}

describe('asking before a kept password goes to a new server', () => {
  it('lists each account and server, denies by default and sends the answers with the ticket', async () => {
    const api = await start();
    askFirst(api);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: '▶ Run' })));
    const dialog = await screen.findByRole('dialog', { name: 'Send passwords to new servers?' });
    expect(dialog.textContent).not.toContain('\u001b');
    expect(dialog.textContent).toContain('alice\\e]0;owned\\x07');
    const bob = within(dialog).getByRole('group', { name: "bob's password to 10.0.0.5:25" });
    for (const group of within(dialog).getAllByRole('group'))
      expect(within(group).getByRole<HTMLInputElement>('radio', { name: 'Deny' }).checked).toBe(true);
    fireEvent.click(within(bob).getByRole('radio', { name: 'Allow always' }));
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Run' })));
    expect(api.startRun).toHaveBeenCalledTimes(2);
    expect(api.startRun.mock.calls[1]![0]).toEqual({
      plan: labPlan(),
      consent: {
        ticket: 'ticket-1',
        decisions: [
          { account: HOSTILE_ACCOUNT, server: '10.0.0.5:25', decision: 'deny' },
          { account: 'bob', server: '10.0.0.5:25', decision: 'always' },
        ],
      },
    });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('runs nothing when the question is closed', async () => {
    const api = await start();
    askFirst(api);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: '▶ Run' })));
    const dialog = await screen.findByRole('dialog', { name: 'Send passwords to new servers?' });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' })));
    expect(api.startRun).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: '▶ Run' }).disabled).toBe(false);
  });
});

describe('the Passwords panel', () => {
  it('shows where a kept password may go, and rebinds it without asking for the password again', async () => {
    const api = createFakeApi();
    api.passwordStatus.mockResolvedValue({
      known: ['alice'],
      bindings: [{ account: 'alice', servers: ['127.0.0.2:2526'] }],
      storage: { kind: 'memory', note: 'in memory' },
    });
    render(<App api={api} TerminalView={FakeTerminal} />);
    fireEvent.click(await screen.findByRole('tab', { name: /Plan/ }));
    expect((await screen.findByTestId('password-status-alice')).textContent).toBe(
      'password stored; sent only to 127.0.0.2:2526',
    );
    const bob = screen.getByRole('form', { name: 'Password of bob' });
    expect(within(bob).getByLabelText<HTMLInputElement>("Servers for bob's password").value).toBe('127.0.0.2:2526');

    const alice = screen.getByRole('form', { name: 'Password of alice' });
    const servers = within(alice).getByLabelText<HTMLInputElement>("Servers for alice's password");
    fireEvent.change(servers, { target: { value: '127.0.0.2:2526, Mail.Corp.Test:587' } });
    await act(async () => fireEvent.click(within(alice).getByRole('button', { name: 'Set' })));
    expect(api.bindPassword).toHaveBeenCalledWith({
      account: 'alice',
      servers: ['127.0.0.2:2526', 'mail.corp.test:587'],
    });
    expect(api.setPassword).not.toHaveBeenCalled();

    fireEvent.change(servers, { target: { value: 'mail.corp.test' } });
    await act(async () => fireEvent.click(within(alice).getByRole('button', { name: 'Set' })));
    expect(alice.textContent).toContain('"mail.corp.test" is not host:port');
    expect(api.bindPassword).toHaveBeenCalledTimes(1);
  });

  it("shows a plan's account name with its control characters visible", async () => {
    const api = createFakeApi({ plan: { ...labPlan(), accounts: [HOSTILE_ACCOUNT] } });
    render(<App api={api} TerminalView={FakeTerminal} />);
    fireEvent.click(await screen.findByRole('tab', { name: /Plan/ }));
    const row = await screen.findByRole('form', { name: 'Password of alice\\e]0;owned\\x07' });
    expect(row.textContent).not.toContain('\u001b');
    expect(row.textContent).toContain('alice\\e]0;owned\\x07');
  });
});

// @vitest-environment jsdom
// The Passwords panel tells the truth: an account shows "password stored" only when the core stores one for it,
// the lab's own password is named as such (and where it is used), Forget changes the label at once, and the
// vantage points' secrets are listed beside the accounts.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PasswordBinding } from '../../shared/ipc.js';
import { App } from '../../renderer/app/App.js';
import { passwordStatusText } from '../../renderer/editor/passwordStatus.js';
import { createFakeApi, labPlan, type FakeApi } from './fakeApi.js';
import { FakeTerminal } from './fakeTerminal.js';

vi.mock('../../renderer/transcript/XtermView.js', () => ({ XtermView: () => null }));

afterEach(cleanup);

const LAB_SERVERS = ['127.0.0.1:2525', '127.0.0.2:2526'];

/** A fake core that keeps bindings as the real one does: status reads what set and forget left. */
function keepingApi(plan: unknown = labPlan()): { api: FakeApi; stored: Map<string, PasswordBinding> } {
  const api = createFakeApi({ plan });
  const stored = new Map<string, PasswordBinding>();
  api.passwordStatus.mockImplementation(async ({ accounts }) => ({
    known: accounts.filter((account) => stored.has(account) || ['alice', 'bob', 'mallory'].includes(account)),
    bindings: accounts.flatMap((account) => (stored.has(account) ? [stored.get(account)!] : [])),
    lab: {
      accounts: accounts.filter((account) => ['alice', 'bob', 'mallory'].includes(account)),
      servers: LAB_SERVERS,
    },
    storage: { kind: 'memory', note: 'in memory' },
  }));
  api.setPassword.mockImplementation(async ({ account, servers }) => {
    stored.set(account, { account, servers: [...servers] });
    return { kind: 'memory', note: 'in memory' };
  });
  api.forgetPassword.mockImplementation(async ({ account }) => ({ forgotten: stored.delete(account) }));
  return { api, stored };
}

async function showPlan(api: FakeApi) {
  render(<App api={api} TerminalView={FakeTerminal} />);
  fireEvent.click(await screen.findByRole('tab', { name: /Plan/ }));
}

const status = (account: string) => screen.getByTestId(`password-status-${account}`).textContent;

describe('the Passwords panel', () => {
  it('after New, says no password is stored and that the lab’s own password is used on its server', async () => {
    const { api } = keepingApi();
    await showPlan(api);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: /New/ })));
    await vi.waitFor(() => expect(status('alice')).toContain('lab’s own password'));
    for (const account of ['alice', 'bob', 'mallory']) {
      expect(status(account)).toBe(
        'no password stored; on the lab’s server 127.0.0.2:2526 the lab’s own password is used (set one here to use yours instead)',
      );
      expect(status(account)).not.toMatch(/^password (set|stored)/);
    }
  });

  it('shows a typed password as stored, and Forget turns the label back at once', async () => {
    const { api } = keepingApi();
    await showPlan(api);
    const alice = await screen.findByRole('form', { name: 'Password of alice' });
    fireEvent.change(within(alice).getByLabelText('New password for alice'), { target: { value: 'typed-1' } });
    await act(async () => fireEvent.click(within(alice).getByRole('button', { name: 'Set' })));
    await vi.waitFor(() => expect(status('alice')).toBe('password stored; sent only to 127.0.0.2:2526'));
    expect(api.setPassword).toHaveBeenCalledWith({
      account: 'alice',
      password: 'typed-1',
      servers: ['127.0.0.2:2526'],
    });

    await act(async () => fireEvent.click(within(alice).getByRole('button', { name: 'Forget' })));
    await vi.waitFor(() => expect(status('alice')).toMatch(/^no password stored/));
    expect(document.querySelector('.notice')?.textContent).toContain('Password of alice forgotten.');
    expect(within(alice).getByRole<HTMLButtonElement>('button', { name: 'Forget' }).disabled).toBe(true);
  });

  it('lists a vantage point’s secret with where it is sent, and says when it would not be used', async () => {
    const plan = {
      ...labPlan(),
      vantagePoints: [{ name: 'branch', ssh: { host: '10.77.1.2', port: 22, user: 'relaytest' }, sources: [] }],
    };
    const { api, stored } = keepingApi(plan);
    stored.set('vantage:branch', { account: 'vantage:branch', servers: ['10.77.1.9:22'] });
    await showPlan(api);
    const row = await screen.findByRole('form', { name: 'Password of vantage point branch' });
    await vi.waitFor(() =>
      expect(status('vantage point branch')).toBe(
        'secret stored; sent only to 10.77.1.9:22; not allowed for 10.77.1.2:22, so it is not used',
      ),
    );
    expect(api.passwordStatus).toHaveBeenCalledWith({ accounts: ['alice', 'bob', 'mallory', 'vantage:branch'] });
    await act(async () => fireEvent.click(within(row).getByRole('button', { name: 'Forget' })));
    await vi.waitFor(() => expect(status('vantage point branch')).toBe('no secret stored'));
    expect(api.forgetPassword).toHaveBeenCalledWith({ account: 'vantage:branch' });
    expect(document.querySelector('.notice')?.textContent).toContain('The secret of vantage point branch forgotten.');
  });
});

describe('what a password row says', () => {
  it('names the lab’s servers a typed password does not cover', () => {
    expect(
      passwordStatusText({
        binding: { account: 'alice', servers: ['127.0.0.1:2525'] },
        lab: true,
        labServers: LAB_SERVERS,
        planServers: LAB_SERVERS,
      }),
    ).toBe(
      'password stored; sent only to 127.0.0.1:2525; on the lab’s server 127.0.0.2:2526 the lab’s own password is used',
    );
  });

  it('says when the lab’s password is of no use to this plan', () => {
    expect(
      passwordStatusText({ binding: undefined, lab: true, labServers: LAB_SERVERS, planServers: ['10.0.0.5:25'] }),
    ).toBe('no password stored (the lab’s password is only for the lab’s servers, which this plan does not use)');
    expect(passwordStatusText({ binding: undefined, lab: false, labServers: [], planServers: ['10.0.0.5:25'] })).toBe(
      'no password stored',
    );
  });
});

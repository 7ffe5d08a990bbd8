// @vitest-environment jsdom
// The plan editor: addresses and subnets are checked as they are typed, with the article's Table 1 advice; plan
// problems appear with their JSON path; passwords go to the core and never into the plan.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/app/App.js';
import { ENTRY_KINDS_HINT } from '../../renderer/editor/AddressListField.js';
import { createFakeApi } from './fakeApi.js';
import { FakeTerminal } from './fakeTerminal.js';

// xterm.js needs a real browser (canvas, layout); the e2e suite covers it. Tests pass FakeTerminal instead.
vi.mock('../../renderer/transcript/XtermView.js', () => ({ XtermView: () => null }));

afterEach(cleanup);

async function openEditor() {
  const api = createFakeApi();
  render(<App api={api} TerminalView={FakeTerminal} />);
  fireEvent.click(await screen.findByRole('tab', { name: /Plan/ }));
  return api;
}

function relayServer() {
  const legend = screen.getByText('SMTP Relay Virtual Server', { selector: 'legend' });
  return legend.closest('fieldset') as HTMLElement;
}

const PLAN_SERVERS = ['127.0.0.2:2526']; // the servers of the fake's plan: where a typed password may go by default

describe('the plan editor', () => {
  it('shows the error and the hint for an invalid subnet as it is typed, and clears the error when fixed', async () => {
    await openEditor();
    const server = within(relayServer());
    fireEvent.click(server.getByRole('button', { name: '+ Add relay host of SMTP Relay Virtual Server' }));
    const entry = server.getByRole('textbox', { name: 'relay host 3 of SMTP Relay Virtual Server' });
    expect(document.activeElement).toBe(entry);

    const note = () => document.getElementById(entry.getAttribute('aria-describedby') ?? '')?.textContent ?? '';

    fireEvent.change(entry, { target: { value: '10.1.0.0/33' } });
    expect(
      server.getByText('"10.1.0.0/33" is not a valid subnet: write it as address/prefix, e.g. 192.168.1.0/24'),
    ).toBeTruthy();
    expect(note()).toContain('is not a valid subnet');
    expect(note()).toContain(ENTRY_KINDS_HINT);
    expect(entry.getAttribute('aria-invalid')).toBe('true');
    // The summary names the field in the editor's words, and the tab shows how many problems there are.
    expect(screen.getByRole('button', { name: 'Relay list, entry 3 of SMTP Relay Virtual Server' })).toBeTruthy();
    expect(screen.getByRole('tab', { name: /Plan/ }).textContent).toContain('1');

    fireEvent.change(entry, { target: { value: '10.1.0.0/24' } });
    expect(server.queryByText(/is not a valid subnet/)).toBeNull();
    expect(entry.getAttribute('aria-invalid')).toBeNull();
    expect(note()).toBe(
      'group of computers (256 addresses): know who can get an address in this subnet, since every one of them may relay',
    );
    expect(screen.queryByRole('button', { name: 'Relay list, entry 3 of SMTP Relay Virtual Server' })).toBeNull();
    expect(screen.getByText('✔ The plan is valid.')).toBeTruthy();
  });

  it('gives each kind of entry its Table 1 advice', async () => {
    await openEditor();
    const server = within(relayServer());
    const single = server.getByRole<HTMLInputElement>('textbox', { name: 'relay host 1 of SMTP Relay Virtual Server' });
    const note = () => document.getElementById(single.getAttribute('aria-describedby') ?? '')?.textContent ?? '';
    expect(single.value).toBe('127.0.0.10');
    expect(note()).toMatch(/^single computer: give it a fixed address \(not one from DHCP\)/);
    fireEvent.change(single, { target: { value: 'printers.corp.test' } });
    expect(note()).toMatch(/^domain: the server matches it by reverse DNS \(PTR records\)/);
  });

  it('shows a plan problem in words beside its field, tied to the input, and the summary focuses the field', async () => {
    await openEditor();
    const port = screen.getByRole<HTMLInputElement>('textbox', { name: 'Port of SMTP Relay Virtual Server' });
    fireEvent.change(port, { target: { value: '70000' } });
    const described = () => document.getElementById(port.getAttribute('aria-describedby') ?? '');
    expect(port.getAttribute('aria-invalid')).toBe('true');
    expect(described()?.closest('.field')).toBe(port.closest('.field'));
    expect(described()?.textContent).toMatch(/65535/);
    expect(described()?.textContent).not.toContain('$.');

    fireEvent.click(screen.getByRole('button', { name: 'Port of SMTP Relay Virtual Server' }));
    expect(document.activeElement).toBe(port);

    fireEvent.change(port, { target: { value: '2526' } });
    expect(port.getAttribute('aria-invalid')).toBeNull();
    expect(port.getAttribute('aria-describedby')).toBeNull();
  });

  it('sends a password to the core, clears the input and never puts it in the plan', async () => {
    const api = await openEditor();
    const input = screen.getByLabelText<HTMLInputElement>('New password for alice');
    fireEvent.change(input, { target: { value: 'canary-Secret-42' } });
    fireEvent.click(
      within(screen.getByRole('form', { name: 'Password of alice' })).getByRole('button', { name: 'Set' }),
    );
    expect(api.setPassword).toHaveBeenCalledWith({
      account: 'alice',
      password: 'canary-Secret-42',
      servers: PLAN_SERVERS,
    });
    expect(input.value).toBe('');
    expect(screen.getByText('Passwords are kept in memory for this session only.')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    fireEvent.change(await screen.findByLabelText(/File name in/), { target: { value: 'mine.json' } });
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Save' }));
    expect(api.savePlan).toHaveBeenCalledTimes(1);
    const saved = JSON.stringify(api.savePlan.mock.calls[0]![0]);
    expect(saved).not.toContain('canary-Secret-42');
    expect(api.savePlan.mock.calls[0]![0]).toMatchObject({ path: 'mine.json' });
    for (const call of api.inspectPlan.mock.calls) expect(JSON.stringify(call)).not.toContain('canary-Secret-42');
  });
});

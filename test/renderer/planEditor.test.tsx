// @vitest-environment jsdom
// The plan editor: addresses and subnets are checked as they are typed, with the article's Table 1 advice; problems
// and warnings appear in plain words beside their fields; servers are edited in Exchange terms; New opens blank with
// a guided start; an account renamed is renamed everywhere; passwords go to the core and never into the plan.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/app/App.js';
import { ENTRY_KINDS_HINT } from '../../renderer/editor/AddressListField.js';
import { blankPlan } from '../../main/api/planService.js';
import { createFakeApi, labPlan, type FakeApi } from './fakeApi.js';
import { FakeTerminal } from './fakeTerminal.js';

// xterm.js needs a real browser (canvas, layout); the e2e suite covers it. Tests pass FakeTerminal instead.
vi.mock('../../renderer/transcript/XtermView.js', () => ({ XtermView: () => null }));

afterEach(cleanup);

async function openEditor(api: FakeApi = createFakeApi()) {
  render(<App api={api} TerminalView={FakeTerminal} />);
  fireEvent.click(await screen.findByRole('tab', { name: /Plan/ }));
  return api;
}

function relayServer() {
  const legend = screen.getByText('SMTP Relay Virtual Server', { selector: 'legend' });
  return legend.closest('fieldset') as HTMLElement;
}

/** The plan as the editor holds it, read through Save As (the only way it leaves the window). */
async function savedPlan(api: FakeApi): Promise<any> {
  fireEvent.click(screen.getByRole('button', { name: 'Save' }));
  fireEvent.change(await screen.findByLabelText(/File name in/), { target: { value: 'mine.json' } });
  await act(async () => fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Save' })));
  const calls = api.savePlan.mock.calls;
  return (calls[calls.length - 1]![0] as { plan: unknown }).plan;
}

const RELAY = 'SMTP Relay Virtual Server';

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

  it('edits relay restrictions, authenticated relay and connection control in Exchange terms', async () => {
    const api = await openEditor();
    const relay = within(screen.getByRole('group', { name: `Relay restrictions of ${RELAY}` }));
    expect(relay.getByRole<HTMLInputElement>('radio', { name: 'Only the list below' }).checked).toBe(true);
    fireEvent.click(relay.getByRole('radio', { name: 'All except the list below' }));
    expect(relay.getByRole('group', { name: `Computers that may not relay of ${RELAY}` })).toBeTruthy();

    const users = within(relay.getByRole('group', { name: `Users and groups with Relay permission of ${RELAY}` }));
    expect(users.getByText(/^Ticked accounts may relay/)).toBeTruthy();
    fireEvent.click(
      relay.getByRole('checkbox', {
        name: 'Allow all computers which successfully authenticate to relay, regardless of the list above',
      }),
    );
    expect(users.getByText(/^Every account that signs in may relay here/)).toBeTruthy();
    expect(users.getByRole<HTMLInputElement>('checkbox', { name: `mallory may relay through ${RELAY}` }).checked).toBe(
      false,
    );

    const connection = within(screen.getByRole('group', { name: `Connection control of ${RELAY}` }));
    expect(connection.getByRole<HTMLInputElement>('radio', { name: 'All except the list below' }).checked).toBe(true);
    fireEvent.click(connection.getByRole('radio', { name: 'Only the list below' }));
    expect(
      connection.getByRole<HTMLInputElement>('textbox', { name: `connection control entry 1 of ${RELAY}` }).value,
    ).toBe('127.0.9.0/24');

    const auth = within(screen.getByRole('group', { name: `Authentication of ${RELAY}` }));
    fireEvent.change(auth.getByRole('combobox', { name: `AUTH mechanism of ${RELAY}` }), {
      target: { value: 'login' },
    });
    const helo = auth.getByRole<HTMLInputElement>('textbox', { name: `EHLO name of ${RELAY}` });
    expect(helo.placeholder).toBe('relay-tester.invalid');
    fireEvent.change(helo, { target: { value: 'helpdesk-pc.corp.test' } });

    const saved = await savedPlan(api);
    expect(saved.servers[0]).toMatchObject({
      authMechanism: 'login',
      helo: 'helpdesk-pc.corp.test',
      relay: { mode: 'allExcept', anyAuthenticated: true, users: ['alice', 'bob'] },
      connect: { allow: ['127.0.9.0/24'] },
    });
    expect(saved.servers[0].connect.deny).toBeUndefined();
  });

  it('names every field of a server after it, so two servers never read alike', async () => {
    await openEditor();
    fireEvent.click(screen.getByRole('button', { name: '+ Add server' }));
    const names = screen.getAllByRole('textbox', { name: /^Name of / });
    expect(names.map((input) => input.getAttribute('aria-label'))).toEqual([`Name of ${RELAY}`, 'Name of Server 2']);
    fireEvent.change(names[1]!, { target: { value: 'Default SMTP Virtual Server' } });
    for (const field of ['Host', 'Port', 'EHLO name']) {
      expect(screen.queryByRole('textbox', { name: field })).toBeNull();
      expect(screen.getByRole('textbox', { name: `${field} of Default SMTP Virtual Server` })).toBeTruthy();
    }
    expect(screen.getByRole('combobox', { name: 'TLS of Default SMTP Virtual Server' })).toBeTruthy();
    expect(screen.getAllByRole('group', { name: /^Relay restrictions of / })).toHaveLength(2);
  });

  it('shows a warning beside its field and in the summary, and still lets the plan run', async () => {
    await openEditor();
    fireEvent.change(screen.getByRole('textbox', { name: 'External domain (the relay target)' }), {
      target: { value: 'corp.test' },
    });
    const external = screen.getByRole<HTMLInputElement>('textbox', { name: 'External domain (the relay target)' });
    expect(external.getAttribute('aria-invalid')).toBeNull();
    const note = document.getElementById(external.getAttribute('aria-describedby') ?? '');
    expect(note?.textContent).toMatch(/^Warning: /);
    expect(note?.querySelector('.field-warning')).toBeTruthy();
    const summary = screen.getByText(/setting to check \(the plan can still run\)/).closest('div') as HTMLElement;
    fireEvent.click(within(summary).getByRole('button', { name: 'External domain' }));
    expect(document.activeElement).toBe(external);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: '▶ Run' }).disabled).toBe(false);
  });

  it('renames an account everywhere, leaves no dangling entry, and says a kept password must be set again', async () => {
    const api = createFakeApi();
    api.passwordStatus.mockResolvedValue({
      known: ['alice'],
      bindings: [{ account: 'alice', servers: PLAN_SERVERS }],
      storage: { kind: 'memory', note: 'Passwords are kept in memory for this session only.' },
    });
    await openEditor(api);
    await screen.findByText(/^password stored; sent only to/);
    const account = screen.getByRole('textbox', { name: 'account 1' });
    fireEvent.change(account, { target: { value: 'alic' } });
    fireEvent.change(account, { target: { value: 'alicia' } });
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: `alicia may relay through ${RELAY}` }).checked).toBe(
      true,
    );
    expect(screen.queryByRole('button', { name: /^Remove alice/ })).toBeNull();
    expect(screen.getByText('✔ The plan is valid.')).toBeTruthy();
    expect(
      screen.getByText(/the password kept for alice stays under that name; set it again below for alicia\./),
    ).toBeTruthy();
    expect((await savedPlan(api)).servers[0].relay.users).toEqual(['alicia', 'bob']);
  });

  it('starts New blank with a guided start whose steps take the keyboard to their fields', async () => {
    const api = createFakeApi();
    api.newPlan.mockResolvedValue({ plan: blankPlan() });
    await openEditor(api);
    expect(screen.queryByRole('navigation', { name: 'Guided start' })).toBeNull();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'New' })));
    const guide = within(screen.getByRole('navigation', { name: 'Guided start' }));
    expect(guide.getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      expect.stringMatching(/^1\. Server \(\d+ to fix\)$/),
      '2. Policy (ready)',
      '3. Accounts (ready)',
      '4. Sources (ready)',
    ]);
    expect(screen.queryByRole('textbox', { name: 'account 1' })).toBeNull();
    expect(document.activeElement).toBe(guide.getByRole('button', { name: /^1\. Server/ }));

    fireEvent.click(guide.getByRole('button', { name: 'Next: Policy' }));
    expect(document.activeElement).toBe(
      within(screen.getByRole('group', { name: 'Relay restrictions of Server 1' })).getByRole('radio', {
        name: 'Only the list below',
      }),
    );
    fireEvent.click(guide.getByRole('button', { name: /^4\. Sources/ }));
    expect(guide.getByText(/^Step 4 of 4, Sources:/)).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: '+ Add source' }));
    fireEvent.click(guide.getByRole('button', { name: /^1\. Server/ }));
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Plan name' }));
    fireEvent.click(guide.getByRole('button', { name: 'Close the guide' }));
    expect(screen.queryByRole('navigation', { name: 'Guided start' })).toBeNull();
  });

  it('edits the run settings: timeout, concurrency, DATA and greylisting retry', async () => {
    const api = await openEditor();
    fireEvent.change(screen.getByRole('textbox', { name: 'Timeout of each stage, in seconds' }), {
      target: { value: '30' },
    });
    fireEvent.change(screen.getByRole('textbox', { name: 'Sessions at once per server' }), { target: { value: '2' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Send a test message (DATA) after an accepted RCPT' }));
    const concurrency = screen.getByRole('textbox', { name: 'Sessions at once per server' });
    fireEvent.change(concurrency, { target: { value: '64' } });
    expect(concurrency.getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(concurrency, { target: { value: '2' } });
    expect((await savedPlan(api)).settings).toEqual({ timeoutSeconds: 30, concurrency: 2, data: true });
  });

  it('describes a group box by the problem about it, e.g. connection control with both lists', async () => {
    const plan = labPlan();
    const server = (plan.servers as Record<string, unknown>[])[0]!;
    server.connect = { deny: ['127.0.9.0/24'], allow: ['127.0.0.5'] };
    await openEditor(createFakeApi({ plan }));
    const group = screen.getByRole('group', { name: `Connection control of ${RELAY}` });
    const description = document.getElementById(group.getAttribute('aria-describedby') ?? '');
    expect(group.contains(description)).toBe(true);
    expect(description?.textContent).toMatch(/not both/);
    fireEvent.click(screen.getByRole('button', { name: `Connection control of ${RELAY}` }));
    expect(document.activeElement).toBe(within(group).getAllByRole('radio')[0]);
  });

  it('shows the problems of a key the editor has no field for beside the server, not only in the summary', async () => {
    const plan = labPlan();
    (plan.servers as Record<string, unknown>[])[0]!.tricksAccount = 'mallory';
    await openEditor(createFakeApi({ plan }));
    const group = screen.getByRole('group', { name: `Further tests of ${RELAY}` });
    // The message is the core's (its wording may change); what matters is where it shows.
    const problems = () => [...group.querySelectorAll('.field-problem')].map((item) => item.textContent);
    expect(problems()).toHaveLength(1);
    expect(screen.getByRole('button', { name: `Tricks account of ${RELAY}` })).toBeTruthy();
    fireEvent.click(within(group).getByRole('checkbox', { name: /^Try address tricks/ }));
    expect(problems()).toEqual([]);
    expect(screen.getByText('✔ The plan is valid.')).toBeTruthy();
  });

  it('shows a long list by its first entries and a button saying how many are hidden; a problem link reveals it', async () => {
    const plan = labPlan();
    const hosts = Array.from(
      { length: 80 },
      (_, index) => `127.0.${Math.floor(index / 250) + 20}.${(index % 250) + 1}`,
    );
    hosts[69] = '10.1.0.0/33';
    (plan.servers as { relay: { hosts: string[] } }[])[0]!.relay.hosts = hosts;
    await openEditor(createFakeApi({ plan }));
    const server = within(relayServer());
    const entries = () => server.queryAllByRole('textbox', { name: /^relay host \d+ of SMTP Relay Virtual Server$/ });
    expect(entries()).toHaveLength(15);
    const showAll = server.getByRole('button', {
      name: 'Show all 80 entries (65 hidden) of SMTP Relay Virtual Server',
    });
    expect(showAll.textContent).toMatch(/^Show all 80 entries \(65 hidden\)/);

    // The problem of hidden entry 70 is in the summary; its link shows the whole list and focuses the entry.
    fireEvent.click(screen.getByRole('button', { name: 'Relay list, entry 70 of SMTP Relay Virtual Server' }));
    expect(entries()).toHaveLength(80);
    const entry = server.getByRole<HTMLInputElement>('textbox', { name: 'relay host 70 of SMTP Relay Virtual Server' });
    expect(entry.value).toBe('10.1.0.0/33');
    expect(document.activeElement).toBe(entry);
    expect(entry.getAttribute('aria-invalid')).toBe('true');
    expect(server.queryByRole('button', { name: /^Show all/ })).toBeNull();
  });

  it('shows the rest of a long list from its button, and a new entry is shown and focused', async () => {
    const plan = labPlan();
    plan.sources = Array.from({ length: 60 }, (_, index) => `127.0.3.${index + 1}`);
    await openEditor(createFakeApi({ plan }));
    const sources = () => screen.queryAllByRole('textbox', { name: /^source \d+$/ });
    expect(sources()).toHaveLength(15);
    fireEvent.click(screen.getByRole('button', { name: 'Show all 60 entries (45 hidden)' }));
    expect(sources()).toHaveLength(60);
    expect(screen.queryByRole('button', { name: /^Show all/ })).toBeNull();

    cleanup();
    await openEditor(createFakeApi({ plan }));
    expect(sources()).toHaveLength(15);
    fireEvent.click(screen.getByRole('button', { name: '+ Add source' }));
    expect(sources()).toHaveLength(61);
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'source 61' }));
  });
});

// @vitest-environment jsdom
// The matrix: a grid by group and server (the default) and a compact list; cases this machine cannot run are
// greyed out with the reason; an expectation is overridden only through the explicit dialog, which writes plan.cases;
// both views are keyboard navigable, and the chosen view is remembered.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/app/App.js';
import { bindingsFor, createFakeApi, labPlan } from './fakeApi.js';
import { FakeTerminal } from './fakeTerminal.js';

vi.mock('../../renderer/transcript/XtermView.js', () => ({ XtermView: () => null }));

beforeEach(() => window.localStorage.clear());
afterEach(cleanup);

const NO_ADDRESS =
  'no local address is in 127.0.9.0/24: add one (e.g. ip addr add 127.0.9.1/32 dev lo) or test from a machine there';
const MALLORY = 'smtp-relay-virtual-server/as-mallory/to-external';

function listRow(caseId: string): HTMLElement {
  const row = document.querySelector<HTMLElement>(`tr[data-case-id="${caseId}"]`);
  if (!row) throw new Error(`no row ${caseId}`);
  return row;
}

function gridCell(caseId: string): HTMLElement {
  const cell = document.querySelector<HTMLElement>(`td[data-case-id="${caseId}"]`);
  if (!cell) throw new Error(`no cell ${caseId}`);
  return cell;
}

async function renderApp(plan: unknown = labPlan(), waitForBindings = true, layout: 'grid' | 'list' = 'grid') {
  const sources = bindingsFor((plan as { sources: string[] }).sources, { '127.0.9.0/24': NO_ADDRESS });
  const api = createFakeApi({ plan, sources });
  render(<App api={api} TerminalView={FakeTerminal} />);
  await screen.findByRole(layout === 'grid' ? 'grid' : 'table', undefined, { timeout: 5000 });
  if (waitForBindings) await vi.waitFor(() => expect(api.inspectPlan).toHaveBeenCalled());
  return api;
}

async function showList() {
  fireEvent.click(screen.getByRole('button', { name: 'List' }));
  await screen.findByRole('table', { name: 'Test matrix' }, { timeout: 5000 });
  await screen.findAllByText(/local 127\.0\.1\.1/);
}

describe('the matrix grid', () => {
  it('groups the cases as the mission names them, a column per server and recipient kind', async () => {
    await renderApp();
    const grid = screen.getByRole('grid', { name: 'Test matrix by group' });
    const groups = within(grid)
      .getAllByRole('heading', { level: 3 })
      .map((heading) => heading.textContent);
    expect(groups).toEqual([
      'Approved users (2)',
      'Unapproved users (1)',
      'Authorised addresses (4)',
      'Unauthorised addresses (4)',
      'Refused at connect (2)',
      'Wrong password (1)',
      'Sending as someone else (2)',
      'Banner (1)',
    ]);
    expect(grid.textContent).toContain(
      'Sending as someone else (2) — reported unless the server must match sender and login',
    );
    expect(within(grid).getByRole('columnheader', { name: 'SMTP Relay Virtual Server' })).toBeTruthy();
    expect(
      within(grid)
        .getAllByRole('columnheader', { name: /recipient$/ })
        .map((header) => header.textContent),
    ).toEqual(['external recipient', 'local recipient']);
    // A cell is a labelled state (mark and word) with the expectation, never colour alone.
    expect(gridCell(MALLORY).textContent).toBe('○ not runexpected no relay');
  });

  it('greys out a case this machine cannot run and says why', async () => {
    await renderApp();
    const cell = gridCell('smtp-relay-virtual-server/from-127.0.9.0/24/to-external');
    await vi.waitFor(() => expect(cell.className).toContain('not-runnable'));
    expect(cell.textContent).toContain('not runnable here');
    expect(cell.getAttribute('title')).toContain(NO_ADDRESS);
  });

  it('moves between cells with the arrow keys (one tab stop), and opens the transcript with Enter or a click', async () => {
    await renderApp();
    const alice = gridCell('smtp-relay-virtual-server/as-alice/to-external');
    fireEvent.click(alice);
    expect(alice.getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('region', { name: 'Transcript' }).textContent).toContain('alice via SMTP Relay');
    expect(document.querySelectorAll('[role="grid"] [tabindex="0"]')).toHaveLength(1);
    expect(alice.tabIndex).toBe(0);
    fireEvent.keyDown(alice, { key: 'ArrowDown' });
    const bob = gridCell('smtp-relay-virtual-server/as-bob/to-external');
    expect(document.activeElement).toBe(bob);
    expect(bob.getAttribute('aria-selected')).toBe('true');
    // Right: the local column, where an account case has no cell; down, across the group heading, to mallory's row.
    fireEvent.keyDown(bob, { key: 'ArrowRight' });
    expect(document.activeElement?.textContent).toBe('—no case');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' });
    expect(document.activeElement).toBe(gridCell(MALLORY));
    expect(bob.getAttribute('aria-selected')).toBe('false');
    fireEvent.keyDown(gridCell(MALLORY), { key: 'Enter' });
    expect(screen.getByRole('region', { name: 'Transcript' }).textContent).toContain('mallory via SMTP Relay');
  });

  it('remembers the chosen view', async () => {
    await renderApp();
    await showList();
    expect(window.localStorage.getItem('relayTester.matrixView')).toBe('list');
    cleanup();
    await renderApp(labPlan(), false, 'list');
    expect(screen.queryByRole('grid')).toBeNull();
    expect(screen.getByRole('table', { name: 'Test matrix' })).toBeTruthy();
  });
});

describe('the matrix list', () => {
  it('shows one line per case: result, expectation, group, case, server, source, recipient', async () => {
    await renderApp();
    await showList();
    const cells = within(listRow(MALLORY))
      .getAllByRole('cell')
      .map((cell) => cell.textContent);
    expect(cells.slice(0, 7)).toEqual([
      '○ not run',
      'no relay',
      'Unapproved users',
      'mallory',
      'SMTP Relay Virtual Server',
      '127.0.0.5 local 127.0.0.5'.includes(cells[5]!) ? cells[5] : '127.0.0.5',
      'external',
    ]);
    expect(cells[5]).toContain('127.0.0.5');
    expect(within(listRow(MALLORY)).queryByRole('combobox')).toBeNull();
    const notRunnable = listRow('smtp-relay-virtual-server/from-127.0.9.0/24/to-external');
    expect(notRunnable.className).toContain('not-runnable');
    expect(notRunnable.textContent).toContain(`Not runnable from this machine: ${NO_ADDRESS}`);
  });

  it('says why account cases cannot run when the plan has no neutral source', async () => {
    const plan = labPlan();
    plan.sources = ['127.0.0.10'];
    await renderApp(plan, false);
    fireEvent.click(screen.getByRole('button', { name: 'List' }));
    await screen.findByRole('table', { name: 'Test matrix' }, { timeout: 5000 });
    expect(listRow('smtp-relay-virtual-server/as-alice/to-external').textContent).toContain(
      'the plan has no source that is neither relay-authorised nor denied on SMTP Relay Virtual Server',
    );
  });

  it('filters by result, server and group, searches, and sorts by a column', async () => {
    await renderApp();
    await showList();
    const filters = within(screen.getByRole('search', { name: 'Filter the cases' }));
    fireEvent.change(filters.getByLabelText('Group'), { target: { value: 'approved-users' } });
    const ids = () => [...document.querySelectorAll('tr[data-case-id]')].map((row) => row.getAttribute('data-case-id'));
    expect(ids()).toEqual([
      'smtp-relay-virtual-server/as-alice/to-external',
      'smtp-relay-virtual-server/as-bob/to-external',
    ]);
    fireEvent.change(filters.getByLabelText('Group'), { target: { value: 'all' } });
    fireEvent.change(filters.getByLabelText('Search'), { target: { value: 'mallory' } });
    expect(ids()).toEqual([MALLORY]);
    fireEvent.change(filters.getByLabelText('Server'), { target: { value: 'SMTP Relay Virtual Server' } });
    expect(ids()).toEqual([MALLORY]);
    expect(filters.getByRole('status').textContent).toBe('1 of 17 cases');
    fireEvent.change(filters.getByLabelText('Search'), { target: { value: '' } });
    fireEvent.change(filters.getByLabelText('Server'), { target: { value: 'all' } });
    fireEvent.change(filters.getByLabelText('Result'), { target: { value: 'problems' } });
    expect(ids()).toEqual([]);
    expect(screen.getByText('No case matches the filter.')).toBeTruthy();
    fireEvent.change(filters.getByLabelText('Result'), { target: { value: 'all' } });
    const header = screen.getByRole('columnheader', { name: /Group/ });
    fireEvent.click(within(header).getByRole('button'));
    expect(header.getAttribute('aria-sort')).toBe('ascending');
    expect(listRow(ids()[0]!).querySelector('.cell-group')!.textContent).toBe('Approved users');
    fireEvent.click(within(header).getByRole('button'));
    expect(header.getAttribute('aria-sort')).toBe('descending');
    expect(listRow(ids()[0]!).querySelector('.cell-group')!.textContent).toBe('Wrong password');
  });

  it('moves the selection with the arrow keys without changing the plan, and opens the transcript with Enter', async () => {
    await renderApp();
    await showList();
    const rows = [...document.querySelectorAll<HTMLElement>('tr[data-case-id]')];
    const first = rows[0]!;
    expect(first.tabIndex).toBe(0);
    expect(rows[1]!.tabIndex).toBe(-1);
    fireEvent.click(first);
    fireEvent.keyDown(first, { key: 'ArrowDown' });
    expect(rows[1]!.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(rows[1]);
    expect(screen.getByTestId('document-name').textContent).not.toContain('●');
    fireEvent.keyDown(rows[1]!, { key: 'End' });
    const last = [...document.querySelectorAll<HTMLElement>('tr[data-case-id]')].pop()!;
    expect(document.activeElement).toBe(last);
    fireEvent.keyDown(last, { key: 'Enter' });
    expect(screen.getByRole('region', { name: 'Transcript' }).textContent).toContain(last.getAttribute('title'));
  });
});

describe('overriding an expectation', () => {
  it('writes the override into plan.cases by case id through the dialog, and the reset takes it back', async () => {
    const api = await renderApp();
    fireEvent.click(gridCell(MALLORY));
    fireEvent.click(screen.getByRole('button', { name: 'Override expectation…' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Override the expectation' }));
    expect(dialog.getByRole<HTMLInputElement>('radio', { name: /^should not relay/ }).checked).toBe(true);
    fireEvent.click(dialog.getByRole('radio', { name: /^should relay/ }));
    fireEvent.click(dialog.getByRole('button', { name: 'Set expectation' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(gridCell(MALLORY).textContent).toContain('expected relay (override)');
    expect(screen.getByTestId('document-name').textContent).toContain('●');

    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Save' }));
    const saved = api.savePlan.mock.calls[0]![0] as { plan: { cases: unknown[] } };
    expect(saved.plan.cases).toEqual([{ id: MALLORY, expect: 'relay' }]);

    // The dialog knows what the policy alone says; the case bar's reset has a name that says what it does.
    fireEvent.click(screen.getByRole('button', { name: 'Override expectation…' }));
    expect(screen.getByRole('dialog').textContent).toContain('the policy alone says it should not relay');
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    fireEvent.click(
      screen.getByRole('button', {
        name: 'Reset to the policy’s expectation: mallory via SMTP Relay Virtual Server → external: should relay',
      }),
    );
    expect(gridCell(MALLORY).textContent).toContain('expected no relay');
    expect(gridCell(MALLORY).textContent).not.toContain('override');
  });
});

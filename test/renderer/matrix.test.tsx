// @vitest-environment jsdom
// The matrix: one row per derived case, greyed out with the reason when this machine cannot run it; editing an
// expectation writes an override into plan.cases; the rows are keyboard navigable.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/app/App.js';
import { bindingsFor, createFakeApi, labPlan } from './fakeApi.js';
import { FakeTerminal } from './fakeTerminal.js';

vi.mock('../../renderer/transcript/XtermView.js', () => ({ XtermView: () => null }));

afterEach(cleanup);

const NO_ADDRESS =
  'no local address is in 127.0.9.0/24: add one (e.g. ip addr add 127.0.9.1/32 dev lo) or test from a machine there';

function rowOf(title: RegExp): HTMLElement {
  const cell = screen.getByText(title, { selector: '.cell-title > div:first-child' });
  return cell.closest('tr') as HTMLElement;
}

async function renderMatrix(plan: unknown = labPlan(), waitForBindings = true) {
  const sources = bindingsFor((plan as { sources: string[] }).sources, { '127.0.9.0/24': NO_ADDRESS });
  const api = createFakeApi({ plan, sources });
  render(<App api={api} TerminalView={FakeTerminal} />);
  await screen.findByRole('table', { name: 'Test matrix' });
  // The bindings come from inspectPlan; wait until the local addresses show.
  if (waitForBindings) await screen.findAllByText('local 127.0.1.1');
  return api;
}

describe('the matrix', () => {
  it('greys out a case this machine cannot run and says why', async () => {
    await renderMatrix();
    const row = rowOf(/^127\.0\.9\.0\/24 via SMTP Relay Virtual Server → external/);
    expect(row.className).toContain('not-runnable');
    expect(within(row).getByText(`Not runnable from this machine: ${NO_ADDRESS}`)).toBeTruthy();
    // A runnable row is not greyed out and shows the local address that serves its source.
    const runnable = rowOf(/^127\.0\.1\.0\/24 via SMTP Relay Virtual Server → external/);
    expect(runnable.className).not.toContain('not-runnable');
    expect(within(runnable).getByText('local 127.0.1.1')).toBeTruthy();
  });

  it('greys out account cases when the plan has no neutral source, with the matrix reason', async () => {
    const plan = labPlan();
    plan.sources = ['127.0.0.10'];
    await renderMatrix(plan, false);
    const row = rowOf(/^alice via SMTP Relay Virtual Server → external/);
    expect(row.className).toContain('not-runnable');
    expect(row.textContent).toContain(
      'the plan has no source that is neither relay-authorised nor denied on SMTP Relay Virtual Server',
    );
  });

  it('shows each case with its server, source, account, recipient and expectation', async () => {
    await renderMatrix();
    const row = rowOf(/^mallory via SMTP Relay Virtual Server → external/);
    const cells = within(row)
      .getAllByRole('cell')
      .map((cell) => cell.textContent);
    expect(cells[2]).toBe('SMTP Relay Virtual Server');
    expect(cells[3]).toContain('127.0.0.5');
    expect(cells[4]).toBe('mallory');
    expect(cells[5]).toBe('external');
    expect(within(row).getAllByRole('cell')[5]!.getAttribute('title')).toBe('relay-test@external.example');
    expect(within(row).getByRole<HTMLSelectElement>('combobox').value).toBe('deny');
  });

  it('writes an edited expectation into plan.cases by case id, and can take it back', async () => {
    const api = await renderMatrix();
    const row = rowOf(/^mallory via SMTP Relay Virtual Server → external/);
    const select = within(row).getByRole<HTMLSelectElement>('combobox');
    fireEvent.change(select, { target: { value: 'relay' } });
    expect(select.value).toBe('relay');
    expect(within(row).getByRole('button', { name: /Use the derived expectation/ })).toBeTruthy();
    expect(screen.getByTestId('document-name').textContent).toContain('●');

    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Save' }));
    const saved = api.savePlan.mock.calls[0]![0] as { plan: { cases: unknown[] } };
    expect(saved.plan.cases).toEqual([{ id: 'smtp-relay-virtual-server/as-mallory/to-external', expect: 'relay' }]);

    fireEvent.click(within(rowOf(/^mallory via/)).getByRole('button', { name: /Use the derived expectation/ }));
    expect(within(rowOf(/^mallory via/)).getByRole<HTMLSelectElement>('combobox').value).toBe('deny');
  });

  it('moves the selection with the arrow keys and opens the transcript with Enter', async () => {
    await renderMatrix();
    const rows = screen.getAllByRole('row').slice(1);
    const first = rows[0]!;
    expect(first.tabIndex).toBe(0);
    expect(rows[1]!.tabIndex).toBe(-1);
    fireEvent.click(first);
    fireEvent.keyDown(first, { key: 'ArrowDown' });
    expect(rows[1]!.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(rows[1]);
    fireEvent.keyDown(rows[1]!, { key: 'End' });
    expect(document.activeElement).toBe(rows[rows.length - 1]);
    fireEvent.keyDown(rows[rows.length - 1]!, { key: 'Enter' });
    const title = rows[rows.length - 1]!.querySelector('.cell-title > div')!.textContent;
    expect(screen.getByRole('region', { name: 'Transcript' }).textContent).toContain(title);
  });
});

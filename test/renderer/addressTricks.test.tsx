// @vitest-environment jsdom
// Address tricks in the app: a checkbox per server in the plan editor, and the family as a group of its own in the
// matrix grid, explained in its heading, each trick a row with its cell under the server that tries it.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { App } from '../../renderer/app/App.js';
import { createFakeApi } from './fakeApi.js';
import { FakeTerminal } from './fakeTerminal.js';

vi.mock('../../renderer/transcript/XtermView.js', () => ({ XtermView: () => null }));

beforeEach(() => window.localStorage.clear());
afterEach(cleanup);

it('the editor checkbox adds the trick family to the matrix, as its own group', async () => {
  const api = createFakeApi();
  render(<App api={api} TerminalView={FakeTerminal} />);
  const matrix = await screen.findByRole('grid', { name: 'Test matrix by group' }, { timeout: 5000 });
  expect(within(matrix).queryByText(/^Address tricks/)).toBeNull();

  fireEvent.click(await screen.findByRole('tab', { name: /Plan/ }));
  const server = within(
    screen.getByText('SMTP Relay Virtual Server', { selector: 'legend' }).closest('fieldset') as HTMLElement,
  );
  const box = server.getByRole<HTMLInputElement>('checkbox', { name: /Try address tricks/ });
  expect(box.checked).toBe(false);
  fireEvent.click(box);
  expect(box.checked).toBe(true);

  fireEvent.click(screen.getByRole('tab', { name: /Matrix/ }));
  const grid = await screen.findByRole('grid', { name: 'Test matrix by group' });
  const heading = (await within(grid).findByRole('heading', { name: /^Address tricks/ })).closest('td')!;
  expect(heading.textContent).toContain('refused passes; accepted needs review or fails');
  const trickCells = [...grid.querySelectorAll('td[data-case-id]')].filter((cell) =>
    cell.getAttribute('data-case-id')!.includes('/trick/'),
  );
  expect(trickCells).toHaveLength(26);
  // The first trick row comes right after the heading, named for the trick, its cell under the relay server.
  const firstRow = heading.closest('tr')!.nextElementSibling!;
  expect(firstRow.querySelector('th')!.textContent).toBe('percent hack');
  expect(firstRow.contains(trickCells[0]!)).toBe(true);
  expect(trickCells[0]!.getAttribute('title')).toContain('RCPT TO:<relay-test%external.example@corp.test>');
});

// @vitest-environment jsdom
// Address tricks in the app: a checkbox per server in the plan editor, and the family as a block of its own in the
// matrix, under a heading row, the cases keyboard-navigable like any other.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, expect, it, vi } from 'vitest';
import { App } from '../../renderer/app/App.js';
import { createFakeApi } from './fakeApi.js';
import { FakeTerminal } from './fakeTerminal.js';

vi.mock('../../renderer/transcript/XtermView.js', () => ({ XtermView: () => null }));

afterEach(cleanup);

it('the editor checkbox adds the trick family to the matrix, as its own block', async () => {
  const api = createFakeApi();
  render(<App api={api} TerminalView={FakeTerminal} />);
  const matrix = await screen.findByRole('table', { name: 'Test matrix' });
  expect(matrix.querySelector('tr.block-heading')).toBeNull();

  fireEvent.click(await screen.findByRole('tab', { name: /Plan/ }));
  const server = within(
    screen.getByText('SMTP Relay Virtual Server', { selector: 'legend' }).closest('fieldset') as HTMLElement,
  );
  const box = server.getByRole<HTMLInputElement>('checkbox', { name: /Try address tricks/ });
  expect(box.checked).toBe(false);
  fireEvent.click(box);
  expect(box.checked).toBe(true);

  fireEvent.click(screen.getByRole('tab', { name: /Matrix/ }));
  const table = await screen.findByRole('table', { name: 'Test matrix' });
  const headings = table.querySelectorAll('tr.block-heading');
  expect(headings).toHaveLength(1);
  expect(headings[0]!.textContent).toContain('Address tricks via SMTP Relay Virtual Server');
  const trickRows = [...table.querySelectorAll('tr[data-case-id]')].filter((row) =>
    row.getAttribute('data-case-id')!.includes('/trick/'),
  );
  expect(trickRows).toHaveLength(26);
  // The heading comes right before the first trick row.
  expect(headings[0]!.nextElementSibling).toBe(trickRows[0]);
  expect(trickRows[0]!.textContent).toContain(
    'percent hack via SMTP Relay Virtual Server: RCPT TO:<relay-test%external.example@corp.test>',
  );
});

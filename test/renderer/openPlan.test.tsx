// @vitest-environment jsdom
// Open in the browser: the plans of the workspace and, for every other JSON file, why it cannot open (made
// visible); a file picked from anywhere or dropped onto the window is imported by the core and opened, with its
// problems when it has any.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/app/App.js';
import { createFakeApi, labPlan } from './fakeApi.js';
import { FakeTerminal } from './fakeTerminal.js';

vi.mock('../../renderer/transcript/XtermView.js', () => ({ XtermView: () => null }));

// These tests wait for the matrix as its list; the grid (the default view) is in matrix.test.tsx.
beforeEach(() => window.localStorage.setItem('relayTester.matrixView', 'list'));

afterEach(cleanup);

// jsdom's Blob has no text() (every browser the app runs in has): read it the older way.
if (!('text' in Blob.prototype)) {
  Object.defineProperty(Blob.prototype, 'text', { value: readText });
}
function readText(this: Blob): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error('unreadable'));
    reader.readAsText(this);
  });
}

async function start() {
  const api = createFakeApi();
  api.listPlans.mockResolvedValue([
    { path: '/tmp/workspace/good.json', name: 'Good plan', fileName: 'good.json', kind: 'plan' },
    {
      path: '/tmp/workspace/bad.json',
      name: 'bad.json',
      fileName: 'bad.json',
      kind: 'invalid-plan',
      reasons: ['$.servers[0].port: Too big', '$.sender: not an address', '$.name: empty'],
      problemCount: 5,
    },
    {
      path: '/tmp/workspace/evil.json',
      name: 'evil\u001b[2J.json',
      fileName: 'evil\u001b[2J.json',
      kind: 'not-json',
      reasons: ['not valid JSON: Unexpected token \u001b'],
      problemCount: 1,
    },
  ]);
  render(<App api={api} TerminalView={FakeTerminal} />);
  await screen.findByRole('table', { name: 'Test matrix' });
  return api;
}

async function openDialog() {
  fireEvent.click(screen.getByRole('button', { name: /Open/ }));
  return screen.findByRole('dialog', { name: 'Open a plan' });
}

const planFile = (name: string, plan: unknown = labPlan()) =>
  new File([JSON.stringify(plan)], name, { type: 'application/json' });

describe('the Open dialog', () => {
  it('lists the plans, and says why each other file cannot open', async () => {
    const api = await start();
    const dialog = await openDialog();
    await within(dialog).findByText('2 files cannot open as plans');
    expect(within(dialog).getByRole('button', { name: /^Good plan/ })).toBeTruthy();
    const text = dialog.textContent ?? '';
    expect(text).toContain('bad.json (a plan with problems)');
    expect(text).toContain('$.servers[0].port: Too big');
    expect(text).toContain('and 2 more problem(s)');
    expect(text).toContain('evil\\e[2J.json (not JSON)');
    expect(text).toContain('not valid JSON: Unexpected token \\e');
    expect(text).not.toContain('\u001b');
    // A plan with problems can be opened to fix them; a file that is not JSON cannot.
    expect(within(dialog).getAllByRole('button', { name: /to fix its problems$/ })).toHaveLength(1);
    await act(async () =>
      fireEvent.click(within(dialog).getByRole('button', { name: 'Open bad.json to fix its problems' })),
    );
    expect(api.openPlan).toHaveBeenCalledWith({ path: '/tmp/workspace/bad.json' });
  });

  it('imports a file picked from elsewhere and opens the copy', async () => {
    const api = await start();
    const dialog = await openDialog();
    const input = within(dialog).getByLabelText<HTMLInputElement>('Open a plan file from elsewhere');
    expect(input.accept).toBe('.json,application/json');
    await act(async () => fireEvent.change(input, { target: { files: [planFile('from-usb.json')] } }));
    await vi.waitFor(() =>
      expect(api.importPlan).toHaveBeenCalledWith({ fileName: 'from-usb.json', text: JSON.stringify(labPlan()) }),
    );
    await vi.waitFor(() =>
      expect(document.querySelector('.notice')?.textContent).toContain(
        'Copied from-usb.json to /tmp/workspace/from-usb.json and opened it.',
      ),
    );
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.querySelector('.document-path')?.textContent).toBe('/tmp/workspace/from-usb.json');
  });
});

describe('dropping a file onto the window', () => {
  it('imports it, and opens a copy with problems in the Plan tab with them', async () => {
    const api = await start();
    api.importPlan.mockResolvedValueOnce({
      path: '/tmp/workspace/dropped (2).json',
      plan: { ...labPlan(), sender: 'nobody' },
      problems: [{ path: '$.sender', message: 'not a mail address' }],
    });
    const file = planFile('dropped.json', { ...labPlan(), sender: 'nobody' });
    const dataTransfer = { types: ['Files'], files: [file] };
    act(() => void window.dispatchEvent(Object.assign(new Event('dragenter'), { dataTransfer })));
    expect(screen.getByText('Drop a plan file to copy it into the workspace and open it')).toBeTruthy();
    const drop = Object.assign(new Event('drop', { cancelable: true }), { dataTransfer });
    await act(async () => void window.dispatchEvent(drop));
    expect(drop.defaultPrevented).toBe(true);
    expect(screen.queryByText('Drop a plan file to copy it into the workspace and open it')).toBeNull();
    await vi.waitFor(() =>
      expect(api.importPlan).toHaveBeenCalledWith(expect.objectContaining({ fileName: 'dropped.json' })),
    );
    await vi.waitFor(() =>
      expect(document.querySelector('.notice')?.textContent).toContain(
        'Copied dropped.json to /tmp/workspace/dropped (2).json: it has 1 problem(s) to fix in the Plan tab.',
      ),
    );
    expect(screen.getByRole('tab', { name: /Plan/ }).getAttribute('aria-selected')).toBe('true');
  });

  it('refuses a file too large before reading it', async () => {
    const api = await start();
    const file = planFile('huge.json');
    Object.defineProperty(file, 'size', { value: 2_000_000 });
    const dataTransfer = { types: ['Files'], files: [file] };
    await act(
      async () => void window.dispatchEvent(Object.assign(new Event('drop', { cancelable: true }), { dataTransfer })),
    );
    expect(document.querySelector('.notice')?.textContent).toContain(
      'Could not open huge.json: it is 2000000 bytes; plans are limited to 1048576.',
    );
    expect(api.importPlan).not.toHaveBeenCalled();
  });
});

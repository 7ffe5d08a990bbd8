// @vitest-environment jsdom
// Focus after Run: Run and Cancel disable each other, so the keyboard focus moves between them instead of falling
// to the start of the page; a focus the user put elsewhere stays there.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/app/App.js';
import { createFakeApi } from './fakeApi.js';
import { FakeTerminal } from './fakeTerminal.js';

vi.mock('../../renderer/transcript/XtermView.js', () => ({ XtermView: () => null }));

// These tests wait for the matrix as its list; the grid (the default view) is in matrix.test.tsx.
beforeEach(() => window.localStorage.setItem('relayTester.matrixView', 'list'));

afterEach(cleanup);

async function start() {
  const api = createFakeApi();
  render(<App api={api} TerminalView={FakeTerminal} />);
  await screen.findByRole('table', { name: 'Test matrix' });
  return api;
}

function button(name: string): HTMLButtonElement {
  return screen.getByRole<HTMLButtonElement>('button', { name });
}

async function pressRun(): Promise<void> {
  await act(async () => {
    fireEvent.click(button('▶ Run'));
  });
}

describe('focus after Run', () => {
  it('moves from Run to Cancel while the run goes, and back to Run when it ends', async () => {
    const api = await start();
    button('▶ Run').focus();
    await pressRun();
    act(() => api.emit('runProgress', [{ type: 'run-started', runId: 'run-1', cases: [], sources: [] }]));
    expect(button('▶ Run').disabled).toBe(true);
    expect(document.activeElement).toBe(button('■ Cancel'));

    act(() => api.emit('runProgress', [{ type: 'run-failed', runId: 'run-1', message: 'the lab went away' }]));
    expect(button('■ Cancel').disabled).toBe(true);
    expect(document.activeElement).toBe(button('▶ Run'));
  });

  it('leaves the focus where the user put it', async () => {
    const api = await start();
    const search = screen.getByRole('searchbox', { name: 'Search the transcript' });
    search.focus();
    await pressRun();
    act(() => api.emit('runProgress', [{ type: 'run-started', runId: 'run-1', cases: [], sources: [] }]));
    expect(document.activeElement).toBe(search);
    act(() => api.emit('runProgress', [{ type: 'run-failed', runId: 'run-1', message: 'the lab went away' }]));
    expect(document.activeElement).toBe(search);
  });
});

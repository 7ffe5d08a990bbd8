// @vitest-environment jsdom
// The vantage point editor: a fetched host key is shown but enters the plan only on Confirm; a failed fetch says
// why; a secret goes to the password store as vantage:NAME bound to the vantage point's host:port, never into the
// plan; the sources a vantage point serves come from the core's bindings.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VantagePointsEditor, type VantagePointsEditorProps } from '../../renderer/editor/VantagePointsEditor.js';
import { removeAt, setAt, type PathKey } from '../../renderer/plan/planEdit.js';
import type { SourceBinding } from '../../shared/run.js';

afterEach(cleanup);

const KEY = 'SHA256:oypAOfiRZugH+iBTa3vASC9Rohi8NHuyKfmNcpOS37g';

function Harness(
  props: Omit<VantagePointsEditorProps, 'editing'> & { initial: unknown; onPlan: (plan: unknown) => void },
) {
  const [plan, setPlan] = useState<unknown>(props.initial);
  const change = (next: unknown) => {
    setPlan(next);
    props.onPlan(next);
  };
  const editing = {
    plan,
    problems: [],
    disabled: false,
    set: (path: readonly PathKey[], value: unknown) =>
      change(value === undefined ? removeAt(plan, path) : setAt(plan, path, value)),
    remove: (path: readonly PathKey[]) => change(removeAt(plan, path)),
  };
  return (
    <VantagePointsEditor
      editing={editing}
      sources={props.sources}
      fetchHostKey={props.fetchHostKey}
      onSetSecret={props.onSetSecret}
    />
  );
}

function setup(fetchHostKey: VantagePointsEditorProps['fetchHostKey'], sources: SourceBinding[] = []) {
  let latest: unknown;
  const onSetSecret = vi.fn(async () => undefined);
  const initial = {
    vantagePoints: [
      { name: 'branch', ssh: { host: '10.77.1.2', port: 22, user: 'relaytest' }, serves: ['10.77.1.0/24'] },
    ],
  };
  render(
    <Harness
      initial={initial}
      onPlan={(plan) => (latest = plan)}
      sources={sources}
      fetchHostKey={fetchHostKey}
      onSetSecret={onSetSecret}
    />,
  );
  return { plan: () => latest, onSetSecret };
}

describe('the vantage point editor', () => {
  it('shows a fetched host key and writes it into the plan only when the user confirms it', async () => {
    const fetchHostKey = vi.fn(async () => ({ sha256: KEY, type: 'ssh-ed25519' }));
    const { plan } = setup(fetchHostKey);
    fireEvent.click(screen.getByRole('button', { name: 'Fetch host key' }));
    const shown = await screen.findByRole('group', { name: 'Fetched host key' });
    expect(fetchHostKey).toHaveBeenCalledWith('10.77.1.2', 22);
    expect(shown.textContent).toContain(`10.77.1.2:22 shows the ssh-ed25519 host key ${KEY}`);
    expect(plan()).toBeUndefined(); // nothing written yet
    expect(screen.getByLabelText<HTMLInputElement>('Host key fingerprint').value).toBe('');

    fireEvent.click(within(shown).getByRole('button', { name: 'Confirm and trust this key' }));
    expect(plan()).toEqual({
      vantagePoints: [
        {
          name: 'branch',
          ssh: { host: '10.77.1.2', port: 22, user: 'relaytest', hostKeySha256: KEY },
          serves: ['10.77.1.0/24'],
        },
      ],
    });
    expect(screen.queryByRole('group', { name: 'Fetched host key' })).toBeNull();
  });

  it('discards a fetched key without touching the plan, and says why a fetch failed', async () => {
    const fetchHostKey = vi
      .fn()
      .mockResolvedValueOnce({ sha256: KEY, type: 'ssh-ed25519' })
      .mockRejectedValueOnce(new Error('could not read the host key of 10.77.1.2:22: connect ECONNREFUSED'));
    const { plan } = setup(fetchHostKey);
    fireEvent.click(screen.getByRole('button', { name: 'Fetch host key' }));
    fireEvent.click(
      within(await screen.findByRole('group', { name: 'Fetched host key' })).getByRole('button', { name: 'Discard' }),
    );
    expect(plan()).toBeUndefined();
    fireEvent.click(screen.getByRole('button', { name: 'Fetch host key' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'could not read the host key of 10.77.1.2:22: connect ECONNREFUSED',
    );
    expect(plan()).toBeUndefined();
  });

  it('keeps a passphrase in the password store as vantage:NAME, bound to its host:port, never in the plan', async () => {
    const { plan, onSetSecret } = setup(vi.fn());
    const input = screen.getByLabelText<HTMLInputElement>(/Key passphrase or password/);
    fireEvent.change(input, { target: { value: 'Vantage-Passphrase-1' } });
    fireEvent.submit(input.closest('form')!);
    expect(onSetSecret).toHaveBeenCalledWith('branch', 'Vantage-Passphrase-1', ['10.77.1.2:22']);
    expect(input.value).toBe('');
    await waitFor(() => expect(screen.getByText('kept as vantage:branch, sent only to 10.77.1.2:22')).toBeTruthy());
    expect(JSON.stringify(plan() ?? {})).not.toContain('Vantage-Passphrase-1');
  });

  it('shows which plan sources it serves, with the confirmed name of a domain source', () => {
    setup(vi.fn(), [
      { source: '10.77.1.0/24', vantage: 'branch', via: 'ssh relaytest@10.77.1.2:22' },
      {
        source: 'branch.corp.test',
        vantage: 'branch',
        via: 'ssh relaytest@10.77.1.2:22',
        reverseName: 'branch-gw.branch.corp.test',
        address: '10.77.1.2',
      },
      { source: '127.0.0.5', local: '127.0.0.5' },
    ]);
    expect(screen.getByTestId('vantage-served-0').textContent).toBe(
      'Serves the plan’s 10.77.1.0/24, branch.corp.test (as branch-gw.branch.corp.test).',
    );
  });
});

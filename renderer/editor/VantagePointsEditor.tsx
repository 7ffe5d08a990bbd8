// Vantage points: machines in other networks that cases run from, over SSH or a SOCKS5 proxy
// (docs/vantage-points.md). An SSH host key is never typed in blind: "Fetch host key" shows what the server
// presents, and only the user's "Confirm" writes it into the plan. A key passphrase or password goes straight to
// the password store as "vantage:NAME", bound to that host:port; it never enters the plan or React state.
import { useRef, useState, type FormEvent } from 'react';
import { serverAddress } from '../../shared/passwordBinding.js';
import type { SourceBinding } from '../../shared/run.js';
import { makeVisible } from '../../shared/text.js';
import { vantageSecretName } from '../../shared/vantage.js';
import { getAt, listAt, pathText, textAt } from '../plan/planEdit.js';
import { AddressListField } from './AddressListField.js';
import { fieldId, type PlanEditing } from './planEditing.js';
import { FieldProblems } from './ProblemList.js';
import { TextField } from './TextField.js';

export interface VantagePointsEditorProps {
  editing: PlanEditing;
  /** The plan's sources as the core bound them: which vantage point serves each. */
  sources: readonly SourceBinding[];
  fetchHostKey: (host: string, port: number) => Promise<{ sha256: string; type: string }>;
  onSetSecret: (name: string, secret: string, servers: string[]) => Promise<void>;
}

const NEW_POINT = { name: '', ssh: { host: '', port: 22, user: '' }, serves: [] };

type Fetched = { host: string; port: number; sha256: string; type: string } | { error: string };

function HostKeyCheck({
  editing,
  index,
  fetchHostKey,
}: {
  editing: PlanEditing;
  index: number;
  fetchHostKey: VantagePointsEditorProps['fetchHostKey'];
}) {
  const base = ['vantagePoints', index, 'ssh'] as const;
  const [fetched, setFetched] = useState<Fetched | undefined>();
  const [busy, setBusy] = useState(false);
  const host = textAt(editing.plan, [...base, 'host']).trim();
  const portValue = getAt(editing.plan, [...base, 'port']);
  const port = typeof portValue === 'number' ? portValue : 22;

  async function fetchKey() {
    setBusy(true);
    setFetched(undefined);
    try {
      setFetched({ host, port, ...(await fetchHostKey(host, port)) });
    } catch (error) {
      setFetched({ error: (error as Error).message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="host-key-check">
      <button type="button" disabled={editing.disabled || busy || host === ''} onClick={() => void fetchKey()}>
        {busy ? 'Fetching host key…' : 'Fetch host key'}
      </button>
      {fetched && 'error' in fetched ? (
        <p className="field-problem" role="alert">
          {makeVisible(fetched.error)}
        </p>
      ) : null}
      {fetched && 'sha256' in fetched ? (
        <div className="host-key-fetched" role="group" aria-label="Fetched host key">
          <p>
            {makeVisible(`${fetched.host}:${fetched.port}`)} shows the {makeVisible(fetched.type)} host key{' '}
            <code className="fingerprint">{makeVisible(fetched.sha256)}</code>. Compare it with the fingerprint the
            machine’s owner reads on it (<code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code>) before you trust
            it.
          </p>
          <button
            type="button"
            disabled={editing.disabled}
            onClick={() => {
              editing.set([...base, 'knownHosts'], undefined);
              editing.set([...base, 'hostKeySha256'], fetched.sha256);
              setFetched(undefined);
            }}
          >
            Confirm and trust this key
          </button>{' '}
          <button type="button" onClick={() => setFetched(undefined)}>
            Discard
          </button>
        </div>
      ) : null}
    </div>
  );
}

function SecretField({
  name,
  servers,
  onSetSecret,
}: {
  name: string;
  servers: string[];
  onSetSecret: VantagePointsEditorProps['onSetSecret'];
}) {
  const input = useRef<HTMLInputElement>(null);
  const [message, setMessage] = useState<string | undefined>();
  const id = fieldId(['vantagePoints', name], 'secret');
  function submit(event: FormEvent) {
    event.preventDefault();
    const secret = input.current?.value ?? '';
    if (input.current) input.current.value = '';
    if (secret === '' || name === '' || servers.length === 0) return;
    onSetSecret(name, secret, servers).then(
      () => setMessage(`kept as ${vantageSecretName(name)}, sent only to ${servers.join(', ')}`),
      (error: Error) => setMessage(`not kept: ${error.message}`),
    );
  }
  return (
    <form className="field vantage-secret" onSubmit={submit}>
      <label htmlFor={id}>Key passphrase or password (kept in the app’s password store, never in the plan)</label>
      <input id={id} ref={input} type="password" autoComplete="off" disabled={name === ''} />
      <button type="submit" disabled={name === ''}>
        Keep
      </button>
      {message ? <span className="field-hint">{makeVisible(message)}</span> : null}
    </form>
  );
}

function VantagePointEditor({ index, ...props }: VantagePointsEditorProps & { index: number }) {
  const { editing, sources } = props;
  const base = ['vantagePoints', index] as const;
  const name = textAt(editing.plan, [...base, 'name']);
  const kind = getAt(editing.plan, [...base, 'socks5']) !== undefined ? 'socks5' : 'ssh';
  const target = kind === 'ssh' ? ([...base, 'ssh'] as const) : ([...base, 'socks5'] as const);
  const host = textAt(editing.plan, [...target, 'host']).trim();
  const portValue = getAt(editing.plan, [...target, 'port']);
  const port = typeof portValue === 'number' ? portValue : kind === 'ssh' ? 22 : 1080;
  const served = sources.filter((binding) => binding.vantage !== undefined && binding.vantage === name);

  function setKind(next: 'ssh' | 'socks5') {
    if (next === kind) return;
    editing.set([...base, kind], undefined);
    editing.set([...base, next], next === 'ssh' ? { host, port: 22, user: '' } : { host, port: 1080 });
  }

  return (
    <fieldset className="vantage-point server" data-path={pathText(base)}>
      <legend>{name ? makeVisible(name) : `Vantage point ${index + 1}`}</legend>
      <div className="field-grid">
        <TextField editing={editing} path={[...base, 'name']} label="Name" placeholder="branch" />
      </div>
      <fieldset className="choice">
        <legend>Reached over</legend>
        {(
          [
            ['ssh', 'SSH (direct-tcpip, like ssh -W)'],
            ['socks5', 'a SOCKS5 proxy'],
          ] as const
        ).map(([value, text]) => (
          <label key={value} className="toggle">
            <input
              type="radio"
              name={fieldId(base, 'kind')}
              value={value}
              disabled={editing.disabled}
              checked={kind === value}
              onChange={() => setKind(value)}
            />
            {text}
          </label>
        ))}
      </fieldset>
      <div className="field-grid">
        <TextField
          editing={editing}
          path={[...target, 'host']}
          label={kind === 'ssh' ? 'SSH host' : 'SOCKS5 host'}
          placeholder="10.77.1.2"
        />
        <TextField
          editing={editing}
          path={[...target, 'port']}
          label="Port"
          numeric
          optional
          placeholder={kind === 'ssh' ? '22' : '1080'}
        />
        <TextField
          editing={editing}
          path={[...target, 'user']}
          label="User"
          optional={kind === 'socks5'}
          placeholder="relaytest"
        />
        {kind === 'ssh' ? (
          <>
            <TextField
              editing={editing}
              path={[...target, 'identityFile']}
              label="Key file (relative to the plan)"
              optional
              placeholder="keys/relaytest"
            />
            <TextField
              editing={editing}
              path={[...target, 'hostKeySha256']}
              label="Host key fingerprint"
              optional
              placeholder="SHA256:…"
            />
          </>
        ) : null}
      </div>
      {kind === 'ssh' ? <HostKeyCheck editing={editing} index={index} fetchHostKey={props.fetchHostKey} /> : null}
      <FieldProblems problems={editing.problems} path={pathText(target)} />
      <AddressListField
        editing={editing}
        path={[...base, 'serves']}
        label="Serves (the sources its connections come from)"
        itemLabel="served source"
      />
      <p className="vantage-served" data-testid={`vantage-served-${index}`}>
        {served.length === 0
          ? 'Serves none of the plan’s sources yet.'
          : `Serves the plan’s ${served
              .map((binding) =>
                makeVisible(binding.reverseName ? `${binding.source} (as ${binding.reverseName})` : binding.source),
              )
              .join(', ')}.`}
      </p>
      <SecretField name={name} servers={host ? [serverAddress(host, port)] : []} onSetSecret={props.onSetSecret} />
      <FieldProblems problems={editing.problems} path={pathText(base)} />
      <div className="server-actions">
        <button type="button" disabled={editing.disabled} onClick={() => editing.remove(base)}>
          Remove this vantage point
        </button>
      </div>
    </fieldset>
  );
}

export function VantagePointsEditor(props: VantagePointsEditorProps) {
  const { editing } = props;
  const points = listAt(editing.plan, ['vantagePoints']);
  return (
    <>
      {points.map((_, index) => (
        <VantagePointEditor key={index} index={index} {...props} />
      ))}
      <button
        type="button"
        className="add"
        disabled={editing.disabled}
        onClick={() => editing.set(['vantagePoints', points.length], structuredClone(NEW_POINT))}
      >
        + Add vantage point
      </button>
      <FieldProblems problems={editing.problems} path={pathText(['vantagePoints'])} />
    </>
  );
}

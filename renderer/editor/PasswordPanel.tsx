// Passwords of the plan's accounts, each bound to the servers (host:port) it may be sent to. A password goes from
// its input straight to setPassword and the input is cleared: it is never React state and never part of the
// plan. The servers default to those of the open plan and can be edited; the panel says where passwords are kept.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { PasswordBinding, PasswordStorage } from '../../shared/ipc.js';
import { parseServerList } from '../../shared/passwordBinding.js';
import { makeVisible } from '../../shared/text.js';

export interface PasswordPanelProps {
  accounts: readonly string[];
  /** Where each kept password may be sent (by account). */
  bindings: ReadonlyMap<string, PasswordBinding>;
  /** Accounts whose lab-only password the built-in lab supplies for its own servers. */
  labAccounts: ReadonlySet<string>;
  /** The open plan's servers: where a new password may be sent unless the user edits the list. */
  planServers: readonly string[];
  storage?: PasswordStorage;
  /** The demo plan: the core supplies the lab's passwords itself. */
  demo: boolean;
  onSet: (account: string, password: string, servers: string[]) => Promise<void>;
  onBind: (account: string, servers: string[]) => Promise<void>;
  onForget: (account: string) => Promise<void>;
}

type RowProps = {
  account: string;
  binding: PasswordBinding | undefined;
  lab: boolean;
  planServers: readonly string[];
  demo: boolean;
} & Pick<PasswordPanelProps, 'onSet' | 'onBind' | 'onForget'>;

function PasswordRow({ account, binding, lab, planServers, demo, onSet, onBind, onForget }: RowProps) {
  const input = useRef<HTMLInputElement>(null);
  const suggested = (binding && binding.servers.length > 0 ? binding.servers : planServers).join(', ');
  const [servers, setServers] = useState(suggested);
  const [problem, setProblem] = useState<string | undefined>();
  useEffect(() => {
    setServers(suggested);
    setProblem(undefined);
  }, [suggested]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const field = input.current;
    if (!field) return;
    const parsed = parseServerList(servers);
    if ('problem' in parsed) {
      setProblem(parsed.problem);
      return;
    }
    setProblem(undefined);
    if (field.value !== '') {
      const password = field.value;
      field.value = '';
      void onSet(account, password, parsed.servers);
    } else if (binding) void onBind(account, parsed.servers);
  }

  const known = binding !== undefined || lab;
  // The account name comes from the plan, possibly someone else's: shown with its control characters visible.
  const name = makeVisible(account);
  let status = 'no password';
  if (binding)
    status = `password set; sent only to ${binding.servers.join(', ') || 'no server yet (you are asked first)'}`;
  else if (lab)
    status = `password set (lab password supplied by Relay Tester, for the lab’s servers only)${demo ? '' : '; give one for other servers'}`;
  return (
    <form className="password-row" onSubmit={submit} aria-label={`Password of ${name}`}>
      <span className="password-account">{name}</span>
      <input
        ref={input}
        type="password"
        autoComplete="off"
        aria-label={`New password for ${name}`}
        placeholder={known ? 'replace password' : 'password'}
      />
      <label className="password-servers">
        may be sent to
        <input
          type="text"
          spellCheck={false}
          value={servers}
          aria-label={`Servers for ${name}'s password`}
          aria-invalid={problem !== undefined}
          onChange={(event) => setServers(event.target.value)}
        />
      </label>
      <button type="submit">Set</button>
      <button type="button" disabled={!binding} onClick={() => void onForget(account)}>
        Forget
      </button>
      <span className={`password-status ${known ? 'known' : 'missing'}`} data-testid={`password-status-${name}`}>
        {status}
      </span>
      {problem ? <span className="field-error">{problem}</span> : null}
    </form>
  );
}

export function PasswordPanel(props: PasswordPanelProps) {
  return (
    <fieldset className="passwords">
      <legend>Passwords</legend>
      <p className="field-hint">
        Passwords are never written into the plan. Each is sent only to the servers (host:port) you allow; before a plan
        sends one anywhere else, you are asked. {props.storage ? <strong>{props.storage.note}</strong> : null}
      </p>
      {props.accounts.length === 0 ? <p className="field-hint">No accounts in the plan.</p> : null}
      {props.accounts.map((account) => (
        <PasswordRow
          key={account}
          account={account}
          binding={props.bindings.get(account)}
          lab={props.labAccounts.has(account)}
          planServers={props.planServers}
          demo={props.demo}
          onSet={props.onSet}
          onBind={props.onBind}
          onForget={props.onForget}
        />
      ))}
    </fieldset>
  );
}

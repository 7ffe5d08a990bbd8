// Passwords of the plan's accounts. A password goes from its input straight to setPassword and the input is
// cleared: it is never React state and never part of the plan. The panel says where passwords are kept.
import { useRef, type FormEvent } from 'react';
import type { PasswordStorage } from '../../shared/ipc.js';

export interface PasswordPanelProps {
  accounts: readonly string[];
  known: ReadonlySet<string>;
  storage?: PasswordStorage;
  /** The demo plan: the core supplies the lab's passwords itself. */
  demo: boolean;
  onSet(account: string, password: string): Promise<void>;
  onForget(account: string): Promise<void>;
}

function PasswordRow({ account, known, demo, onSet, onForget }: { account: string; known: boolean; demo: boolean } & Pick<PasswordPanelProps, 'onSet' | 'onForget'>) {
  const input = useRef<HTMLInputElement>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const field = input.current;
    if (!field || field.value === '') return;
    const password = field.value;
    field.value = '';
    void onSet(account, password);
  }

  const status = known ? (demo ? 'password set (lab password supplied by Relay Tester)' : 'password set') : 'no password';
  return (
    <form className="password-row" onSubmit={submit} aria-label={`Password of ${account}`}>
      <span className="password-account">{account}</span>
      <input
        ref={input}
        type="password"
        autoComplete="off"
        aria-label={`New password for ${account}`}
        placeholder={known ? 'replace password' : 'password'}
      />
      <button type="submit">Set</button>
      <button type="button" disabled={!known} onClick={() => void onForget(account)}>
        Forget
      </button>
      <span className={`password-status ${known ? 'known' : 'missing'}`} data-testid={`password-status-${account}`}>
        {status}
      </span>
    </form>
  );
}

export function PasswordPanel(props: PasswordPanelProps) {
  return (
    <fieldset className="passwords">
      <legend>Passwords</legend>
      <p className="field-hint">
        Passwords are never written into the plan.{' '}
        {props.storage ? <strong>{props.storage.note}</strong> : null}
      </p>
      {props.accounts.length === 0 ? <p className="field-hint">No accounts in the plan.</p> : null}
      {props.accounts.map((account) => (
        <PasswordRow
          key={account}
          account={account}
          known={props.known.has(account)}
          demo={props.demo}
          onSet={props.onSet}
          onForget={props.onForget}
        />
      ))}
    </fieldset>
  );
}

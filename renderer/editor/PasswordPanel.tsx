// Passwords of the plan's accounts, each bound to the servers (host:port) it may be sent to. A password goes from
// its input straight to setPassword and the input is cleared: it is never React state and never part of the
// plan. The servers default to those of the open plan and can be edited; the panel says where passwords are kept.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { PasswordBinding, PasswordStorage } from '../../shared/ipc.js';
import { parseServerList } from '../../shared/passwordBinding.js';
import { makeVisible } from '../../shared/text.js';
import { passwordStatusText } from './passwordStatus.js';

/** A vantage point's secret (key passphrase, SSH or SOCKS5 password), kept like a password under `secretName`. */
export interface VantageSecretRow {
  /** The vantage point's name in the plan. */
  name: string;
  /** The store's name for its secret (vantageSecretName). */
  secretName: string;
  /** Its SSH server or SOCKS5 proxy (host:port), where the secret goes; absent while the plan has no valid one. */
  address?: string;
}

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
  /** The lab's servers (host:port), where its own passwords are used. */
  labServers?: readonly string[];
  /** The plan's vantage points whose secrets the store may hold. */
  vantageSecrets?: readonly VantageSecretRow[];
  onSet: (account: string, password: string, servers: string[]) => Promise<void>;
  onBind: (account: string, servers: string[]) => Promise<void>;
  onForget: (account: string) => Promise<void>;
}

type RowProps = {
  account: string;
  binding: PasswordBinding | undefined;
  /** What the row says it holds; the account name unless a vantage point's secret. */
  label?: string;
  /** Where a new password goes unless the user edits the list. */
  defaultServers: readonly string[];
  status: string;
} & Pick<PasswordPanelProps, 'onSet' | 'onBind' | 'onForget'>;

function PasswordRow({ account, binding, label, defaultServers, status, onSet, onBind, onForget }: RowProps) {
  const input = useRef<HTMLInputElement>(null);
  const suggested = (binding && binding.servers.length > 0 ? binding.servers : defaultServers).join(', ');
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

  const known = binding !== undefined;
  // The account name comes from the plan, possibly someone else's: shown with its control characters visible.
  const name = makeVisible(label ?? account);
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
          defaultServers={props.planServers}
          status={passwordStatusText({
            binding: props.bindings.get(account),
            lab: props.labAccounts.has(account),
            labServers: props.labServers ?? [],
            planServers: props.planServers,
          })}
          onSet={props.onSet}
          onBind={props.onBind}
          onForget={props.onForget}
        />
      ))}
      {props.vantageSecrets?.length ? (
        <>
          <p className="field-hint">
            Vantage point secrets (key passphrase, SSH or SOCKS5 password), each sent only to its vantage point:
          </p>
          {props.vantageSecrets.map((row) => (
            <PasswordRow
              key={row.secretName}
              account={row.secretName}
              label={`vantage point ${row.name}`}
              binding={props.bindings.get(row.secretName)}
              defaultServers={row.address ? [row.address] : []}
              status={passwordStatusText({
                binding: props.bindings.get(row.secretName),
                lab: false,
                labServers: [],
                planServers: [],
                secret: true,
                ...(row.address ? { usedAt: row.address } : {}),
              })}
              onSet={props.onSet}
              onBind={props.onBind}
              onForget={props.onForget}
            />
          ))}
        </>
      ) : null}
    </fieldset>
  );
}

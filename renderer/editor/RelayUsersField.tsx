// Exchange's "Users and groups with Relay permission" of one server: a checkbox per plan account, and any entry
// naming no account kept visible (with its problem) until removed. With "Allow all computers which successfully
// authenticate" on, the list no longer limits who may relay, and the field says so.
import { accountNames, getAt, listAt, pathText, type PathKey } from '../plan/planEdit.js';
import { fieldId, fieldState, type PlanEditing } from './planEditing.js';
import { FieldProblems } from './ProblemList.js';

export function RelayUsersField({
  editing,
  path,
  serverName,
}: {
  editing: PlanEditing;
  path: readonly PathKey[];
  /** Names the server in every accessible name, so two servers' checkboxes differ for screen readers. */
  serverName?: string;
}) {
  const users = listAt(editing.plan, path);
  const accounts = accountNames(editing.plan);
  const at = pathText(path);
  const of = serverName ? ` of ${serverName}` : '';
  const anyAuthenticated = getAt(editing.plan, [...path.slice(0, -1), 'anyAuthenticated']) === true;
  const unknown = users
    .map((user, index) => ({ user, index }))
    .filter(({ user }) => typeof user !== 'string' || !accounts.includes(user));

  function toggle(account: string, checked: boolean) {
    const next = checked ? [...users, account] : users.filter((user) => user !== account);
    editing.set(path, next);
  }

  return (
    <fieldset className="list-field" data-path={at} aria-describedby={fieldState(editing, at).aria['aria-describedby']}>
      <legend>
        Users and groups with Relay permission
        {serverName ? <span className="visually-hidden">{of}</span> : null}
      </legend>
      <div className="field-hint">
        {anyAuthenticated
          ? 'Every account that signs in may relay here (authenticated relay is allowed above), ticked or not; the ticks are kept for when that is turned off.'
          : 'Ticked accounts may relay after signing in; the others must be refused.'}
      </div>
      {accounts.length === 0 ? <div className="field-hint">Add accounts to the plan first.</div> : null}
      <div className="checkbox-row">
        {accounts.map((account) => (
          <label key={account} className="toggle" htmlFor={fieldId(path, account)}>
            <input
              id={fieldId(path, account)}
              type="checkbox"
              aria-label={serverName ? `${account} may relay through ${serverName}` : undefined}
              disabled={editing.disabled}
              checked={users.includes(account)}
              onChange={(event) => toggle(account, event.target.checked)}
            />
            {account}
          </label>
        ))}
      </div>
      {unknown.map(({ user, index }) => (
        <div key={index} className="entry" data-path={pathText([...path, index])}>
          <span className="field-error">{typeof user === 'string' ? user : JSON.stringify(user)}</span>{' '}
          <button
            type="button"
            className="remove"
            aria-label={`Remove ${typeof user === 'string' ? user : 'this entry'} from the Relay permission${of}`}
            disabled={editing.disabled}
            onClick={() => editing.remove([...path, index])}
          >
            Remove
          </button>
          <FieldProblems problems={editing.problems} path={pathText([...path, index])} />
        </div>
      ))}
      <FieldProblems problems={editing.problems} warnings={editing.warnings} path={at} />
    </fieldset>
  );
}

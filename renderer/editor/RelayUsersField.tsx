// The accounts allowed to relay through one server after authenticating: a checkbox per plan account, and any
// entry naming no account kept visible (with its problem) until removed.
import { accountNames, listAt, pathText, type PathKey } from '../plan/planEdit.js';
import { fieldId, type PlanEditing } from './planEditing.js';
import { FieldProblems } from './ProblemList.js';

export function RelayUsersField({ editing, path }: { editing: PlanEditing; path: readonly PathKey[] }) {
  const users = listAt(editing.plan, path);
  const accounts = accountNames(editing.plan);
  const at = pathText(path);
  const unknown = users
    .map((user, index) => ({ user, index }))
    .filter(({ user }) => typeof user !== 'string' || !accounts.includes(user));

  function toggle(account: string, checked: boolean) {
    const next = checked ? [...users, account] : users.filter((user) => user !== account);
    editing.set(path, next);
  }

  return (
    <fieldset className="list-field" data-path={at}>
      <legend>Relay users (may relay after authenticating)</legend>
      {accounts.length === 0 ? <div className="field-hint">Add accounts to the plan first.</div> : null}
      <div className="checkbox-row">
        {accounts.map((account) => (
          <label key={account} className="toggle" htmlFor={fieldId(path, account)}>
            <input
              id={fieldId(path, account)}
              type="checkbox"
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
            disabled={editing.disabled}
            onClick={() => editing.remove([...path, index])}
          >
            Remove
          </button>
          <FieldProblems problems={editing.problems} path={pathText([...path, index])} />
        </div>
      ))}
      <FieldProblems problems={editing.problems} path={at} />
    </fieldset>
  );
}

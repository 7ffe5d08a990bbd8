// The plan's accounts. Retyping a name renames the account everywhere the plan names it (editAccountName); a kept
// password stays under the old name (the password store has no rename), so the field says to set it again.
import { useEffect, useRef, useState } from 'react';
import { makeVisible } from '../../shared/text.js';
import { editAccountName, listAt } from '../plan/planEdit.js';
import type { PlanEditing } from './planEditing.js';
import { StringListField } from './StringListField.js';

export interface AccountRename {
  from: string;
  to: string;
}

export function AccountsField({
  editing,
  keptPasswords,
}: {
  editing: PlanEditing;
  /** Accounts with a password kept by the core (or supplied by the lab), by name. */
  keptPasswords: (account: string) => boolean;
}) {
  const pending = useRef(new Map<number, string>());
  const [renames, setRenames] = useState<AccountRename[]>([]);
  const count = listAt(editing.plan, ['accounts']).length;
  // A removed or added entry shifts the indexes: a name waiting to be renamed no longer belongs to its index.
  useEffect(() => {
    pending.current.clear();
  }, [count]);

  function setItem(index: number, text: string) {
    const before = listAt(editing.plan, ['accounts'])[index];
    const origin = pending.current.get(index);
    const result = editAccountName(editing.plan, index, text, origin);
    if (result.pending !== undefined) pending.current.set(index, result.pending);
    else pending.current.delete(index);
    editing.set([], result.plan);
    const from = origin ?? (typeof before === 'string' ? before : undefined);
    if (result.pending === undefined && from !== undefined && from !== text) {
      setRenames((list) => {
        // alice -> alic -> alicia is one rename, from alice.
        const chained = list.find((rename) => rename.to === from);
        const rest = list.filter((rename) => rename !== chained);
        const original = chained?.from ?? from;
        return original === text || !keptPasswords(original) ? rest : [...rest, { from: original, to: text }];
      });
    }
  }

  const shown = renames.filter((rename) => !keptPasswords(rename.to));
  return (
    <>
      <StringListField
        editing={editing}
        path={['accounts']}
        label="Accounts to test as"
        itemLabel="account"
        placeholder="alice"
        hint="Renaming an account renames it everywhere in the plan: relay permissions, addresses, cases."
        setItem={setItem}
      />
      {shown.map((rename) => (
        <p key={rename.from} className="rename-notice" role="status">
          <strong>Note:</strong> the password kept for {makeVisible(rename.from)} stays under that name; set it again
          below for {makeVisible(rename.to)}.{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => setRenames((list) => list.filter((item) => item !== rename))}
          >
            Dismiss<span className="visually-hidden"> the note about {makeVisible(rename.from)}</span>
          </button>
        </p>
      ))}
    </>
  );
}

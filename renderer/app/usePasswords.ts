// Which of the plan's accounts have a password kept by the core, the servers each may be sent to, and setting,
// rebinding or forgetting one. Passwords go straight to the core; only account names and servers are held here.
import { errorMessage } from '../../shared/errorMessage.js';
import { useCallback, useEffect, useMemo, useState, type Dispatch } from 'react';
import type { PasswordBinding, PasswordStorage, RelayTesterApi } from '../../shared/ipc.js';
import { planServerAddresses } from '../../shared/passwordBinding.js';
import { accountNames } from '../plan/planEdit.js';
import { notify as notice, reportError, type AppAction } from './appState.js';

function usableAccount(account: string): boolean {
  return account.length <= 256 && !/[\x00-\x1f\x7f]/.test(account);
}

/** `startStorage` is where the core said passwords are kept when the app started; each status may update it.
 * `historyKey` changes when a run was saved: "Allow always" grew a password's servers when it started. */
export function usePasswords(
  api: RelayTesterApi,
  plan: unknown,
  startStorage: PasswordStorage | undefined,
  historyKey: number,
  dispatch: Dispatch<AppAction>,
) {
  const notify = useCallback((text: string) => dispatch(notice(text)), [dispatch]);
  const onError = useCallback((text: string) => dispatch(reportError(text)), [dispatch]);
  const [bindings, setBindings] = useState<ReadonlyMap<string, PasswordBinding>>(new Map());
  const [labAccounts, setLabAccounts] = useState<ReadonlySet<string>>(new Set());
  const [reportedStorage, setReportedStorage] = useState<PasswordStorage | undefined>();
  const storage = reportedStorage ?? startStorage;

  const accounts = useMemo(() => (plan === undefined ? [] : accountNames(plan).filter(usableAccount)), [plan]);
  const accountsKey = accounts.join('\n');
  // The servers of the open plan: where a newly typed password may go unless the user says otherwise.
  const planServers = useMemo(() => planServerAddresses(plan), [plan]);
  const planServersKey = planServers.join(' ');
  const refresh = useCallback(async () => {
    if (accounts.length === 0) {
      setBindings(new Map());
      setLabAccounts(new Set());
      return;
    }
    try {
      const status = await api.passwordStatus({ accounts });
      setBindings(new Map(status.bindings.map((binding) => [binding.account, binding])));
      setLabAccounts(new Set(status.lab?.accounts ?? []));
      setReportedStorage(status.storage);
    } catch (error) {
      onError(`Could not read which passwords are set: ${errorMessage(error)}`);
    }
    // accountsKey stands for `accounts`, so typing elsewhere in the plan does not ask the core again.
  }, [api, accountsKey, onError]);
  useEffect(() => {
    void refresh();
  }, [refresh, historyKey]);

  const setPassword = useCallback(
    async (account: string, password: string, servers: string[]) => {
      try {
        const kept = await api.setPassword({ account, password, servers });
        notify(`Password of ${account} set; it is sent only to ${servers.join(', ')}. ${kept.note}`);
      } catch (error) {
        onError(`Could not keep the password of ${account}: ${errorMessage(error)}`);
      }
      await refresh();
    },
    [api, notify, onError, refresh],
  );

  const bindPassword = useCallback(
    async (account: string, servers: string[]) => {
      try {
        await api.bindPassword({ account, servers });
        notify(`The password of ${account} is now sent only to ${servers.join(', ')}.`);
      } catch (error) {
        onError(`Could not change where the password of ${account} may be sent: ${errorMessage(error)}`);
      }
      await refresh();
    },
    [api, notify, onError, refresh],
  );

  const forgetPassword = useCallback(
    async (account: string) => {
      try {
        await api.forgetPassword({ account });
        notify(`Password of ${account} forgotten.`);
      } catch (error) {
        onError(`Could not forget the password of ${account}: ${errorMessage(error)}`);
      }
      await refresh();
    },
    [api, notify, onError, refresh],
  );

  const known = useMemo(() => new Set([...bindings.keys(), ...labAccounts]), [bindings, labAccounts]);
  // planServersKey stands for planServers: the same servers keep the same array, so rows keep what was typed.
  const defaultServers = useMemo(() => planServers, [planServersKey]);
  return {
    known,
    bindings,
    labAccounts,
    planServers: defaultServers,
    storage,
    setPassword,
    bindPassword,
    forgetPassword,
  };
}

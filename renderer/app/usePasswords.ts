// Which of the plan's accounts have a password kept by the core, and setting or forgetting one. Passwords go
// straight to the core; only the names of the accounts that have one are held here.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { PasswordStorage, RelayTesterApi } from '../../shared/ipc.js';
import { accountNames } from '../plan/planEdit.js';

export interface PasswordCallbacks {
  notify(text: string): void;
  onError(message: string): void;
}

function usableAccount(account: string): boolean {
  return account.length <= 256 && !/[\x00-\x1f\x7f]/.test(account);
}

/** `startStorage` is where the core said passwords are kept when the app started; each status may update it. */
export function usePasswords(api: RelayTesterApi, plan: unknown, startStorage: PasswordStorage | undefined, { notify, onError }: PasswordCallbacks) {
  const [known, setKnown] = useState<ReadonlySet<string>>(new Set());
  const [reportedStorage, setReportedStorage] = useState<PasswordStorage | undefined>();
  const storage = reportedStorage ?? startStorage;

  const accounts = useMemo(() => (plan === undefined ? [] : accountNames(plan).filter(usableAccount)), [plan]);
  const accountsKey = accounts.join('\n');
  const refresh = useCallback(async () => {
    if (accounts.length === 0) {
      setKnown(new Set());
      return;
    }
    try {
      const status = await api.passwordStatus({ accounts });
      setKnown(new Set(status.known));
      setReportedStorage(status.storage);
    } catch (error) {
      onError(`Could not read which passwords are set: ${(error as Error).message}`);
    }
    // accountsKey stands for `accounts`, so typing elsewhere in the plan does not ask the core again.
  }, [api, accountsKey, onError]);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const setPassword = useCallback(
    async (account: string, password: string) => {
      try {
        const kept = await api.setPassword({ account, password });
        notify(`Password of ${account} set. ${kept.note}`);
      } catch (error) {
        onError(`Could not keep the password of ${account}: ${(error as Error).message}`);
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
        onError(`Could not forget the password of ${account}: ${(error as Error).message}`);
      }
      await refresh();
    },
    [api, notify, onError, refresh],
  );

  return { known, storage, setPassword, forgetPassword };
}

// Which of the plan's accounts have a password kept by the core, the servers each may be sent to, and setting,
// rebinding or forgetting one. Passwords go straight to the core; only account names and servers are held here.
import { errorMessage } from '../../shared/errorMessage.js';
import { useCallback, useEffect, useMemo, useState, type Dispatch } from 'react';
import type { PasswordBinding, PasswordStorage, RelayTesterApi } from '../../shared/ipc.js';
import { parseServerAddress, planServerAddresses } from '../../shared/passwordBinding.js';
import { isVantageSecretName, vantageSecretName } from '../../shared/vantage.js';
import type { VantageSecretRow } from '../editor/PasswordPanel.js';
import { accountNames, isRecord, listAt } from '../plan/planEdit.js';
import { notify as notice, reportError, type AppAction } from './appState.js';

/** How messages name what is stored: an account's password, or a vantage point's secret. */
function secretOf(account: string): string {
  return isVantageSecretName(account)
    ? `The secret of vantage point ${account.slice(account.indexOf(':') + 1)}`
    : `Password of ${account}`;
}

function usableAccount(account: string): boolean {
  return account.length <= 256 && !/[\x00-\x1f\x7f]/.test(account);
}

/** The plan's vantage points as the password panel lists their secrets, read from the raw (maybe invalid) plan. */
export function vantageSecretRows(plan: unknown): VantageSecretRow[] {
  const rows: VantageSecretRow[] = [];
  for (const point of listAt(plan, ['vantagePoints'])) {
    if (!isRecord(point) || typeof point.name !== 'string' || !usableAccount(vantageSecretName(point.name))) continue;
    if (point.name === '' || rows.some((row) => row.name === point.name)) continue;
    const target = isRecord(point.ssh) ? point.ssh : isRecord(point.socks5) ? point.socks5 : undefined;
    const row: VantageSecretRow = { name: point.name, secretName: vantageSecretName(point.name) };
    if (target && typeof target.host === 'string' && typeof target.port === 'number') {
      const host = target.host.includes(':') ? `[${target.host}]` : target.host;
      const parsed = parseServerAddress(`${host}:${target.port}`);
      if ('address' in parsed) row.address = parsed.address;
    }
    rows.push(row);
  }
  return rows;
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
  const [labServers, setLabServers] = useState<readonly string[]>([]);
  const [reportedStorage, setReportedStorage] = useState<PasswordStorage | undefined>();
  const storage = reportedStorage ?? startStorage;

  const planAccounts = useMemo(() => (plan === undefined ? [] : accountNames(plan).filter(usableAccount)), [plan]);
  const vantageRows = useMemo(() => vantageSecretRows(plan), [plan]);
  // The status of the vantage points' secrets is asked for with the accounts': the store keeps both alike.
  const accounts = useMemo(
    () => [...new Set([...planAccounts, ...vantageRows.map((row) => row.secretName)])],
    [planAccounts, vantageRows],
  );
  const accountsKey = accounts.join('\n');
  const vantageKey = vantageRows.map((row) => `${row.name}\n${row.address ?? ''}`).join('\n');
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
      setLabServers(status.lab?.servers ?? []);
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
        notify(`${secretOf(account)} set; it is sent only to ${servers.join(', ')}. ${kept.note}`);
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
        const { forgotten } = await api.forgetPassword({ account });
        notify(forgotten ? `${secretOf(account)} forgotten.` : `${secretOf(account)} was not stored.`);
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
  // vantageKey stands for vantageRows: typing elsewhere in the plan keeps the rows as they are.
  const vantageSecrets = useMemo(() => vantageRows, [vantageKey]);
  return {
    known,
    bindings,
    labAccounts,
    labServers,
    vantageSecrets,
    planServers: defaultServers,
    storage,
    setPassword,
    bindPassword,
    forgetPassword,
  };
}

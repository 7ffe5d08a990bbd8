// A vantage point's secret (key passphrase, SSH or SOCKS5 password) in the app: the password store's entry
// "vantage:NAME", bound like account passwords to where it may be sent — here the vantage point's own host:port.
// A kept secret whose binding does not name that host:port is not offered to it (the plan's host may have been
// changed to someone else's machine since the secret was entered).
import { serverAddress } from '../../shared/passwordBinding.js';
import type { Plan } from '../../shared/plan.js';
import { vantageSecretName } from '../../shared/vantage.js';
import type { PasswordStore } from './passwordStore.js';

/** Where a vantage point's secret may go: its SSH server or SOCKS5 proxy. */
export function vantageAddress(point: NonNullable<Plan['vantagePoints']>[number]): string {
  const target = point.ssh ?? point.socks5!;
  return serverAddress(target.host, target.port);
}

/** Where the app's user gives a vantage point's secret: its own controls, not the CLI's secrets file. */
export function appSecretAdvice(point: string): string {
  return `keep it in Plan → Vantage points → ${point}, or in Plan → Passwords`;
}

/** The secrets of the plan's vantage points that the store holds and may send there. */
export function vantageSecretsFor(plan: Plan, store: PasswordStore): Map<string, string> {
  const secrets = new Map<string, string>();
  for (const point of plan.vantagePoints ?? []) {
    const key = vantageSecretName(point.name);
    const kept = store.get(key);
    if (kept && kept.servers.includes(vantageAddress(point))) secrets.set(key, kept.password);
  }
  return secrets;
}

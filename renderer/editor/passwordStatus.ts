// What the password panel says about one account or vantage point secret: exactly what the core stores and where
// it goes, and where the built-in lab's own password is used instead. Pure, so every wording is tested.
import type { PasswordBinding } from '../../shared/ipc.js';

export interface PasswordFacts {
  binding: PasswordBinding | undefined;
  /** The lab supplies its own password for this account (on its own servers only). */
  lab: boolean;
  /** The lab's servers (host:port). */
  labServers: readonly string[];
  /** The open plan's servers (host:port). */
  planServers: readonly string[];
  /** A vantage point's secret rather than an account's password. */
  secret?: boolean;
  /** Where a vantage point's secret must be allowed to go to be used: its SSH server or SOCKS5 proxy. */
  usedAt?: string;
}

export function passwordStatusText({ binding, lab, labServers, planServers, secret, usedAt }: PasswordFacts): string {
  const what = secret ? 'secret' : 'password';
  const labInPlan = lab ? planServers.filter((server) => labServers.includes(server)) : [];
  const labUsed = labInPlan.filter((server) => !binding?.servers.includes(server));
  const labNote = labUsed.length
    ? `; on the lab’s ${labUsed.length === 1 ? 'server' : 'servers'} ${labUsed.join(', ')} the lab’s own password is used${binding ? '' : ' (set one here to use yours instead)'}`
    : '';
  if (binding) {
    const where = binding.servers.length ? binding.servers.join(', ') : 'no server yet (you are asked first)';
    const unused = usedAt && !binding.servers.includes(usedAt) ? `; not allowed for ${usedAt}, so it is not used` : '';
    return `${what} stored; sent only to ${where}${unused}${labNote}`;
  }
  if (labNote) return `no ${what} stored${labNote}`;
  if (lab) return `no ${what} stored (the lab’s password is only for the lab’s servers, which this plan does not use)`;
  return `no ${what} stored`;
}

// A server's policy as Exchange System Manager shows it (Access tab: Connection, Relay restrictions, Users), for
// the report and the CLI: "Only the list below: 127.0.0.10" rather than a bare list whose meaning depends on a mode.
import { connectionControl, relayMode } from './matrix.js';
import type { PlanServer } from './plan.js';

export interface ServerPolicyWords {
  /** Relay restrictions: which computers may relay without authenticating. */
  relayComputers: string;
  /** Who may relay after authenticating. */
  relayAccounts: string;
  /** Connection control: which computers may connect at all. */
  connection: string;
}

function listWords(mode: 'only' | 'allExcept', list: readonly string[], emptyMeans: string): string {
  const heading = mode === 'only' ? 'Only the list below' : 'All except the list below';
  return `${heading}: ${list.length > 0 ? list.join(', ') : `empty list (${emptyMeans})`}`;
}

export function serverPolicyWords(server: PlanServer): ServerPolicyWords {
  const mode = relayMode(server);
  const connection = connectionControl(server);
  const users = server.relay.users;
  return {
    relayComputers: listWords(mode, server.relay.hosts, mode === 'only' ? 'no computer' : 'every computer'),
    relayAccounts: server.relay.anyAuthenticated
      ? 'any authenticated user may relay (Allow all computers which successfully authenticate to relay)'
      : users.length > 0
        ? users.join(', ')
        : 'nobody',
    connection: listWords(
      connection.mode,
      connection.list,
      connection.mode === 'only' ? 'no computer may connect' : 'every computer may connect',
    ),
  };
}

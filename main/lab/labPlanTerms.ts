// A lab virtual server's Access settings written as a plan states them (relay.mode, relay.hosts, relay.users,
// relay.anyAuthenticated, connect.allow / connect.deny), so `relay-tester lab` can show the plan fields that match
// the preset it runs. Pure; test/lab/exchangePlans.test.ts proves such a plan passes against the lab.
import type { PlanServer } from '../../shared/plan.js';
import { accountGroups, type LabAccount, type VirtualServerConfig } from './labConfig.js';

export type PlanPolicy = Pick<PlanServer, 'relay' | 'connect'>;

/** The plan's relay and connect fields for a lab virtual server, with its Relay Permission resolved to accounts. */
export function planPolicyOf(server: VirtualServerConfig, accounts: readonly LabAccount[]): PlanPolicy {
  const holders = server.relay.relayPermission.map((holder) => holder.toLowerCase());
  const users = server.relay.allowAllAuthenticated
    ? []
    : accounts
        .filter(
          (account) =>
            accountGroups(account).some((group) => holders.includes(group.toLowerCase())) ||
            holders.includes(account.name.toLowerCase()),
        )
        .map((account) => account.name);
  const relay: PlanPolicy['relay'] = {
    ...(server.relay.computers.grant === 'all-except-list' ? { mode: 'allExcept' as const } : {}),
    users,
    hosts: [...server.relay.computers.entries],
    ...(server.relay.allowAllAuthenticated ? { anyAuthenticated: true } : {}),
  };
  const connect: PlanPolicy['connect'] =
    server.connection.grant === 'only-list'
      ? { deny: [], allow: [...server.connection.entries] }
      : { deny: [...server.connection.entries] };
  return { relay, connect };
}

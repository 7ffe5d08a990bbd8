// A server's policy in Exchange System Manager's words, as the report and `relay-tester check` show it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPlan, type PlanServer } from '../../shared/plan.js';
import { serverPolicyWords } from '../../shared/policyWords.js';
import { ROOT } from '../support/testbed.js';

function relayServer(change: (server: any) => void = () => {}): PlanServer {
  const plan = JSON.parse(readFileSync(path.join(ROOT, 'plans/example.json'), 'utf8'));
  change(plan.servers[1]);
  const check = checkPlan(plan);
  if (!check.ok) throw new Error(JSON.stringify(check.problems));
  return check.plan.servers[1]!;
}

describe("a server's policy in Exchange's words", () => {
  it("the article's relay virtual server", () => {
    expect(serverPolicyWords(relayServer())).toEqual({
      relayComputers: 'Only the list below: 127.0.0.10, 127.0.1.0/24',
      relayAccounts: 'alice, bob',
      connection: 'All except the list below: 127.0.9.0/24',
    });
  });

  it('all except the list, any authenticated user, only the listed computers may connect', () => {
    const server = relayServer((raw) => {
      raw.relay = { mode: 'allExcept', users: [], hosts: [], anyAuthenticated: true };
      raw.connect = { allow: ['10.0.0.0/8'] };
    });
    expect(serverPolicyWords(server)).toEqual({
      relayComputers: 'All except the list below: empty list (every computer)',
      relayAccounts: 'any authenticated user may relay (Allow all computers which successfully authenticate to relay)',
      connection: 'Only the list below: 10.0.0.0/8',
    });
  });

  it('empty lists say what they mean', () => {
    const server = relayServer((raw) => {
      raw.relay = { users: [], hosts: [] };
      delete raw.connect;
    });
    expect(serverPolicyWords(server)).toEqual({
      relayComputers: 'Only the list below: empty list (no computer)',
      relayAccounts: 'nobody',
      connection: 'All except the list below: empty list (every computer may connect)',
    });
  });
});

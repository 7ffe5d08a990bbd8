// Warnings: a valid plan that is probably not what its author meant is flagged beside the field, in plain words.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../shared/plan.js';
import { planWarnings, type PlanWarning } from '../../shared/planWarnings.js';
import { ROOT } from '../support/testbed.js';

function warningsAfter(change: (plan: any) => void = () => {}): PlanWarning[] {
  const plan = JSON.parse(readFileSync(path.join(ROOT, 'plans/example.json'), 'utf8'));
  change(plan);
  const check = checkPlan(plan);
  if (!check.ok) throw new Error(JSON.stringify(check.problems));
  return planWarnings(check.plan);
}

const relay = '$.servers[1]';

describe('plan warnings', () => {
  it("the article's plan and the demo plan raise none", () => {
    expect(warningsAfter()).toEqual([]);
    const demo = checkPlan(JSON.parse(readFileSync(path.join(ROOT, 'plans/demo.json'), 'utf8')));
    expect(demo.ok && planWarnings(demo.plan)).toEqual([]);
  });

  it('0.0.0.0/0 and ::/0 in a relay list of "Only the list below" make an open relay', () => {
    expect(warningsAfter((plan) => plan.servers[1].relay.hosts.push('0.0.0.0/0', '::/0'))).toEqual([
      {
        path: `${relay}.relay.hosts[2]`,
        message: '0.0.0.0/0 is every IPv4 address: it makes this server an open relay for anyone on the internet',
      },
      {
        path: `${relay}.relay.hosts[3]`,
        message: '::/0 is every IPv6 address: it makes this server an open relay for anyone on the internet',
      },
    ]);
  });

  it('a very wide subnet on the internet is flagged; wide internal ranges and ordinary subnets are not', () => {
    const found = warningsAfter(
      (plan) => (plan.servers[1].relay.hosts = ['0.0.0.0/1', '128.0.0.0/1', '2000::/3', '10.0.0.0/8', 'fc00::/7']),
    );
    expect(found.map((warning) => warning.path)).toEqual([
      `${relay}.relay.hosts[0]`,
      `${relay}.relay.hosts[1]`,
      `${relay}.relay.hosts[2]`,
    ]);
    expect(found[0]?.message).toBe(
      '0.0.0.0/1 covers 2^31 addresses across the internet: every one of them may relay, which makes this server nearly an open relay',
    );
    expect(warningsAfter((plan) => (plan.servers[1].relay.hosts = ['192.0.2.0/24', '203.0.0.0/8']))).toEqual([]);
  });

  it('a wide entry in a list of "All except the list below" excludes computers, so it is no warning', () => {
    expect(
      warningsAfter((plan) => (plan.servers[1].relay = { mode: 'allExcept', users: ['alice'], hosts: ['0.0.0.0/0'] })),
    ).toEqual([]);
  });

  it('"All except the list below" with an empty list is an open relay', () => {
    expect(warningsAfter((plan) => (plan.servers[1].relay = { mode: 'allExcept', users: [], hosts: [] }))).toEqual([
      {
        path: `${relay}.relay.mode`,
        message:
          '"All except the list below" with an empty list lets every computer relay: this makes the server an open relay',
      },
    ]);
  });

  it('an external domain that is also local', () => {
    expect(warningsAfter((plan) => (plan.domains.external = 'CORP.test'))).toEqual([
      {
        path: '$.domains.external',
        message: 'The external domain CORP.test is also a local domain, so no case would test relaying',
      },
    ]);
  });

  it('duplicate sources, even written differently', () => {
    expect(warningsAfter((plan) => plan.sources.push('127.0.0.5', '127.0.1.9/24'))).toEqual([
      {
        path: '$.sources[5]',
        message: '"127.0.0.5" is already entry 1 of the sources, so its cases would run twice under one name',
      },
      {
        path: '$.sources[6]',
        message:
          '"127.0.1.9/24" (the same as "127.0.1.0/24") is already entry 3 of the sources, so its cases would run twice under one name',
      },
    ]);
  });

  it('duplicate entries in the relay list, the users, the connection list and the local domains', () => {
    const found = warningsAfter((plan) => {
      plan.domains.local.push('corp.test');
      plan.servers[1].relay.hosts.push('127.0.0.10');
      plan.servers[1].relay.users.push('alice');
      plan.servers[1].connect.deny.push('127.0.9.0/24');
    });
    expect(found).toEqual([
      { path: '$.domains.local[1]', message: '"corp.test" is already entry 1 of the local domains' },
      { path: `${relay}.relay.users[2]`, message: '"alice" is already entry 1 of the users allowed to relay' },
      { path: `${relay}.relay.hosts[2]`, message: '"127.0.0.10" is already entry 1 of the relay list' },
      { path: `${relay}.connect.deny[1]`, message: '"127.0.9.0/24" is already entry 1 of the connection list' },
    ]);
  });

  it('a host that is not a valid host name or IP address', () => {
    expect(warningsAfter((plan) => (plan.servers[0].host = 'bad host name!'))).toEqual([
      {
        path: '$.servers[0].host',
        message:
          '"bad host name!" is not a valid host name or IP address, so no connection can reach it; check the spelling',
      },
    ]);
    for (const host of ['mail.corp.test', 'mail', '192.0.2.1', '::1', '[2001:db8::1]', 'mail.corp.test.']) {
      expect(
        warningsAfter((plan) => (plan.servers[0].host = host)),
        host,
      ).toEqual([]);
    }
    expect(warningsAfter((plan) => (plan.servers[0].host = '192.0.2.300'))).toHaveLength(1);
  });

  it('anyAuthenticated with relay users listed: the list changes nothing', () => {
    expect(warningsAfter((plan) => (plan.servers[1].relay.anyAuthenticated = true))).toEqual([
      {
        path: `${relay}.relay.users`,
        message:
          'Any account that authenticates may relay here ("Allow all computers which successfully authenticate"), so this list of users changes nothing',
      },
    ]);
    expect(warningsAfter((plan) => (plan.servers[1].relay = { users: [], hosts: [], anyAuthenticated: true }))).toEqual(
      [],
    );
  });

  it('connection control "Only the list below" with an empty list refuses everyone', () => {
    expect(warningsAfter((plan) => (plan.servers[1].connect = { allow: [] }))).toEqual([
      {
        path: `${relay}.connect.allow`,
        message: 'Connection control "Only the list below" with an empty list refuses every computer at connect',
      },
    ]);
  });
});

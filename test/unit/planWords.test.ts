// Validation in plain words: each problem of a plan reads well beside its field, with no JSON or validator jargon.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPlan, type PlanProblem } from '../../shared/plan.js';
import { ROOT } from '../support/testbed.js';

const example = () => JSON.parse(readFileSync(path.join(ROOT, 'plans/example.json'), 'utf8'));

function problemsAfter(change: (plan: any) => void): PlanProblem[] {
  const plan = example();
  change(plan);
  const check = checkPlan(plan);
  if (check.ok) throw new Error('expected the plan to be invalid');
  return check.problems;
}

describe('plan problems in plain words', () => {
  it.each([
    [
      'a port too high',
      (plan: any) => (plan.servers[1].port = 70000),
      '$.servers[1].port',
      'Port must be from 1 to 65535',
    ],
    ['port 0', (plan: any) => (plan.servers[1].port = 0), '$.servers[1].port', 'Port must be from 1 to 65535'],
    [
      'a port with a fraction',
      (plan: any) => (plan.servers[1].port = 25.5),
      '$.servers[1].port',
      'Port must be a whole number from 1 to 65535',
    ],
    [
      'a port given as text',
      (plan: any) => (plan.servers[1].port = '25'),
      '$.servers[1].port',
      'Port must be a number',
    ],
    [
      'an empty host',
      (plan: any) => (plan.servers[1].host = ''),
      '$.servers[1].host',
      'Enter a host name or IP address',
    ],
    [
      'a missing host',
      (plan: any) => delete plan.servers[0].host,
      '$.servers[0].host',
      'Enter a host name or IP address',
    ],
    [
      'an empty server name',
      (plan: any) => (plan.servers[0].name = ''),
      '$.servers[0].name',
      'Enter a name for the server',
    ],
    [
      'an unknown TLS mode',
      (plan: any) => (plan.servers[1].tls = 'maybe'),
      '$.servers[1].tls',
      'TLS must be one of "auto", "starttls", "implicit" or "none"',
    ],
    [
      'a misspelt setting',
      (plan: any) => (plan.servers[1].prot = 25),
      '$.servers[1]',
      'Unknown setting "prot" in server 2: check its spelling or remove it',
    ],
    [
      'a sender that is no mail address',
      (plan: any) => (plan.sender = 'helpdesk'),
      '$.sender',
      'Enter a mail address such as helpdesk@corp.example',
    ],
    [
      'an external domain with a space',
      (plan: any) => (plan.domains.external = 'external example'),
      '$.domains.external',
      'Enter a domain name such as corp.example',
    ],
    ['no local domain', (plan: any) => (plan.domains.local = []), '$.domains.local', 'Add at least one local domain'],
    ['no server', (plan: any) => (plan.servers = []), '$.servers', 'Add at least one server'],
    [
      'an EHLO name with a space',
      (plan: any) => (plan.servers[0].helo = 'my pc'),
      '$.servers[0].helo',
      'The EHLO name must be one word, without spaces',
    ],
    [
      'a concurrency too high',
      (plan: any) => (plan.settings = { concurrency: 64 }),
      '$.settings.concurrency',
      'Concurrency must be from 1 to 32',
    ],
    [
      'an unknown relay mode',
      (plan: any) => (plan.servers[1].relay.mode = 'all'),
      '$.servers[1].relay.mode',
      'Relay restrictions must be one of "only" or "allExcept"',
    ],
  ])('%s', (_name, change, at, message) => {
    expect(problemsAfter(change)).toEqual([{ path: at, message }]);
  });

  it('an empty account name gives exactly one message', () => {
    expect(problemsAfter((plan) => (plan.accounts[2] = ''))).toEqual([
      { path: '$.accounts[2]', message: 'Enter an account name' },
    ]);
    expect(problemsAfter((plan) => (plan.servers[1].relay.users = ['']))).toEqual([
      { path: '$.servers[1].relay.users[0]', message: 'Enter an account name' },
    ]);
  });

  it('never speaks JSON or validator jargon, and each message starts a sentence', () => {
    const found = problemsAfter((plan) => {
      plan.servers[0].port = -1;
      plan.servers[0].host = '';
      plan.servers[1].tls = 1;
      plan.servers[1].relay.anyAuthenticated = 'yes';
      plan.settings = { timeoutSeconds: 0, retryGreylistSeconds: 99999 };
      plan.cases = [{ id: '', to: 'nowhere', expect: 'maybe' }];
      plan.name = 'x'.repeat(201);
      plan.extra = true;
    });
    expect(found.length).toBeGreaterThanOrEqual(10);
    for (const problem of found) {
      expect(problem.message).toMatch(/^[A-Z"]/);
      expect(problem.message).not.toMatch(/expected|Invalid|Too (big|small)|[<>]=|\$\./);
    }
    expect(found).toContainEqual({
      path: '$.settings.timeoutSeconds',
      message: 'Timeout must be more than 0 and at most 600 seconds',
    });
    expect(found).toContainEqual({
      path: '$.cases[0].to',
      message: 'Enter a mail address such as helpdesk@corp.example',
    });
    expect(found).toContainEqual({ path: '$.name', message: 'Plan name must be at most 200 characters long' });
  });
});

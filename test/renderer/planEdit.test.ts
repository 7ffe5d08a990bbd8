// Pure edits of the plan the editor makes: an account renamed everywhere it is named, connection control switched
// between its two lists, and field names in the editor's words for the problem summary.
import { describe, expect, it } from 'vitest';
import { blankPlan } from '../../main/api/planService.js';
import { checkPlan } from '../../shared/plan.js';
import {
  connectionMode,
  editAccountName,
  isBlankPlan,
  renameAccount,
  withConnectionMode,
} from '../../renderer/plan/planEdit.js';
import { describePath, pathKeys } from '../../renderer/plan/problems.js';
import { labPlan } from './fakeApi.js';

function planWithAliceEverywhere(): Record<string, unknown> {
  const plan = labPlan();
  const server = (plan.servers as Record<string, unknown>[])[0]!;
  return {
    ...plan,
    addresses: { bob: 'bob@corp.test', alice: 'a.smith@corp.test' },
    accountMechanisms: { alice: 'login' },
    servers: [
      { ...server, tricks: true, tricksAccount: 'mallory' },
      { ...server, name: 'Second', tricks: true, tricksAccount: 'alice', relay: { users: ['bob'], hosts: [] } },
    ],
    cases: [
      { id: 'extra', server: 'Second', account: 'alice', expect: 'deny' },
      { id: 'other', account: 'bob' },
    ],
  };
}

describe('renaming an account', () => {
  it('renames it in the accounts, every relay permission, tricksAccount, addresses, mechanisms and cases', () => {
    const renamed = renameAccount(planWithAliceEverywhere(), 'alice', 'alicia') as Record<string, any>;
    expect(renamed.accounts).toEqual(['alicia', 'bob', 'mallory']);
    expect(renamed.servers[0].relay.users).toEqual(['alicia', 'bob']);
    expect(renamed.servers[1].relay.users).toEqual(['bob']);
    expect(renamed.servers[0].tricksAccount).toBe('mallory');
    expect(renamed.servers[1].tricksAccount).toBe('alicia');
    // Same order of keys, so the saved file differs only by the name.
    expect(Object.entries(renamed.addresses)).toEqual([
      ['bob', 'bob@corp.test'],
      ['alicia', 'a.smith@corp.test'],
    ]);
    expect(renamed.accountMechanisms).toEqual({ alicia: 'login' });
    expect(renamed.cases.map((entry: { account?: string }) => entry.account)).toEqual(['alicia', 'bob']);
    expect(JSON.stringify(renamed)).not.toContain('"alice"');
  });

  it('leaves the plan it was given unchanged', () => {
    const plan = planWithAliceEverywhere();
    const before = JSON.stringify(plan);
    renameAccount(plan, 'alice', 'alicia');
    expect(JSON.stringify(plan)).toBe(before);
  });

  it('keeps the references while the name is cleared or clashes with another account, then renames them', () => {
    let plan: unknown = planWithAliceEverywhere();
    // alice -> "" (cleared to retype): the references wait, named by `pending`.
    let step = editAccountName(plan, 0, '');
    expect(step.pending).toBe('alice');
    plan = step.plan;
    expect((plan as any).servers[0].relay.users).toEqual(['alice', 'bob']);
    // "" -> "bob" would merge alice into bob: still waiting.
    step = editAccountName(plan, 0, 'bob', step.pending);
    expect(step.pending).toBe('alice');
    plan = step.plan;
    expect((plan as any).servers[1].relay.users).toEqual(['bob']);
    // "bob" -> "bobby": now alice's references follow, and bob's stay bob's.
    step = editAccountName(plan, 0, 'bobby', step.pending);
    expect(step.pending).toBeUndefined();
    plan = step.plan;
    expect((plan as any).accounts).toEqual(['bobby', 'bob', 'mallory']);
    expect((plan as any).servers[0].relay.users).toEqual(['bobby', 'bob']);
    expect((plan as any).servers[1].relay.users).toEqual(['bob']);
    expect((plan as any).servers[1].tricksAccount).toBe('bobby');
    expect(checkPlan(plan).ok).toBe(true);
  });

  it('renames an account typed letter by letter as one rename', () => {
    let plan: unknown = planWithAliceEverywhere();
    for (const text of ['alic', 'ali', 'alix']) plan = editAccountName(plan, 0, text).plan;
    expect((plan as any).servers[0].relay.users).toEqual(['alix', 'bob']);
    expect((plan as any).cases[0].account).toBe('alix');
    expect(checkPlan(plan).ok).toBe(true);
  });
});

describe('connection control', () => {
  it('moves the entries from deny to allow and back when the mode changes', () => {
    const plan = labPlan();
    expect(connectionMode(plan, 0)).toBe('allExcept');
    const only = withConnectionMode(plan, 0, 'only') as any;
    expect(connectionMode(only, 0)).toBe('only');
    expect(only.servers[0].connect).toEqual({ allow: ['127.0.9.0/24'] });
    const back = withConnectionMode(only, 0, 'allExcept') as any;
    expect(back.servers[0].connect).toEqual({ deny: ['127.0.9.0/24'] });
    expect(withConnectionMode(back, 0, 'allExcept')).toBe(back);
    expect(checkPlan(only).ok).toBe(true);
  });
});

describe('New', () => {
  it('gives a blank plan: one empty server, no accounts and no sources, its problems the fields to fill', () => {
    const plan = blankPlan();
    expect(isBlankPlan(plan)).toBe(true);
    expect(isBlankPlan(labPlan())).toBe(false);
    const check = checkPlan(plan);
    expect(check.ok).toBe(false);
    const paths = check.ok ? [] : check.problems.map((problem) => problem.path);
    expect(paths).toEqual(expect.arrayContaining(['$.name', '$.servers[0].host', '$.servers[0].name']));
    expect(JSON.stringify(plan)).not.toMatch(/2525|example/);
  });
});

describe('field names for the problem summary', () => {
  it('reads a JSON path back into keys', () => {
    expect(pathKeys('$.servers[1].relay.hosts[0]')).toEqual(['servers', 1, 'relay', 'hosts', 0]);
    expect(pathKeys('$.addresses["a b"]')).toEqual(['addresses', 'a b']);
  });

  it('names fields as the editor labels them, with their server', () => {
    const plan = labPlan();
    expect(describePath(plan, '$.servers[0].port')).toBe('Port of SMTP Relay Virtual Server');
    expect(describePath(plan, '$.servers[0].relay.hosts[2]')).toBe('Relay list, entry 3 of SMTP Relay Virtual Server');
    expect(describePath(plan, '$.servers[1].host')).toBe('Host of Server 2');
    expect(describePath(plan, '$.domains.external')).toBe('External domain');
    expect(describePath(plan, '$.domains.local[0]')).toBe('Local domains, entry 1');
    expect(describePath(plan, '$.sources[3]')).toBe('Sources, entry 4');
    expect(describePath(plan, '$.settings.timeoutSeconds')).toBe('Run settings: Timeout');
    expect(describePath(plan, '$')).toBe('The plan');
  });
});

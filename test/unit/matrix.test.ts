// Deriving the matrix: the policy decides every case's expectation.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveMatrix, type TestCase } from '../../shared/matrix.js';
import { checkPlan, type Plan } from '../../shared/plan.js';
import { ROOT } from '../support/testbed.js';

function plan(change: (raw: any) => void = () => {}): Plan {
  const raw = JSON.parse(readFileSync(path.join(ROOT, 'plans/example.json'), 'utf8'));
  change(raw);
  const check = checkPlan(raw);
  if (!check.ok) throw new Error(JSON.stringify(check.problems));
  return check.plan;
}

function byId(cases: TestCase[]): Record<string, TestCase> {
  return Object.fromEntries(cases.map((testCase) => [testCase.id, testCase]));
}

describe("the derived matrix of the article's setup", () => {
  const { cases, notes } = deriveMatrix(plan());
  const all = byId(cases);

  it('has stable, unique ids and readable titles', () => {
    expect(new Set(cases.map((testCase) => testCase.id)).size).toBe(cases.length);
    expect(notes).toEqual([]);
    expect(all['smtp-relay-virtual-server/as-alice/to-external']?.title).toBe(
      'alice via SMTP Relay Virtual Server → external: should relay',
    );
    expect(deriveMatrix(plan()).cases.map((testCase) => testCase.id)).toEqual(cases.map((testCase) => testCase.id));
  });

  it('expects each source to be treated as the relay and connection lists say', () => {
    const relay = 'smtp-relay-virtual-server';
    expect(all[`${relay}/from-127.0.0.5/to-external`]?.expect).toBe('deny');
    expect(all[`${relay}/from-127.0.0.5/to-local`]?.expect).toBe('relay');
    expect(all[`${relay}/from-127.0.0.10/to-external`]?.expect).toBe('relay');
    expect(all[`${relay}/from-127.0.1.0/24/to-external`]?.expect).toBe('relay');
    expect(all[`${relay}/from-127.0.2.5/to-external`]?.expect).toBe('deny');
    expect(all[`${relay}/from-127.0.9.0/24/to-external`]?.expect).toBe('reject-at-connect');
    expect(all[`${relay}/from-127.0.9.0/24/to-local`]?.expect).toBe('reject-at-connect');
    expect(all['default-smtp-virtual-server/from-127.0.0.10/to-external']?.expect).toBe('deny');
    expect(all['default-smtp-virtual-server/from-127.0.9.0/24/to-local']?.expect).toBe('relay');
  });

  it('tests accounts from a source that is neither authorised nor denied', () => {
    expect(all['smtp-relay-virtual-server/as-alice/to-external']).toMatchObject({
      expect: 'relay',
      source: '127.0.0.5',
      from: 'alice@corp.test',
    });
    expect(all['smtp-relay-virtual-server/as-mallory/to-external']?.expect).toBe('deny');
    expect(all['default-smtp-virtual-server/as-alice/to-external']?.expect).toBe('deny');
    expect(all['smtp-relay-virtual-server/as-alice/wrong-password']).toMatchObject({
      expect: 'auth-fail',
      wrongPassword: true,
    });
    expect(all['default-smtp-virtual-server/as-alice/wrong-password']?.expect).toBe('auth-fail');
  });

  it('reports an approved user sending as another account, unless the server requires a match', () => {
    expect(all['smtp-relay-virtual-server/as-alice/send-as-other']).toMatchObject({
      expect: 'report',
      from: 'bob@corp.test',
    });
    const strict = byId(deriveMatrix(plan((raw) => (raw.servers[1].senderMustMatchLogin = true))).cases);
    expect(strict['smtp-relay-virtual-server/as-alice/send-as-other']?.expect).toBe('deny');
  });

  it('checks the banner only where one is set', () => {
    expect(all['smtp-relay-virtual-server/banner']).toMatchObject({ expect: 'banner', banner: 'relay.corp.test' });
    expect(all['default-smtp-virtual-server/banner']).toBeUndefined();
  });

  it('applies overrides and extra cases from the plan', () => {
    const changed = deriveMatrix(
      plan((raw) => {
        raw.cases = [
          { id: 'smtp-relay-virtual-server/from-127.0.2.5/to-external', expect: 'relay' },
          { id: 'extra-1', server: 'SMTP Relay Virtual Server', source: '127.0.0.10', to: 'local', expect: 'relay' },
          { id: 'nothing-here' },
        ];
      }),
    );
    const cases = byId(changed.cases);
    expect(cases['smtp-relay-virtual-server/from-127.0.2.5/to-external']).toMatchObject({
      expect: 'relay',
      overridden: true,
      title: '127.0.2.5 via SMTP Relay Virtual Server → external: should relay',
    });
    expect(cases['extra-1']).toMatchObject({ kind: 'extra', to: 'relay-test@corp.test', from: 'helpdesk@corp.test' });
    expect(changed.notes).toEqual([
      'case "nothing-here" matches no derived case; an extra case needs "server" and "expect"',
    ]);
  });

  it('judges a partly covered subnet at the address that will really be used', () => {
    const wide = plan((raw) => (raw.sources = ['127.0.1.0/24', '127.0.2.5']));
    const at200 = byId(deriveMatrix(wide, new Map([['127.0.1.0/24', '127.0.1.200']])).cases);
    expect(at200['smtp-relay-virtual-server/from-127.0.1.0/24/to-external']?.expect).toBe('relay');
  });

  it('runs account cases from a neutral source this machine can use, not merely the first neutral one', () => {
    // The helpdesk PC: 10.1.2.3 is neutral but not an address here; 127.0.2.5 is neutral and local.
    const remote = plan((raw) => (raw.sources = ['10.1.2.3', '127.0.0.10', '127.0.2.5']));
    const local = new Map([
      ['127.0.0.10', '127.0.0.10'],
      ['127.0.2.5', '127.0.2.5'],
    ]);
    const cases = byId(deriveMatrix(remote, local).cases);
    for (const id of ['as-alice/to-external', 'as-alice/wrong-password', 'as-alice/send-as-other', 'banner']) {
      expect(cases[`smtp-relay-virtual-server/${id}`]?.source, id).toBe('127.0.2.5');
    }
    // Without knowing the machine, the first neutral source stands; with no usable one, it stays (and is skipped
    // at run time with the reason it cannot be used here).
    expect(byId(deriveMatrix(remote).cases)['smtp-relay-virtual-server/as-alice/to-external']?.source).toBe('10.1.2.3');
    expect(byId(deriveMatrix(remote, new Map()).cases)['smtp-relay-virtual-server/as-alice/to-external']?.source).toBe(
      '10.1.2.3',
    );
  });

  it("takes the plan's accountSource, and refuses one the server relays for or denies", () => {
    const named = byId(deriveMatrix(plan((raw) => (raw.accountSource = '127.0.3.3'))).cases);
    expect(named['smtp-relay-virtual-server/as-mallory/to-external']).toMatchObject({
      source: '127.0.3.3',
      expect: 'deny',
    });
    expect(named['default-smtp-virtual-server/as-alice/to-external']?.source).toBe('127.0.3.3');
    const listed = byId(deriveMatrix(plan((raw) => (raw.accountSource = '127.0.0.10'))).cases);
    expect(listed['smtp-relay-virtual-server/as-alice/to-external']?.unrunnable).toBe(
      "the plan's accountSource 127.0.0.10 is in the relay list of SMTP Relay Virtual Server: account cases need a source that is neither, or the result would not show what the account may do",
    );
    // On the default server 127.0.0.10 is not listed: the account cases run from it there.
    expect(listed['default-smtp-virtual-server/as-alice/to-external']).toMatchObject({ source: '127.0.0.10' });
    expect(listed['default-smtp-virtual-server/as-alice/to-external']?.unrunnable).toBeUndefined();
  });

  it('marks account cases unrunnable when no neutral source exists', () => {
    const onlyListed = byId(deriveMatrix(plan((raw) => (raw.sources = ['127.0.0.10']))).cases);
    expect(onlyListed['smtp-relay-virtual-server/as-alice/to-external']?.unrunnable).toMatch(
      /no source that is neither/,
    );
  });
});

describe("the derived matrix in Exchange's terms", () => {
  const relay = 'smtp-relay-virtual-server';

  it('"All except the list below": listed computers may not relay, every other one may', () => {
    const cases = byId(
      deriveMatrix(
        plan((raw) => (raw.servers[1].relay = { mode: 'allExcept', users: ['alice'], hosts: ['127.0.0.5'] })),
      ).cases,
    );
    expect(cases[`${relay}/from-127.0.0.5/to-external`]).toMatchObject({
      expect: 'deny',
      because:
        '127.0.0.5 is in the relay list of computers that may not relay ("All except the list below") and did not authenticate',
    });
    expect(cases[`${relay}/from-127.0.2.5/to-external`]).toMatchObject({
      expect: 'relay',
      because: '127.0.2.5 is not in the relay list, and all except the list below may relay',
    });
    expect(cases[`${relay}/from-127.0.0.10/to-external`]?.expect).toBe('relay');
    // The listed computer is the only neutral source: the account cases run from it, so they show what accounts may do.
    expect(cases[`${relay}/as-alice/to-external`]).toMatchObject({ source: '127.0.0.5', expect: 'relay' });
    expect(cases[`${relay}/as-mallory/to-external`]).toMatchObject({ source: '127.0.0.5', expect: 'deny' });
    // Connection control is unchanged: the deny list still refuses 127.0.9.0/24.
    expect(cases[`${relay}/from-127.0.9.0/24/to-external`]?.expect).toBe('reject-at-connect');
  });

  it('"All except the list below" with an empty list relays for everyone, accounts included', () => {
    const open = plan((raw) => (raw.servers[1].relay = { mode: 'allExcept', users: ['alice', 'bob'], hosts: [] }));
    const cases = byId(deriveMatrix(open).cases);
    for (const source of ['127.0.0.5', '127.0.0.10', '127.0.2.5']) {
      expect(cases[`${relay}/from-${source}/to-external`]).toMatchObject({
        expect: 'relay',
        because: 'every computer may relay (relay restrictions "All except the list below" with an empty list)',
      });
    }
    expect(cases[`${relay}/as-mallory/to-external`]).toMatchObject({
      source: '127.0.0.5',
      expect: 'relay',
      because:
        'every computer may relay (relay restrictions "All except the list below" with an empty list), so mallory relays whatever it may do',
    });
    expect(cases[`${relay}/as-mallory/to-external`]?.unrunnable).toBeUndefined();
    expect(cases[`${relay}/as-alice/wrong-password`]).toMatchObject({ expect: 'auth-fail', source: '127.0.0.5' });
    // Ids are those of the same plan in mode "only": runs of both stay comparable.
    expect(Object.keys(cases).sort()).toEqual(
      deriveMatrix(plan())
        .cases.map((testCase) => testCase.id)
        .sort(),
    );
  });

  it('address tricks cannot run where every computer may relay, and say why', () => {
    const open = plan((raw) => {
      raw.servers[1].relay = { mode: 'allExcept', users: [], hosts: [] };
      raw.servers[1].tricks = true;
    });
    const tricks = deriveMatrix(open).cases.filter(
      (testCase) => testCase.kind === 'trick' && testCase.server === 'SMTP Relay Virtual Server',
    );
    expect(tricks.length).toBeGreaterThan(0);
    for (const trick of tricks)
      expect(trick.unrunnable).toMatch(/every computer may relay on SMTP Relay Virtual Server/);
  });

  it('anyAuthenticated: every account may relay, and the reason names the Exchange setting', () => {
    const any = plan((raw) => (raw.servers[1].relay = { users: [], hosts: ['127.0.0.10'], anyAuthenticated: true }));
    const cases = byId(deriveMatrix(any).cases);
    for (const account of ['alice', 'bob', 'mallory']) {
      expect(cases[`${relay}/as-${account}/to-external`]).toMatchObject({
        expect: 'relay',
        source: '127.0.0.5',
        because:
          'any account that authenticates may relay ("Allow all computers which successfully authenticate to relay, regardless of the list above")',
      });
      // Each may relay, so each may try to send as someone else.
      expect(cases[`${relay}/as-${account}/send-as-other`]?.expect).toBe('report');
    }
    // Without authenticating, the relay list still decides.
    expect(cases[`${relay}/from-127.0.0.5/to-external`]?.expect).toBe('deny');
    expect(cases[`${relay}/as-alice/wrong-password`]?.expect).toBe('auth-fail');
    // The default server is untouched: alice may not relay there.
    expect(cases['default-smtp-virtual-server/as-alice/to-external']?.expect).toBe('deny');
  });

  it('connection control "Only the list below": every source not listed is refused at connect', () => {
    const only = plan((raw) => (raw.servers[1].connect = { allow: ['127.0.0.0/24', '127.0.1.0/24'] }));
    const cases = byId(deriveMatrix(only).cases);
    for (const recipient of ['external', 'local']) {
      expect(cases[`${relay}/from-127.0.2.5/to-${recipient}`]).toMatchObject({
        expect: 'reject-at-connect',
        because: '127.0.2.5 is not in the connection list, and only the list below may connect',
      });
      expect(cases[`${relay}/from-127.0.9.0/24/to-${recipient}`]?.expect).toBe('reject-at-connect');
    }
    expect(cases[`${relay}/from-127.0.0.5/to-local`]?.expect).toBe('relay');
    expect(cases[`${relay}/from-127.0.0.10/to-external`]?.expect).toBe('relay');
    expect(cases[`${relay}/as-alice/to-external`]).toMatchObject({ source: '127.0.0.5', expect: 'relay' });
    // An accountSource outside the allow list cannot serve account cases.
    const outside = byId(
      deriveMatrix(
        plan((raw) => {
          raw.servers[1].connect = { allow: ['127.0.0.0/24'] };
          raw.accountSource = '127.0.3.3';
        }),
      ).cases,
    );
    expect(outside[`${relay}/as-alice/to-external`]?.unrunnable).toBe(
      "the plan's accountSource 127.0.3.3 is not in the connection list of SMTP Relay Virtual Server: account cases need a source that is neither, or the result would not show what the account may do",
    );
  });

  it('an empty allow list with no deny list refuses everyone; beside a deny list it is a leftover', () => {
    const nobody = byId(deriveMatrix(plan((raw) => (raw.servers[1].connect = { allow: [] }))).cases);
    expect(nobody[`${relay}/from-127.0.0.10/to-local`]?.expect).toBe('reject-at-connect');
    const leftover = byId(
      deriveMatrix(plan((raw) => (raw.servers[1].connect = { allow: [], deny: ['127.0.9.0/24'] }))).cases,
    );
    expect(leftover[`${relay}/from-127.0.0.10/to-local`]?.expect).toBe('relay');
    expect(leftover[`${relay}/from-127.0.9.0/24/to-local`]?.expect).toBe('reject-at-connect');
  });
});

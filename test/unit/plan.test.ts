// The plan format: valid plans load, every problem of an invalid one is named with its JSON path.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPlan, parsePlanText, planJsonSchema, type PlanInput, type PlanProblem } from '../../shared/plan.js';
import { parseRunText, RUN_LIMITS } from '../../shared/runSchema.js';
import { ROOT } from '../support/testbed.js';

const example = () => JSON.parse(readFileSync(path.join(ROOT, 'plans/example.json'), 'utf8'));

function problems(value: unknown): PlanProblem[] {
  const check = checkPlan(value);
  if (check.ok) throw new Error('expected the plan to be invalid');
  return check.problems;
}

describe('plan files', () => {
  it('the issue example and the test bed plan are valid, with defaults filled in', () => {
    const check = checkPlan(example());
    expect(check.ok).toBe(true);
    if (check.ok) {
      expect(check.plan.servers[0]?.relay).toEqual({ users: [], hosts: [] });
      expect(check.plan.servers[1]?.connect?.deny).toEqual(['127.0.9.0/24']);
    }
    expect(checkPlan(JSON.parse(readFileSync(path.join(ROOT, 'test/postfix/plan.json'), 'utf8'))).ok).toBe(true);
  });

  it('names every wrong field with its path', () => {
    const plan = example();
    plan.sender = 'helpdesk';
    plan.sources[1] = '10.0.0.0/40';
    plan.servers[1].port = 0;
    plan.servers[1].tls = 'maybe';
    plan.servers[1].relay.users.push('zoe');
    plan.extra = true;
    plan.accountSource = '127.0.0.256';
    const found = problems(plan);
    const paths = found.map((problem) => problem.path);
    expect(paths).toContain('$.sender');
    expect(paths).toContain('$.sources[1]');
    expect(paths).toContain('$.servers[1].port');
    expect(paths).toContain('$.servers[1].tls');
    expect(paths).toContain('$.accountSource');
    expect(found.find((problem) => problem.path === '$')?.message).toMatch(/extra/);
  });

  it('reports relay users that are not accounts and duplicate server names', () => {
    const plan = example();
    plan.servers[1].relay.users.push('zoe');
    plan.servers[1].name = plan.servers[0].name;
    const found = problems(plan);
    expect(found).toContainEqual({
      path: '$.servers[1].relay.users[2]',
      message: '"zoe" is not one of the plan\'s accounts',
    });
    expect(found).toContainEqual({
      path: '$.servers[1].name',
      message: 'Another server is already named "Default SMTP Virtual Server"',
    });
  });

  it('refuses a tricksAccount that may relay because any authenticated account may', () => {
    const plan = example();
    plan.servers[1].tricks = true;
    plan.servers[1].tricksAccount = 'mallory';
    expect(checkPlan(plan)).toMatchObject({ ok: true });
    plan.servers[1].relay.anyAuthenticated = true;
    expect(problems(plan)).toEqual([
      {
        path: '$.servers[1].tricksAccount',
        message:
          '"mallory" may relay on this server, since any account that authenticates may (relay.anyAuthenticated), so its address tricks would prove nothing; turn anyAuthenticated off or remove tricksAccount',
      },
    ]);
  });

  it('refuses a password anywhere in the plan', () => {
    const plan = example();
    plan.servers[0].relay.password = 'hunter2';
    const found = problems(plan);
    expect(found).toHaveLength(1);
    expect(found[0]?.path).toBe('$.servers[0].relay.password');
    expect(found[0]?.message).toMatch(/^Plans never hold passwords/);
    expect(JSON.stringify(found)).not.toContain('hunter2');
  });

  it('refuses an unknown version before anything else', () => {
    expect(problems({ ...example(), relayTesterPlan: 2 })).toEqual([
      { path: '$.relayTesterPlan', message: 'Unsupported plan version 2: this Relay Tester reads version 1' },
    ]);
  });

  it('refuses __proto__ keys and deep nesting', () => {
    const text = JSON.stringify(example()).replace('"name":"Relay', '"__proto__":{"polluted":true},"name":"Relay');
    const check = parsePlanText(text);
    expect(check.ok).toBe(false);
    if (!check.ok)
      expect(check.problems[0]).toEqual({
        path: '$.__proto__',
        message: 'The key "__proto__" is not allowed in a plan',
      });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    let deep: unknown = 1;
    for (let level = 0; level < 40; level += 1) deep = { $comment: deep };
    const nested = problems({ ...example(), $comment: deep });
    expect(nested[0]?.message).toMatch(/^The plan is nested deeper than 12 levels/);
  });

  it('refuses huge files and bad JSON with a clear message', () => {
    const huge = parsePlanText(`{"name":"${'x'.repeat(1_100_000)}"}`);
    expect(!huge.ok && huge.problems[0]?.message).toMatch(/larger than 1048576 bytes/);
    const broken = parsePlanText('{"relayTesterPlan": 1,');
    expect(!broken.ok && broken.problems[0]?.message).toMatch(/^Not valid JSON/);
  });

  it('says the same of a run file too large or not JSON, made visible, at its own limit', () => {
    const huge = parseRunText(' '.repeat(RUN_LIMITS.maxBytes + 1));
    expect(huge).toEqual({
      ok: false,
      cause: 'too-large',
      problems: [{ path: '$', message: `The file is larger than ${RUN_LIMITS.maxBytes} bytes` }],
    });
    const broken = parseRunText('{"planName": "\x1b]0;title\x07" x');
    expect(!broken.ok && broken.problems).toEqual([{ path: '$', message: expect.stringMatching(/^Not valid JSON: /) }]);
    expect(!broken.ok && broken.problems[0]?.message).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
    // Within the limit and JSON, the run's own checks speak.
    const notARun = parseRunText('{}');
    expect(!notARun.ok && notARun.problems[0]?.message).not.toMatch(/larger than|Not valid JSON/);
  });

  it('takes a SASL mechanism per server and per account, and NTLM settings, and names a wrong mechanism', () => {
    const plan = example();
    plan.servers[0].authMechanism = 'ntlm';
    plan.servers[0].ntlm = { domain: 'CORP', workstation: 'HELPDESK-PC' };
    plan.accountMechanisms = { [plan.accounts[0]]: 'xoauth2' };
    expect(checkPlan(plan).ok).toBe(true);
    plan.servers[0].authMechanism = 'gssapi';
    plan.servers[0].ntlm.domain = 'CORP\\x';
    expect(
      problems(plan)
        .map((problem) => problem.path)
        .sort(),
    ).toEqual(['$.servers[0].authMechanism', '$.servers[0].ntlm.domain']);
    delete plan.servers[0].authMechanism;
    delete plan.servers[0].ntlm;
    plan.accountMechanisms = { nobody: 'ntlm' };
    expect(problems(plan)).toEqual([
      { path: '$.accountMechanisms.nobody', message: '"nobody" is not one of the plan\'s accounts' },
    ]);
  });

  it.each([
    [
      'an OSC 52 clipboard write in the plan name',
      (plan: PlanInput) => (plan.name = 'Audit \x1b]52;c;ZXZpbA==\x07'),
      '$.name',
      '\\e',
    ],
    [
      'an OSC 0 title in a server name',
      (plan: PlanInput) => (plan.servers[0]!.name = 'x\x1b]0;owned\x07'),
      '$.servers[0].name',
      '\\e',
    ],
    [
      'a C1 CSI in a case title',
      (plan: PlanInput) => plan.cases!.push({ id: 'extra', title: 'a\u009b2J', expect: 'deny' }),
      '$.cases[0].title',
      '\\x9b',
    ],
    [
      'a bare CR in a banner',
      (plan: PlanInput) => (plan.servers[1]!.banner = 'corp.test\rPASS'),
      '$.servers[1].banner',
      '\\r',
    ],
    ['a tab in a comment', (plan: PlanInput) => (plan.$comment = 'a\tb'), '$.$comment', '\\t'],
    [
      'a bidi override in an account name',
      (plan: PlanInput) => (plan.accounts[0] = 'al\u202eice'),
      '$.accounts[0]',
      '\\u{202e}',
    ],
    [
      'DEL in a key of addresses',
      (plan: PlanInput) => (plan.addresses = { 'a\x7fb': 'a@corp.example' }),
      '$.addresses',
      '\\x7f',
    ],
  ])('refuses %s, naming the character visibly', (_name, spoil, at, shown) => {
    const plan = example();
    plan.cases = [];
    spoil(plan);
    const found = problems(plan);
    const problem = found.find((item) => item.path === at);
    expect(problem?.message).toContain(`control or invisible character ${shown}`);
    expect(problem?.message).toContain('plan text may not hold control characters');
    for (const item of found) expect(`${item.path} ${item.message}`).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202e]/);
  });

  it('quotes the JSON parse error without raw control characters', () => {
    const broken = parsePlanText('{"name": "\x1b]0;title\x07\u009b2J" x');
    expect(!broken.ok && broken.problems[0]?.message).toMatch(/^Not valid JSON/);
    expect(!broken.ok && broken.problems[0]?.message).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
  });

  it('the committed JSON Schema is the one generated from the schema definition', () => {
    const committed = JSON.parse(readFileSync(path.join(ROOT, 'docs/plan-format.schema.json'), 'utf8'));
    expect(committed).toEqual(planJsonSchema());
  });
});

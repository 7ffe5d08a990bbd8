// Why a JSON file can or cannot open as a plan, as Open lists it and import refuses it: the kind, the first
// problems in plain words, and every quoted byte of the file made visible.
import { describe, expect, it } from 'vitest';
import { checkPlanFileText, LISTED_PROBLEMS } from '../../shared/planFileCheck.js';
import { PLAN_LIMITS } from '../../shared/plan.js';

const plan = {
  relayTesterPlan: 1,
  name: 'Lockdown',
  domains: { local: ['corp.test'], external: 'external.example' },
  sender: 'helpdesk@corp.test',
  accounts: ['alice'],
  sources: ['127.0.0.5'],
  servers: [{ name: 'Relay', host: '127.0.0.2', port: 2525 }],
};

describe('a JSON file checked as a plan', () => {
  it('opens when it is a valid plan', () => {
    expect(checkPlanFileText(JSON.stringify(plan))).toMatchObject({ kind: 'plan', plan: { name: 'Lockdown' } });
  });

  it('names what it is when it is not a plan at all', () => {
    expect(checkPlanFileText('{"relayTesterRun": 1}')).toMatchObject({ kind: 'run-file', problemCount: 1 });
    expect(checkPlanFileText('{"name": "my-package"}')).toEqual({
      kind: 'not-a-plan',
      reasons: ['not a Relay Tester plan: it has no "relayTesterPlan" version field'],
      problemCount: 1,
    });
    expect(checkPlanFileText('[1, 2]')).toMatchObject({
      kind: 'not-a-plan',
      reasons: ['not a Relay Tester plan: a plan is a JSON object'],
    });
    expect(checkPlanFileText(' '.repeat(PLAN_LIMITS.maxBytes + 1))).toMatchObject({ kind: 'too-large' });
  });

  it('quotes a parser message with its control characters made visible', () => {
    const check = checkPlanFileText('{"a": "\u001b]0;owned\u0007');
    expect(check.kind).toBe('not-json');
    const reasons = 'reasons' in check ? check.reasons : [];
    expect(reasons[0]).toMatch(/^not valid JSON: /);
    expect(reasons.join('')).not.toMatch(/[\u0000-\u001f]/);
  });

  it('lists the first problems of an invalid plan with their paths, and how many there are in all', () => {
    const broken = {
      ...plan,
      sender: 'nobody',
      servers: [
        { name: 'A', host: '127.0.0.2', port: 70000 },
        { name: 'B', host: '127.0.0.3', port: 0 },
        { name: 'C', host: '127.0.0.4', port: -1 },
      ],
    };
    const check = checkPlanFileText(JSON.stringify(broken));
    if (check.kind !== 'invalid-plan') throw new Error(`expected an invalid plan, got ${check.kind}`);
    expect(check.reasons).toHaveLength(LISTED_PROBLEMS);
    expect(check.problemCount).toBeGreaterThan(LISTED_PROBLEMS);
    for (const reason of check.reasons) expect(reason).toMatch(/^\$\.(sender|servers\[\d\]\.port): /);
  });
});

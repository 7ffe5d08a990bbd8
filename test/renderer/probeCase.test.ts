// "Add to plan as a case": the probe becomes extra cases of the open plan that the plan accepts and the matrix
// runs with the expectation the user chose.
import { describe, expect, it } from 'vitest';
import { deriveMatrix } from '../../shared/matrix.js';
import { checkPlan } from '../../shared/plan.js';
import type { ProbeSettings } from '../../shared/probe.js';
import { addProbeAsCase, planServerFor, suggestedExpectation } from '../../renderer/probe/probeCase.js';

const plan = {
  relayTesterPlan: 1,
  name: 'Corp',
  domains: { local: ['corp.test'], external: 'external.example' },
  sender: 'helpdesk@corp.test',
  accounts: ['alice'],
  sources: ['127.0.0.5'],
  servers: [{ name: 'Relay', host: '127.0.0.2', port: 2525, relay: { users: ['alice'], hosts: [] } }],
};

const probe: ProbeSettings = {
  host: '127.0.0.2',
  port: 2525,
  tls: 'auto',
  certificate: { mode: 'verify' },
  source: '127.0.0.5',
  account: 'alice',
  helo: 'relay-tester.invalid',
  from: 'alice@corp.test',
  to: ['someone@external.example'],
};

describe('add a probe to the plan', () => {
  it('adds an extra case on the matching server that the matrix runs as chosen', () => {
    const result = addProbeAsCase(plan, { settings: probe, source: '127.0.0.5', expect: 'relay', addServer: false });
    if (!('plan' in result)) throw new Error(JSON.stringify(result));
    expect(result.changes).toEqual([]);
    const check = checkPlan(result.plan);
    if (!check.ok) throw new Error(JSON.stringify(check.problems));
    const added = deriveMatrix(check.plan).cases.find((testCase) => testCase.id === result.caseIds[0]);
    expect(added).toMatchObject({
      kind: 'extra',
      server: 'Relay',
      source: '127.0.0.5',
      account: 'alice',
      from: 'alice@corp.test',
      to: 'someone@external.example',
      expect: 'relay',
    });
    // The input plan is left as it was (the editor keeps it for undo).
    expect(plan).not.toHaveProperty('cases');
  });

  it('asks before adding a server, then adds it with the probe’s TLS settings', () => {
    const elsewhere = {
      ...probe,
      host: 'mx.corp.test',
      port: 25,
      certificate: { mode: 'pin' as const, sha256: 'ab'.repeat(32) },
    };
    expect(addProbeAsCase(plan, { settings: elsewhere, expect: 'deny', addServer: false })).toEqual({
      needsServer: 'mx.corp.test:25',
    });
    const result = addProbeAsCase(plan, { settings: elsewhere, expect: 'deny', addServer: true });
    if (!('plan' in result)) throw new Error(JSON.stringify(result));
    expect(result.changes[0]).toMatch(/added the server "Server mx.corp.test:25"/);
    expect(checkPlan(result.plan).ok).toBe(true);
    expect(planServerFor(result.plan, 'MX.corp.test', 25)).toBe('Server mx.corp.test:25');
  });

  it('adds an unknown account, one case per recipient, and never reuses an id', () => {
    const twice = { ...probe, account: 'carol', mechanism: 'ntlm' as const, to: ['a@external.example', 'b@corp.test'] };
    const first = addProbeAsCase(plan, { settings: twice, expect: 'deny', addServer: false });
    if (!('plan' in first)) throw new Error(JSON.stringify(first));
    expect(first.changes).toEqual(['added the account carol', 'carol signs in with NTLM']);
    const second = addProbeAsCase(first.plan, { settings: twice, expect: 'deny', addServer: false });
    if (!('plan' in second)) throw new Error(JSON.stringify(second));
    const ids = [...first.caseIds, ...second.caseIds];
    expect(new Set(ids).size).toBe(4);
    expect(checkPlan(second.plan).ok).toBe(true);
  });

  it('suggests the expectation the probe’s outcome shows', () => {
    expect(suggestedExpectation('recipient-accepted')).toBe('relay');
    expect(suggestedExpectation('recipient-rejected')).toBe('deny');
    expect(suggestedExpectation('rejected-at-connect')).toBe('reject-at-connect');
    expect(suggestedExpectation('auth-failed')).toBe('auth-fail');
    expect(suggestedExpectation('timeout')).toBeUndefined();
  });
});

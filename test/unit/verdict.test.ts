// Judging: expectation + outcome -> verdict with a reason; never a false pass.
import { describe, expect, it } from 'vitest';
import type { TestCase } from '../../shared/matrix.js';
import type { Outcome } from '../../shared/outcome.js';
import { judge } from '../../shared/verdict.js';

const base: TestCase = {
  id: 'x',
  title: 'x',
  kind: 'source',
  server: 's',
  expect: 'deny',
  because: '',
  recipient: 'external',
};
const testCase = (expect: TestCase['expect'], extra: Partial<TestCase> = {}): TestCase => ({
  ...base,
  expect,
  ...extra,
});
const outcome = (
  kind: Outcome['outcome'],
  code?: number,
  enhancedCode?: string,
  text = 'text',
  stage: Outcome['stage'] = 'rcpt',
): Outcome => ({
  outcome: kind,
  stage,
  code,
  enhancedCode,
  text,
});

describe('judging a case', () => {
  it('a relay refusal passes an expected denial, naming what the server said', () => {
    const judged = judge(testCase('deny'), outcome('recipient-rejected', 550, '5.7.1', 'Unable to relay'));
    expect(judged).toEqual({
      verdict: 'pass',
      reason: 'not relayed: the server refused to relay ("550 5.7.1 Unable to relay")',
    });
  });

  it('a refusal for another reason still passes but says what the server objected to', () => {
    expect(judge(testCase('deny'), outcome('recipient-rejected', 550, '5.1.1', 'User unknown')).reason).toMatch(
      /refused the recipient address itself, not the relaying/,
    );
    expect(judge(testCase('deny'), outcome('sender-rejected', 553, '5.7.1', 'Sender blocked', 'mail')).reason).toMatch(
      /refused the sender at MAIL FROM/,
    );
    expect(
      judge(testCase('deny'), outcome('recipient-rejected', 554, '5.7.1', 'Client host blocked using zen.spamhaus.org'))
        .reason,
    ).toContain('zen.spamhaus.org');
  });

  it('a temporary refusal of an expected denial passes with a warning; of an expected relay is inconclusive', () => {
    const denied = judge(testCase('deny'), outcome('temporary-failure', 454, '4.7.1', 'Relay access denied'));
    expect(denied.verdict).toBe('pass');
    expect(denied.warning).toMatch(/greylisting/);
    expect(judge(testCase('relay'), outcome('temporary-failure', 451, '4.7.1', 'Greylisted')).verdict).toBe(
      'inconclusive',
    );
  });

  it('an accepted relay fails an expected denial as an open relay', () => {
    const judged = judge(testCase('deny'), outcome('recipient-accepted', 250, '2.1.5', 'Ok'));
    expect(judged.verdict).toBe('fail');
    expect(judged.reason).toMatch(/^OPEN RELAY/);
  });

  it('an accepted relay passes an expected relay, saying RCPT is not proof of delivery', () => {
    const judged = judge(
      testCase('relay'),
      outcome('recipient-accepted', 251, undefined, 'User not local; will forward'),
    );
    expect(judged.verdict).toBe('pass');
    expect(judged.reason).toMatch(/not proof of delivery/);
    expect(judge(testCase('relay'), outcome('recipient-accepted', 250), { messageId: 'abc@x' }).reason).toContain(
      'Message-ID <abc@x>',
    );
  });

  it('failures of the dialog are never a pass', () => {
    for (const expectation of ['relay', 'deny', 'auth-fail', 'report', 'banner'] as const) {
      expect(judge(testCase(expectation), outcome('connect-failed')).verdict).toBe('error');
      expect(judge(testCase(expectation), outcome('protocol-error')).verdict).toBe('error');
      expect(judge(testCase(expectation), outcome('timeout')).verdict).toBe('inconclusive');
      expect(judge(testCase(expectation), outcome('cancelled')).verdict).toBe('cancelled');
    }
    expect(judge(testCase('deny'), outcome('tls-failed', 454, '4.7.0', 'TLS not available', 'starttls')).verdict).toBe(
      'error',
    );
  });

  it('judges nothing the server did not judge: a 4xx greeting, a 4xx before RCPT or a 421 anywhere is inconclusive', () => {
    const tooMany = outcome(
      'temporary-failure',
      421,
      '4.7.0',
      'Too many concurrent SMTP connections; please try again later',
      'greeting',
    );
    const cases = [
      testCase('deny'),
      testCase('relay'),
      testCase('reject-at-connect'),
      testCase('auth-fail'),
      testCase('report'),
      testCase('banner', { banner: 'relay.corp.test' }),
    ];
    const unjudged = [
      tooMany,
      outcome('temporary-failure', 450, '4.7.1', 'Service temporarily unavailable', 'greeting'),
      outcome('temporary-failure', 421, '4.7.0', 'Error: too many connections', 'ehlo'),
      outcome('temporary-failure', 451, '4.3.0', 'Try again later', 'mail'),
      outcome('temporary-failure', 454, '4.7.0', 'Temporary authentication failure', 'auth'),
      outcome('temporary-failure', 421, '4.4.2', 'Timeout exceeded, closing', 'rcpt'),
    ];
    for (const testCaseItem of cases) {
      for (const reply of unjudged) {
        const judged = judge(testCaseItem, reply, {
          greeting: reply.stage === 'greeting' ? reply.text : 'relay.corp.test ESMTP',
        });
        expect(judged.verdict, `${testCaseItem.expect} on ${reply.code} at ${reply.stage}`).toBe('inconclusive');
        expect(judged.reason).toContain(`temporary failure at ${reply.stage} before judging this case`);
      }
    }
    // The banner case does not read the 421 text as a banner that fails to name the server.
    expect(
      judge(testCase('banner', { banner: 'relay.corp.test' }), tooMany, { greeting: `421 ${tooMany.text}` }).reason,
    ).not.toMatch(/does not name/);
  });

  it('a 4xx at RCPT (other than 421) is the server answering about the recipient', () => {
    expect(
      judge(testCase('deny'), outcome('temporary-failure', 450, '4.7.1', 'Client host rejected: greylisted')).verdict,
    ).toBe('pass');
    expect(judge(testCase('relay'), outcome('temporary-failure', 450, '4.7.1', 'greylisted')).verdict).toBe(
      'inconclusive',
    );
  });

  it('a connection filter must refuse at greeting; a silent drop is inconclusive', () => {
    expect(
      judge(testCase('reject-at-connect'), outcome('rejected-at-connect', 554, '5.7.1', 'Access denied', 'greeting'))
        .verdict,
    ).toBe('pass');
    expect(judge(testCase('reject-at-connect'), outcome('recipient-rejected', 554)).verdict).toBe('fail');
    expect(judge(testCase('reject-at-connect'), outcome('connect-failed')).verdict).toBe('inconclusive');
  });

  it('a wrong password must be refused', () => {
    expect(
      judge(testCase('auth-fail'), outcome('auth-failed', 535, '5.7.8', 'authentication failed', 'auth')).verdict,
    ).toBe('pass');
    expect(judge(testCase('auth-fail'), outcome('recipient-accepted', 250)).reason).toBe(
      'the server ACCEPTED a wrong password',
    );
    expect(judge(testCase('deny'), outcome('auth-failed', 535, undefined, 'x', 'auth')).verdict).toBe('inconclusive');
  });

  it('checks the banner against the masquerade name', () => {
    const banner = testCase('banner', { banner: 'relay.corp.test' });
    expect(judge(banner, outcome('connected'), { greeting: 'relay.corp.test ESMTP' }).verdict).toBe('pass');
    expect(judge(banner, outcome('connected'), { greeting: 'EXCH01.corp.local Microsoft ESMTP' }).verdict).toBe('fail');
  });

  it('reports an approved user sending as someone else without failing it', () => {
    const judged = judge(
      testCase('report', { account: 'alice', from: 'bob@corp.test' }),
      outcome('recipient-accepted', 250),
    );
    expect(judged.verdict).toBe('pass');
    expect(judged.warning).toMatch(/senderMustMatchLogin/);
  });
});

// Judging one case: what the policy expected against what the server decided. Every verdict carries its reason
// in one sentence; a misbehaving server or an interrupted session never yields a pass.
import { labForwardProof } from './addressTricks.js';
import type { TestCase } from './matrix.js';
import type { Outcome } from './outcome.js';

/** `skipped`: not run, for a reason the run could not help (plan, machine, password). `cancelled`: not run, or not
 * finished, because the run was cancelled. `needs-review`: the server accepted an address trick that some servers
 * deliver locally and others forward (docs/address-tricks.md): never a pass, not proof of a relay either. */
export type Verdict = 'pass' | 'fail' | 'needs-review' | 'inconclusive' | 'error' | 'skipped' | 'cancelled';
export const VERDICTS: readonly Verdict[] = [
  'pass',
  'fail',
  'needs-review',
  'inconclusive',
  'error',
  'skipped',
  'cancelled',
];

export interface Judgement {
  verdict: Verdict;
  reason: string;
  /** Something true about a passing case that a reviewer should still read (temporary refusal, send-as-other). */
  warning?: string;
}

const NOT_DELIVERY_PROOF =
  'acceptance at RCPT is not proof of delivery (a server may bounce later); the DATA step gives proof';

function quoted(outcome: Outcome): string {
  const code =
    outcome.code !== undefined ? `${outcome.code}${outcome.enhancedCode ? ` ${outcome.enhancedCode}` : ''} ` : '';
  return `${code}${outcome.text}`.trim();
}

/** What a refusal at RCPT or MAIL objected to, read from the enhanced status code (RFC 3463 §3) where there is one. */
export function refusalReason(outcome: Outcome): string {
  const enhanced = outcome.enhancedCode ?? '';
  const subject = enhanced.split('.').slice(1).join('.');
  if (outcome.stage === 'mail') return `the server refused the sender at MAIL FROM ("${quoted(outcome)}")`;
  if (
    subject === '7.1' ||
    subject === '7.54' ||
    (subject === '4.1' && outcome.code !== undefined && outcome.code < 500)
  ) {
    return `the server refused to relay ("${quoted(outcome)}")`;
  }
  if (subject.startsWith('1.'))
    return `the server refused the recipient address itself, not the relaying ("${quoted(outcome)}")`;
  if (subject.startsWith('7.')) return `the server refused on a security policy ("${quoted(outcome)}")`;
  if (subject === '') return `the server refused the recipient ("${quoted(outcome)}")`;
  return `the server refused for another reason ("${quoted(outcome)}")`;
}

function notRun(outcome: Outcome): Judgement | undefined {
  switch (outcome.outcome) {
    case 'connect-failed':
      return { verdict: 'error', reason: `could not connect: ${outcome.text}` };
    case 'tls-failed':
      return { verdict: 'error', reason: `TLS failed at ${outcome.stage}: ${quoted(outcome)}` };
    case 'protocol-error':
      return { verdict: 'error', reason: `the server broke the SMTP protocol at ${outcome.stage}: ${outcome.text}` };
    case 'auth-unavailable':
      return { verdict: 'error', reason: `authentication could not be attempted: ${outcome.text}` };
    case 'unsupported':
      return { verdict: 'error', reason: `the case could not be run: ${outcome.text}` };
    case 'timeout':
      return { verdict: 'inconclusive', reason: `no answer in time at ${outcome.stage}: ${outcome.text}` };
    case 'cancelled':
      return { verdict: 'cancelled', reason: 'the run was cancelled during this case' };
    default:
      return undefined;
  }
}

/**
 * Whether the server stopped before it judged anything: a 4xx greeting or any 4xx before RCPT (connection limits,
 * "421 Too many concurrent SMTP connections", a server shutting down), or a 421 at any stage (RFC 5321 §3.8: the
 * service is closing the channel, not answering the command). A 4xx other than 421 at RCPT is the server's answer
 * about the recipient and is judged by the expectation.
 */
export function serverDidNotJudge(outcome: Outcome): boolean {
  if (outcome.outcome !== 'temporary-failure') return false;
  return outcome.code === 421 || (outcome.stage !== 'rcpt' && outcome.stage !== 'data');
}

export function judge(
  testCase: TestCase,
  outcome: Outcome,
  extra: { greeting?: string; messageId?: string } = {},
): Judgement {
  if (serverDidNotJudge(outcome)) {
    return {
      verdict: 'inconclusive',
      reason: `the server answered with a temporary failure at ${outcome.stage} before judging this case ("${quoted(outcome)}"); re-test later or with less concurrency`,
    };
  }
  if (testCase.expect === 'reject-at-connect') return judgeConnectRejection(outcome);
  if (
    outcome.outcome === 'connect-failed' ||
    outcome.outcome === 'protocol-error' ||
    outcome.outcome === 'timeout' ||
    outcome.outcome === 'cancelled' ||
    outcome.outcome === 'unsupported'
  ) {
    return notRun(outcome)!;
  }
  if (outcome.outcome === 'rejected-at-connect' && testCase.expect !== 'deny') {
    return { verdict: 'fail', reason: `the server refused the connection at greeting ("${quoted(outcome)}")` };
  }
  if (testCase.trick && testCase.expect === 'deny') return judgeTrick(testCase, outcome, extra.messageId);
  switch (testCase.expect) {
    case 'relay':
      return judgeRelay(testCase, outcome, extra.messageId);
    case 'deny':
      return judgeDeny(outcome);
    case 'auth-fail':
      return judgeAuthFailure(outcome);
    case 'banner':
      return judgeBanner(testCase, outcome, extra.greeting);
    case 'report':
      return judgeReport(testCase, outcome);
    default:
      return { verdict: 'error', reason: `unknown expectation ${String(testCase.expect)}` };
  }
}

function judgeRelay(testCase: TestCase, outcome: Outcome, messageId?: string): Judgement {
  const what = testCase.recipient === 'local' ? 'accepted the local recipient' : 'accepted the relay recipient';
  switch (outcome.outcome) {
    case 'recipient-accepted':
      return messageId
        ? { verdict: 'pass', reason: `the server ${what} and the test message (Message-ID <${messageId}>)` }
        : { verdict: 'pass', reason: `the server ${what} ("${quoted(outcome)}"); ${NOT_DELIVERY_PROOF}` };
    case 'temporary-failure':
      return {
        verdict: 'inconclusive',
        reason: `the server answered with a temporary failure ("${quoted(outcome)}"); re-test later`,
      };
    case 'recipient-rejected':
    case 'sender-rejected':
      return { verdict: 'fail', reason: `expected to be accepted, but ${refusalReason(outcome)}` };
    case 'auth-failed':
      return {
        verdict: 'fail',
        reason: `authentication failed ("${quoted(outcome)}"${outcome.detail ? `, ${outcome.detail}` : ''}); check the password`,
      };
    default:
      return notRun(outcome) ?? { verdict: 'error', reason: `unexpected outcome ${outcome.outcome}` };
  }
}

function judgeDeny(outcome: Outcome): Judgement {
  switch (outcome.outcome) {
    case 'recipient-rejected':
    case 'sender-rejected':
      return { verdict: 'pass', reason: `not relayed: ${refusalReason(outcome)}` };
    case 'rejected-at-connect':
      return {
        verdict: 'pass',
        reason: `not relayed: the server refused the connection at greeting ("${quoted(outcome)}")`,
      };
    case 'temporary-failure':
      return {
        verdict: 'pass',
        reason: `not relayed: the server refused with a temporary failure ("${quoted(outcome)}")`,
        warning: 'the refusal was temporary (4xx): re-test after greylisting windows to be sure it stays refused',
      };
    case 'recipient-accepted':
      return {
        verdict: 'fail',
        reason: `OPEN RELAY: the server accepted the relay recipient ("${quoted(outcome)}") although the policy denies it`,
      };
    case 'auth-failed':
      return {
        verdict: 'inconclusive',
        reason: `authentication failed ("${quoted(outcome)}"), so relaying as this account was not tested; check the password`,
      };
    default:
      return notRun(outcome) ?? { verdict: 'error', reason: `unexpected outcome ${outcome.outcome}` };
  }
}

/**
 * An address trick: refused (5xx at MAIL or RCPT, or a refusal at greeting) passes like any denied relay. Accepted,
 * it fails when the address plainly names the external destination or the lab proves it would forward; an address a
 * server may read as a local mailbox (percent hack, bang path, quoted local part) needs review, never a pass.
 */
function judgeTrick(testCase: TestCase, outcome: Outcome, messageId?: string): Judgement {
  const trick = testCase.trick!;
  if (outcome.outcome !== 'recipient-accepted') return judgeDeny(outcome);
  const accepted = `the server accepted RCPT TO:<${testCase.to ?? ''}> ("${quoted(outcome)}")`;
  const proof = labForwardProof(outcome.text);
  if (proof) {
    return {
      verdict: 'fail',
      reason: `OPEN RELAY through the ${trick.name}: ${accepted}, and the lab recorded that it would forward the mail to ${proof}`,
    };
  }
  if (trick.meaning === 'external') {
    return {
      verdict: 'fail',
      reason: `OPEN RELAY through the ${trick.name}: ${accepted}, an address whose destination is ${trick.destination}, although the policy denies relaying`,
    };
  }
  const ambiguity = `some servers treat such an address as a local mailbox of their own domain, others forward it to ${trick.destination}`;
  let confirm: string;
  if (trick.canary && messageId) {
    confirm = `the test message was accepted (Message-ID <${messageId}>): check the canary mailbox ${trick.canary}; if it arrived there, the server relays through this trick`;
  } else if (trick.canary) {
    confirm = `run with the DATA step (settings.data or --data) to send a test message, then check the canary mailbox ${trick.canary}`;
  } else {
    confirm =
      'to confirm, set a "canary" (an external mailbox you own) in the plan, run with the DATA step and check that mailbox, or read the server\'s logs for where it routed the address';
  }
  return {
    verdict: 'needs-review',
    reason: `address trick accepted (${trick.name}): ${accepted}; ${ambiguity}; ${confirm}`,
  };
}

function judgeConnectRejection(outcome: Outcome): Judgement {
  if (outcome.outcome === 'rejected-at-connect') {
    return { verdict: 'pass', reason: `the server refused the connection ("${quoted(outcome)}")` };
  }
  if (outcome.outcome === 'connect-failed' || outcome.outcome === 'timeout' || outcome.outcome === 'protocol-error') {
    return {
      verdict: 'inconclusive',
      reason: `no SMTP greeting (${outcome.text}): a filter may drop the connection, or the server may be down`,
    };
  }
  if (outcome.outcome === 'cancelled') return notRun(outcome)!;
  return {
    verdict: 'fail',
    reason: `the connection should have been refused, but the server greeted this client (outcome ${outcome.outcome}${outcome.code ? `: "${quoted(outcome)}"` : ''})`,
  };
}

function judgeAuthFailure(outcome: Outcome): Judgement {
  switch (outcome.outcome) {
    case 'auth-failed':
      return { verdict: 'pass', reason: `the wrong password was refused ("${quoted(outcome)}")` };
    case 'recipient-accepted':
    case 'recipient-rejected':
    case 'sender-rejected':
    case 'connected':
      return { verdict: 'fail', reason: 'the server ACCEPTED a wrong password' };
    case 'temporary-failure':
      return { verdict: 'inconclusive', reason: `the server answered with a temporary failure ("${quoted(outcome)}")` };
    default:
      return notRun(outcome) ?? { verdict: 'error', reason: `unexpected outcome ${outcome.outcome}` };
  }
}

function judgeBanner(testCase: TestCase, outcome: Outcome, greeting?: string): Judgement {
  if (greeting === undefined) return notRun(outcome) ?? { verdict: 'error', reason: 'no greeting was received' };
  const expected = testCase.banner ?? '';
  return greeting.toLowerCase().includes(expected.toLowerCase())
    ? { verdict: 'pass', reason: `the greeting names ${expected} ("${greeting}")` }
    : {
        verdict: 'fail',
        reason: `the greeting does not name ${expected}: "${greeting}" (it may reveal the physical server)`,
      };
}

function judgeReport(testCase: TestCase, outcome: Outcome): Judgement {
  switch (outcome.outcome) {
    case 'recipient-accepted':
      return {
        verdict: 'pass',
        reason: `reported: the server lets ${testCase.account ?? 'this user'} send as ${testCase.from ?? 'another address'} ("${quoted(outcome)}")`,
        warning: 'an authenticated user can send as someone else; set senderMustMatchLogin to require a match',
      };
    case 'recipient-rejected':
    case 'sender-rejected':
      return { verdict: 'pass', reason: `reported: the server refused: ${refusalReason(outcome)}` };
    case 'temporary-failure':
      return { verdict: 'inconclusive', reason: `the server answered with a temporary failure ("${quoted(outcome)}")` };
    case 'auth-failed':
      return { verdict: 'inconclusive', reason: `authentication failed ("${quoted(outcome)}"); check the password` };
    default:
      return notRun(outcome) ?? { verdict: 'error', reason: `unexpected outcome ${outcome.outcome}` };
  }
}

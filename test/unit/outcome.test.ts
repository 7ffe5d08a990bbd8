// What the server decided (shared/outcome.ts), judged from real replies of Exchange, Postfix and Exim: the same
// decision whatever the vendor's wording, a temporary refusal never taken for a denial, and the AUTH codes people
// mistake for a bad password.
import { describe, expect, it } from 'vitest';
import { classifyOutcome, type OutcomeKind } from '../../shared/outcome.js';
import { ReplyAssembler, type Reply } from '../../shared/reply.js';
import type { Exchange, SessionFailure, Stage } from '../../shared/session.js';

/** A reply parsed from its wire text by the real parser. */
function reply(wire: string): Reply {
  const assembler = new ReplyAssembler();
  for (const line of wire.split('\r\n')) {
    if (line === '') continue;
    const progress = assembler.feed(line);
    if (progress.kind === 'done') return progress.reply;
    if (progress.kind === 'error') throw new Error(progress.reason);
  }
  throw new Error(`incomplete reply: ${wire}`);
}

function exchange(stage: Stage, wire: string, recipient?: string): Exchange {
  const result: Exchange = { stage, reply: reply(wire) };
  if (recipient) result.recipient = recipient;
  return result;
}

const OPENING = [
  exchange('greeting', '220 mail.corp.test ESMTP'),
  exchange('ehlo', '250-mail.corp.test\r\n250 PIPELINING'),
];
const MAIL_OK = exchange('mail', '250 2.1.0 Ok');

/** The outcome of a dialog that got as far as RCPT, with `rcpt` as the answer to x@external.example. */
function afterRcpt(rcpt: string) {
  return classifyOutcome({ exchanges: [...OPENING, MAIL_OK, exchange('rcpt', rcpt, 'x@external.example')] });
}

describe('a relay refusal reads the same from every vendor', () => {
  it.each([
    ['Exchange', '550 5.7.1 Unable to relay', 550, '5.7.1', 'Unable to relay'],
    [
      'Exchange Online',
      '550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain',
      550,
      '5.7.54',
      'SMTP; Unable to relay recipient in non-accepted domain',
    ],
    [
      'Postfix',
      '554 5.7.1 <x@external.example>: Relay access denied',
      554,
      '5.7.1',
      '<x@external.example>: Relay access denied',
    ],
    ['Exim', '550 relay not permitted', 550, undefined, 'relay not permitted'],
  ])('%s: %s → recipient-rejected', (_vendor, wire, code, enhancedCode, text) => {
    const outcome = afterRcpt(wire);
    expect(outcome).toMatchObject({ outcome: 'recipient-rejected', stage: 'rcpt', code, text });
    expect(outcome.enhancedCode).toBe(enhancedCode);
    expect(outcome.recipients).toEqual([
      enhancedCode
        ? { address: 'x@external.example', code, enhancedCode, text }
        : { address: 'x@external.example', code, text },
    ]);
  });

  it('an accepted recipient is an accepted relay', () => {
    expect(afterRcpt('250 2.1.5 Ok')).toMatchObject({ outcome: 'recipient-accepted', code: 250 });
    expect(afterRcpt('251 2.1.5 User not local; will forward')).toMatchObject({
      outcome: 'recipient-accepted',
      code: 251,
    });
  });

  it('one accepted recipient among refused ones is still an open relay, and every answer is listed', () => {
    const outcome = classifyOutcome({
      exchanges: [
        ...OPENING,
        MAIL_OK,
        exchange('rcpt', '554 5.7.1 <a@external.example>: Relay access denied', 'a@external.example'),
        exchange('rcpt', '250 2.1.5 Ok', 'b@external.example'),
        exchange(
          'rcpt',
          '450 4.2.0 <c@external.example>: Recipient address rejected: Greylisted',
          'c@external.example',
        ),
      ],
    });
    expect(outcome).toMatchObject({ outcome: 'recipient-accepted', code: 250 });
    expect(outcome.recipients?.map((recipient) => [recipient.address, recipient.code])).toEqual([
      ['a@external.example', 554],
      ['b@external.example', 250],
      ['c@external.example', 450],
    ]);
  });

  it('a temporary refusal among permanent ones is not a denial', () => {
    const outcome = classifyOutcome({
      exchanges: [
        ...OPENING,
        MAIL_OK,
        exchange('rcpt', '554 5.7.1 Relay access denied', 'a@external.example'),
        exchange('rcpt', '451 4.7.1 Please try again later', 'b@external.example'),
      ],
    });
    expect(outcome).toMatchObject({ outcome: 'temporary-failure', code: 451 });
  });
});

describe('temporary refusals are never read as denials', () => {
  it.each([
    ['Postfix', '454 4.7.1 <x@external.example>: Relay access denied', 454],
    [
      'Postgrey',
      '450 4.2.0 <x@external.example>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/external.example.html',
      450,
    ],
    ['greylisting', '451 4.7.1 Please try again later', 451],
    ['sqlgrey', '451 Greylisted for 5 minutes (0)', 451],
  ])('%s: %s → temporary-failure', (_vendor, wire, code) => {
    expect(afterRcpt(wire)).toMatchObject({ outcome: 'temporary-failure', stage: 'rcpt', code });
  });

  const stages: [Stage, Exchange[]][] = [
    ['greeting', []],
    ['ehlo', OPENING.slice(0, 1)],
    ['helo', [...OPENING.slice(0, 1), exchange('ehlo', '502 5.5.2 Error: command not recognized')]],
    ['starttls', OPENING],
    ['auth', OPENING],
    ['mail', OPENING],
    ['rcpt', [...OPENING, MAIL_OK]],
    ['rset', [...OPENING, MAIL_OK]],
  ];

  it('a 421 after RCPT was answered does not undo the relay decision', () => {
    const accepted = exchange('rcpt', '250 2.1.5 Ok', 'x@external.example');
    const closing = exchange('data', '421 4.3.2 Service shutting down');
    expect(classifyOutcome({ exchanges: [...OPENING, MAIL_OK, accepted, closing] })).toMatchObject({
      outcome: 'recipient-accepted',
      stage: 'rcpt',
      code: 250,
    });
    const refused = exchange('rcpt', '554 5.7.1 Relay access denied', 'x@external.example');
    expect(
      classifyOutcome({ exchanges: [...OPENING, MAIL_OK, refused, exchange('rset', '421 4.3.2 bye')] }),
    ).toMatchObject({
      outcome: 'recipient-rejected',
    });
  });

  it.each(stages)('421 at %s → temporary-failure, the server closing', (stage, before) => {
    const outcome = classifyOutcome({
      exchanges: [
        ...before,
        exchange(stage, '421 4.3.2 mail.corp.test Service not available, closing transmission channel'),
      ],
    });
    expect(outcome).toMatchObject({
      outcome: 'temporary-failure',
      stage,
      code: 421,
      enhancedCode: '4.3.2',
      text: 'mail.corp.test Service not available, closing transmission channel',
      detail: 'server closing the connection',
    });
  });

  it('an unterminated 421 keeps its text', () => {
    const unterminated: Reply = { code: 421, lines: ['Timeout exceeded'], unterminated: true };
    expect(classifyOutcome({ exchanges: [{ stage: 'greeting', reply: unterminated }] })).toMatchObject({
      outcome: 'temporary-failure',
      text: 'Timeout exceeded',
    });
  });

  it('a 4xx to MAIL is temporary, a 5xx to MAIL is the sender refused', () => {
    expect(
      classifyOutcome({ exchanges: [...OPENING, exchange('mail', '451 4.3.0 Temporary lookup failure')] }),
    ).toMatchObject({
      outcome: 'temporary-failure',
      stage: 'mail',
    });
    expect(
      classifyOutcome({
        exchanges: [...OPENING, exchange('mail', '553 5.7.1 <a@b>: Sender address rejected: not owned by user')],
      }),
    ).toMatchObject({ outcome: 'sender-rejected', code: 553, enhancedCode: '5.7.1' });
  });
});

describe('refusals before the envelope', () => {
  it('a Postfix greeting that refuses the client host → rejected-at-connect', () => {
    const outcome = classifyOutcome({
      exchanges: [exchange('greeting', '554 5.7.1 <unknown[127.0.9.5]>: Client host rejected: Access denied')],
    });
    expect(outcome).toMatchObject({
      outcome: 'rejected-at-connect',
      stage: 'greeting',
      code: 554,
      enhancedCode: '5.7.1',
      text: '<unknown[127.0.9.5]>: Client host rejected: Access denied',
    });
  });

  it('a 199 greeting → rejected-at-connect; a 4xx greeting → temporary-failure', () => {
    expect(classifyOutcome({ exchanges: [exchange('greeting', '199 what')] }).outcome).toBe('rejected-at-connect');
    expect(classifyOutcome({ exchanges: [exchange('greeting', '450 too busy')] }).outcome).toBe('temporary-failure');
  });

  it('a refused EHLO followed by an accepted HELO decides nothing; a refused HELO does', () => {
    const refusedEhlo = [OPENING[0]!, exchange('ehlo', '500 5.5.1 Command unrecognized')];
    expect(
      classifyOutcome({
        exchanges: [...refusedEhlo, exchange('helo', '250 mail.corp.test'), MAIL_OK, exchange('rcpt', '250 Ok', 'x@y')],
      }),
    ).toMatchObject({ outcome: 'recipient-accepted' });
    expect(classifyOutcome({ exchanges: [...refusedEhlo, exchange('helo', '550 5.7.1 go away')] })).toMatchObject({
      outcome: 'rejected-at-connect',
      stage: 'helo',
      detail: 'HELO refused',
    });
  });

  it('a refused STARTTLS → tls-failed', () => {
    expect(
      classifyOutcome({
        exchanges: [...OPENING, exchange('starttls', '454 4.7.0 TLS not available due to local problem')],
      }),
    ).toMatchObject({ outcome: 'tls-failed', code: 454, detail: 'STARTTLS refused' });
  });
});

describe('AUTH replies say what went wrong, not just "bad password"', () => {
  it.each([
    ['535 5.7.3 Authentication unsuccessful', 'auth-failed', 'authentication credentials invalid'],
    [
      '535 5.7.8 Error: authentication failed: authentication failure',
      'auth-failed',
      'authentication credentials invalid',
    ],
    [
      '538 5.7.11 Encryption required for requested authentication mechanism',
      'auth-failed',
      'encryption required for this authentication mechanism',
    ],
    ['530 5.7.0 Must issue a STARTTLS command first', 'auth-failed', 'authentication required'],
    ['534 5.7.9 Authentication mechanism is too weak', 'auth-failed', 'authentication mechanism is too weak'],
    ['501 5.7.0 Authentication aborted', 'auth-failed', 'authentication cancelled or malformed'],
    ['454 4.7.0 Temporary authentication failure', 'temporary-failure', 'temporary authentication failure'],
    ['504 5.5.4 Unrecognized authentication type', 'auth-unavailable', 'mechanism not supported'],
  ] as const)('%s → %s (%s)', (wire, kind: OutcomeKind, detail) => {
    const outcome = classifyOutcome({
      exchanges: [...OPENING, exchange('auth', '334 VXNlcm5hbWU6'), exchange('auth', wire)],
    });
    expect(outcome).toMatchObject({ outcome: kind, stage: 'auth', detail });
  });

  it('a multi-line 535 keeps every line in the text', () => {
    const outcome = classifyOutcome({
      exchanges: [
        ...OPENING,
        exchange(
          'auth',
          '535-5.7.8 Username and Password not accepted.\r\n535 5.7.8 Learn more at https://support.example/',
        ),
      ],
    });
    expect(outcome.text).toBe('Username and Password not accepted. Learn more at https://support.example/');
  });

  it('a successful AUTH decides nothing by itself', () => {
    const outcome = classifyOutcome({
      exchanges: [
        ...OPENING,
        exchange('auth', '334 VXNlcm5hbWU6'),
        exchange('auth', '235 2.7.0 Authentication successful'),
        MAIL_OK,
        exchange('rcpt', '250 2.1.5 Ok', 'x@y'),
      ],
    });
    expect(outcome.outcome).toBe('recipient-accepted');
  });
});

describe('when no reply decided', () => {
  it.each([
    ['connect', 'connect-failed'],
    ['timeout', 'timeout'],
    ['closed', 'protocol-error'],
    ['protocol', 'protocol-error'],
    ['tls', 'tls-failed'],
    ['auth-unavailable', 'auth-unavailable'],
    ['cancelled', 'cancelled'],
  ] as const)("a %s failure → %s, with the engine's explanation", (kind, outcomeKind) => {
    const failure: SessionFailure = { kind, stage: 'ehlo', message: `the ${kind} explanation` };
    expect(classifyOutcome({ exchanges: OPENING.slice(0, 1), failure })).toEqual({
      outcome: outcomeKind,
      stage: 'ehlo',
      text: `the ${kind} explanation`,
    });
  });

  it('a dialog without an envelope that nobody refused → connected', () => {
    expect(classifyOutcome({ exchanges: OPENING })).toMatchObject({ outcome: 'connected', stage: 'quit' });
  });

  it('a reply that decided outranks a later failure', () => {
    const failure: SessionFailure = { kind: 'timeout', stage: 'quit', message: 'no reply to QUIT' };
    expect(
      classifyOutcome({
        exchanges: [...OPENING, MAIL_OK, exchange('rcpt', '550 5.7.1 Unable to relay', 'x@y')],
        failure,
      }),
    ).toMatchObject({ outcome: 'recipient-rejected' });
  });
});

describe('server text in an outcome is made visible', () => {
  it('escape sequences, NUL and bidi controls in a reply and in a failure message become visible escapes', () => {
    const hostile: Reply = {
      code: 554,
      enhancedCode: '5.7.1',
      lines: ['5.7.1 \x1b]0;owned\x07denied\0 \u202egnp.exe'],
    };
    const outcome = classifyOutcome({ exchanges: [{ stage: 'greeting', reply: hostile }] });
    expect(outcome.text).toBe('\\e]0;owned\\x07denied\\0 \\u{202e}gnp.exe');
    const failed = classifyOutcome({
      exchanges: [],
      failure: { kind: 'protocol', stage: 'greeting', message: 'not an SMTP reply line: "\x1b[2Jhello"' },
    });
    expect(failed.text).toBe('not an SMTP reply line: "\\e[2Jhello"');
    for (const text of [outcome.text, failed.text]) expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
  });
});

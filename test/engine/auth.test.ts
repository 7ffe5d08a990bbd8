// AUTH against a scripted fake server: the exact bytes of LOGIN, PLAIN (RFC 4616) and CRAM-MD5 (RFC 2195), the
// choice of mechanism, and docs/reliability.md §15 and §16.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuthMechanism } from '../../shared/session.js';
import { ehloReply, fakeServer, script, type FakeConnection, type Turn } from './fakeServer.js';
import { FROM, HELO, TO, expectNothingOpen, probe, specFor, texts } from './harness.js';

const USER = 'alice';
const PASSWORD = 'Wonder-land-42';
const GREETING = '220 fake.test ESMTP\r\n';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** An EHLO reply offering `mechanisms`, and the turns of the envelope after a successful AUTH. */
function ehloWith(mechanisms: string): string {
  return ehloReply(['PIPELINING', `AUTH ${mechanisms}`, '8BITMIME']);
}
const ENVELOPE: Turn[] = [
  [`MAIL FROM:<${FROM}>`, '250 2.1.0 Ok\r\n'],
  [`RCPT TO:<${TO}>`, '250 2.1.5 Ok\r\n'],
  ['RSET', '250 2.0.0 Ok\r\n'],
  ['QUIT', '221 2.0.0 Bye\r\n'],
];
const ENVELOPE_BYTES = `MAIL FROM:<${FROM}>\r\nRCPT TO:<${TO}>\r\nRSET\r\nQUIT\r\n`;

function authSpec(port: number, mechanism?: AuthMechanism, user = USER, password = PASSWORD) {
  const auth: { user: string; password: string; mechanism?: AuthMechanism } = { user, password };
  if (mechanism) auth.mechanism = mechanism;
  return specFor(port, { auth });
}

describe('each AUTH mechanism puts exactly the expected bytes on the wire', () => {
  it('PLAIN sends the RFC 4616 blob as an initial response and shows it masked', async () => {
    const blob = b64(`\0${USER}\0${PASSWORD}`);
    const server = await fakeServer(
      script(GREETING, [
        [`EHLO ${HELO}`, ehloWith('PLAIN LOGIN')],
        [`AUTH PLAIN ${blob}`, '235 2.7.0 Authentication successful\r\n'],
        ...ENVELOPE,
      ]),
    );
    const { result, outcome } = await probe(authSpec(server.port, 'plain'));
    expect((await server.connection()).receivedText).toBe(`EHLO ${HELO}\r\nAUTH PLAIN ${blob}\r\n${ENVELOPE_BYTES}`);
    expect(texts(result, 'client')).toContain(`AUTH PLAIN <credentials for ${USER} hidden>`);
    expect(result.exchanges.find((exchange) => exchange.stage === 'auth')?.command).toBe(
      `AUTH PLAIN <credentials for ${USER} hidden>`,
    );
    expect(outcome.outcome).toBe('recipient-accepted');
    await expectNothingOpen(server);
  });

  it('LOGIN answers the Username: and Password: challenges with base64 and shows them masked', async () => {
    const server = await fakeServer(
      script(GREETING, [
        [`EHLO ${HELO}`, ehloWith('LOGIN')],
        ['AUTH LOGIN', '334 VXNlcm5hbWU6\r\n'],
        [b64(USER), '334 UGFzc3dvcmQ6\r\n'],
        [b64(PASSWORD), '235 2.7.0 Authentication successful\r\n'],
        ...ENVELOPE,
      ]),
    );
    const { result, outcome } = await probe(authSpec(server.port, 'login'));
    expect((await server.connection()).receivedText).toBe(
      `EHLO ${HELO}\r\nAUTH LOGIN\r\n${b64(USER)}\r\n${b64(PASSWORD)}\r\n${ENVELOPE_BYTES}`,
    );
    expect(texts(result, 'client').slice(1, 4)).toEqual(['AUTH LOGIN', `<username: ${USER}>`, '<password hidden>']);
    expect(outcome.outcome).toBe('recipient-accepted');
  });

  it('LOGIN answers a server that asks for the password first in the order it asks', async () => {
    const server = await fakeServer(
      script(GREETING, [
        [`EHLO ${HELO}`, ehloWith('LOGIN')],
        ['AUTH LOGIN', '334 UGFzc3dvcmQ6\r\n'],
        [b64(PASSWORD), '334 VXNlcm5hbWU6\r\n'],
        [b64(USER), '235 2.7.0 Authentication successful\r\n'],
        ...ENVELOPE,
      ]),
    );
    const { outcome } = await probe(authSpec(server.port, 'login'));
    expect(outcome.outcome).toBe('recipient-accepted');
  });

  it('CRAM-MD5 answers with the user and the HMAC-MD5 of the challenge (RFC 2195 example)', async () => {
    const challenge = '<1896.697170952@postoffice.reston.mci.net>';
    const server = await fakeServer(
      script(GREETING, [
        [`EHLO ${HELO}`, ehloWith('CRAM-MD5')],
        ['AUTH CRAM-MD5', `334 ${b64(challenge)}\r\n`],
        ['dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw', '235 2.7.0 Authentication successful\r\n'],
        ...ENVELOPE,
      ]),
    );
    const { outcome, result } = await probe(authSpec(server.port, 'cram-md5', 'tim', 'tanstaaftanstaaf'));
    expect(outcome.outcome).toBe('recipient-accepted');
    expect(texts(result, 'client')).toContain('<CRAM-MD5 response for tim hidden>');
  });

  it('CRAM-MD5 computes the HMAC over the challenge the server sent this time', async () => {
    const challenge = `<${Date.now()}.${process.pid}@fake.test>`;
    const digest = createHmac('md5', PASSWORD).update(challenge).digest('hex');
    const server = await fakeServer(
      script(GREETING, [
        [`EHLO ${HELO}`, ehloWith('CRAM-MD5')],
        ['AUTH CRAM-MD5', `334 ${b64(challenge)}\r\n`],
        [b64(`${USER} ${digest}`), '235 2.7.0 Authentication successful\r\n'],
        ...ENVELOPE,
      ]),
    );
    const { outcome } = await probe(authSpec(server.port, 'cram-md5'));
    expect((await server.connection()).receivedText).toBe(
      `EHLO ${HELO}\r\nAUTH CRAM-MD5\r\n${b64(`${USER} ${digest}`)}\r\n${ENVELOPE_BYTES}`,
    );
    expect(outcome.outcome).toBe('recipient-accepted');
  });
});

describe('choosing a mechanism', () => {
  it.each([
    ['PLAIN LOGIN CRAM-MD5', 'AUTH CRAM-MD5'],
    ['LOGIN PLAIN', 'AUTH PLAIN '],
    ['GSSAPI NTLM LOGIN', 'AUTH NTLM '], // Exchange's offer: NTLM keeps the password off the wire
    ['GSSAPI LOGIN', 'AUTH LOGIN'],
  ])('without TLS, from "AUTH %s" picks the one that best hides the password', async (offered, expected) => {
    const server = await fakeServer(async (connection) => {
      await connection.send(GREETING);
      await connection.expect(`EHLO ${HELO}`);
      await connection.send(ehloWith(offered));
      await connection.line();
      await connection.send('535 5.7.8 Error: authentication failed\r\n');
      await connection.expect('QUIT');
      await connection.send('221 Bye\r\n');
    });
    await probe(authSpec(server.port));
    expect((await server.connection()).lines[1]?.text.startsWith(expected)).toBe(true);
  });

  it('understands the pre-RFC "AUTH=LOGIN" line of Exchange 2003', async () => {
    const server = await fakeServer(
      script('220 mail.contoso.com Microsoft ESMTP MAIL Service, Version: 6.0.3790.4675 ready\r\n', [
        [
          `EHLO ${HELO}`,
          ehloReply(
            [
              'TURN',
              'SIZE',
              'PIPELINING',
              'DSN',
              'ENHANCEDSTATUSCODES',
              '8bitmime',
              'X-EXPS GSSAPI NTLM',
              'AUTH=LOGIN',
              'OK',
            ],
            'mail.contoso.com Hello [127.0.0.1]',
          ),
        ],
        ['AUTH LOGIN', '334 VXNlcm5hbWU6\r\n'],
        [b64(USER), '334 UGFzc3dvcmQ6\r\n'],
        [b64(PASSWORD), '535 5.7.3 Authentication unsuccessful\r\n'],
        ['QUIT', '221 2.0.0 mail.contoso.com Service closing transmission channel\r\n'],
      ]),
    );
    const { outcome, result } = await probe(authSpec(server.port));
    expect(result.capabilities?.authMechanisms).toEqual(['LOGIN']);
    expect(outcome).toMatchObject({
      outcome: 'auth-failed',
      stage: 'auth',
      code: 535,
      enhancedCode: '5.7.3',
      text: 'Authentication unsuccessful',
      detail: 'authentication credentials invalid',
    });
  });

  it('reports a requested mechanism the server does not offer as auth-unavailable, and sends no AUTH', async () => {
    const server = await fakeServer(
      script(GREETING, [
        [`EHLO ${HELO}`, ehloWith('LOGIN')],
        ['QUIT', '221 Bye\r\n'],
      ]),
    );
    const { outcome } = await probe(authSpec(server.port, 'cram-md5'));
    expect(outcome).toMatchObject({ outcome: 'auth-unavailable', stage: 'auth' });
    expect(outcome.text).toBe('the server does not offer AUTH CRAM-MD5 (offered: LOGIN)');
    expect((await server.connection()).receivedText).toBe(`EHLO ${HELO}\r\nQUIT\r\n`);
  });
});

describe('AUTH without TLS and the replies people misread (reliability §15)', () => {
  it.each(['plain', 'login'] as const)('%s without TLS leaves a warning in the transcript', async (mechanism) => {
    const server = await fakeServer(async (connection) => {
      await connection.send(GREETING);
      await connection.expect(`EHLO ${HELO}`);
      await connection.send(ehloWith('PLAIN LOGIN'));
      await connection.expect(/^AUTH /);
      await connection.send('235 2.7.0 ok\r\n');
      for (const [expected, reply] of ENVELOPE) {
        await connection.expect(expected);
        await connection.send(reply);
      }
    });
    const { result } = await probe(authSpec(server.port, mechanism));
    const warnings = result.events.filter((event) => event.type === 'note' && event.level === 'warning');
    expect(warnings.map((event) => (event.type === 'note' ? event.text : ''))).toContain(
      'AUTH on an unencrypted connection: the credentials cross the network readable by anyone on the path',
    );
    // The warning comes before the credentials are sent.
    const warningIndex = result.events.indexOf(warnings[0]!);
    const authIndex = result.events.findIndex((event) => event.type === 'client' && event.text.startsWith('AUTH'));
    expect(warningIndex).toBeLessThan(authIndex);
  });

  it.each([
    [
      '538 5.7.11 Encryption required for requested authentication mechanism',
      538,
      'encryption required for this authentication mechanism',
    ],
    ['530 5.7.0 Authentication required', 530, 'authentication required'],
    ['535 5.7.8 Error: authentication failed: authentication failure', 535, 'authentication credentials invalid'],
    ['534 5.7.9 Authentication mechanism is too weak', 534, 'authentication mechanism is too weak'],
  ])('reports "%s" as auth-failed with its meaning, not as a bad password', async (line, code, detail) => {
    const blob = b64(`\0${USER}\0${PASSWORD}`);
    const server = await fakeServer(
      script(GREETING, [
        [`EHLO ${HELO}`, ehloWith('PLAIN')],
        [`AUTH PLAIN ${blob}`, `${line}\r\n`],
        ['QUIT', '221 Bye\r\n'],
      ]),
    );
    const { outcome } = await probe(authSpec(server.port, 'plain'));
    expect(outcome).toMatchObject({ outcome: 'auth-failed', stage: 'auth', code, detail });
    expect((await server.connection()).receivedText).toBe(`EHLO ${HELO}\r\nAUTH PLAIN ${blob}\r\nQUIT\r\n`);
  });

  it('reports 454 to AUTH as a temporary failure', async () => {
    const server = await fakeServer(
      script(GREETING, [
        [`EHLO ${HELO}`, ehloWith('PLAIN')],
        [/^AUTH PLAIN /, '454 4.7.0 Temporary authentication failure\r\n'],
        ['QUIT', '221 Bye\r\n'],
      ]),
    );
    const { outcome } = await probe(authSpec(server.port, 'plain'));
    expect(outcome).toMatchObject({
      outcome: 'temporary-failure',
      code: 454,
      detail: 'temporary authentication failure',
    });
  });
});

describe('AUTH edge cases (reliability §16)', () => {
  /** A server that answers every AUTH line with 334 `challenge`, `rounds` times, then `final`. */
  function challenging(challenge: string, rounds: number, final = '501 5.7.0 Authentication cancelled\r\n') {
    return async (connection: FakeConnection) => {
      await connection.send(GREETING);
      await connection.expect(`EHLO ${HELO}`);
      await connection.send(ehloWith('LOGIN PLAIN CRAM-MD5'));
      await connection.expect(/^AUTH /);
      for (let round = 0; round < rounds; round += 1) {
        await connection.send(`334 ${challenge}\r\n`);
        await connection.line();
      }
      await connection.send(final);
      await connection.expect('QUIT');
      await connection.send('221 Bye\r\n');
    };
  }

  /** The client's lines between AUTH and QUIT. */
  function authLines(connection: FakeConnection): string[] {
    const lines = connection.lines.map((line) => line.text);
    const quit = lines.indexOf('QUIT');
    return lines.slice(
      lines.findIndex((line) => line.startsWith('AUTH')),
      quit === -1 ? undefined : quit,
    );
  }

  it('cancels endless challenges with "*" after a few rounds', async () => {
    const server = await fakeServer(challenging(b64('Username:'), 5));
    const { outcome, result } = await probe(authSpec(server.port, 'login'));
    const lines = authLines(await server.connection());
    expect(lines).toEqual(['AUTH LOGIN', b64(USER), b64(USER), b64(USER), b64(USER), '*']);
    expect(texts(result, 'note')).toContain('the server sent more than 4 AUTH challenges; cancelling');
    expect(outcome).toMatchObject({
      outcome: 'auth-failed',
      code: 501,
      detail: 'authentication cancelled or malformed',
    });
  });

  it('gives up on a server that keeps challenging after "*" instead of looping forever', async () => {
    const server = await fakeServer(challenging(b64('Username:'), 40));
    const { outcome, result } = await probe(authSpec(server.port, 'login'));
    const lines = authLines(await server.connection());
    expect(lines.filter((line) => line === '*')).toEqual(['*']);
    expect(lines.at(-1)).toBe('*');
    expect(outcome).toMatchObject({ outcome: 'protocol-error', stage: 'auth' });
    expect(outcome.text).toContain('after the client cancelled');
    expect(result.events.filter((event) => event.type === 'client').length).toBeLessThan(10);
    await expectNothingOpen(server);
  });

  it.each([
    ['not base64 at all', 'this is not base64!'],
    ['a truncated quantum', 'VXNlcm5hbWU'],
  ])('answers a challenge that is %s with "*"', async (_name, challenge) => {
    const server = await fakeServer(challenging(challenge, 1));
    const { outcome, result } = await probe(authSpec(server.port, 'login'));
    expect(authLines(await server.connection())).toEqual(['AUTH LOGIN', '*']);
    expect(texts(result, 'note')).toContain('the AUTH challenge is not valid base64; cancelling');
    expect(outcome).toMatchObject({ outcome: 'auth-failed', code: 501 });
  });

  it('answers a second CRAM-MD5 challenge and any PLAIN challenge with "*"', async () => {
    const cram = await fakeServer(challenging(b64('<1.2@fake.test>'), 2));
    await probe(authSpec(cram.port, 'cram-md5'));
    const cramLines = authLines(await cram.connection());
    expect(cramLines).toHaveLength(3);
    expect(cramLines[2]).toBe('*');

    const plain = await fakeServer(challenging('', 1));
    await probe(authSpec(plain.port, 'plain'));
    const plainLines = authLines(await plain.connection());
    expect(plainLines).toEqual([`AUTH PLAIN ${b64(`\0${USER}\0${PASSWORD}`)}`, '*']);
  });

  it('keeps every line of a multi-line 535', async () => {
    const server = await fakeServer(
      script(GREETING, [
        [`EHLO ${HELO}`, ehloWith('PLAIN')],
        [
          /^AUTH PLAIN /,
          '535-5.7.8 Username and Password not accepted. For more information, go to\r\n' +
            '535-5.7.8 https://support.example/mail/?p=BadCredentials\r\n' +
            '535 5.7.8 Contact your administrator. x3-20020a05\r\n',
        ],
        ['QUIT', '221 Bye\r\n'],
      ]),
    );
    const { outcome, result } = await probe(authSpec(server.port, 'plain'));
    expect(outcome).toMatchObject({ outcome: 'auth-failed', code: 535, enhancedCode: '5.7.8' });
    expect(outcome.text).toBe(
      'Username and Password not accepted. For more information, go to ' +
        'https://support.example/mail/?p=BadCredentials Contact your administrator. x3-20020a05',
    );
    expect(result.exchanges.find((exchange) => exchange.stage === 'auth')?.reply.lines).toHaveLength(3);
    expect(texts(result, 'server').filter((line) => line.startsWith('535'))).toHaveLength(3);
  });
});

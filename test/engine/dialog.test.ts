// The dialog against a scripted fake server: exact client bytes, HELO fallback and the dialog cases of
// docs/reliability.md, §1–11, 17 and 18.
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { InputError, type SessionSpec, type Step } from '../../main/smtp/sessionSpec.js';
import { runSession } from '../../main/smtp/session.js';
import { ehloReply, fakeServer, refuseRelay, script, type FakeConnection } from './fakeServer.js';
import { FROM, HELO, TO, expectNothingOpen, probe, resourceBaseline, specFor, texts } from './harness.js';

/** The dialog that sends a message: EHLO, MAIL, RCPT, DATA, QUIT. */
const DATA_DIALOG: Step[] = [
  { kind: 'ehlo' },
  { kind: 'mail', from: FROM },
  { kind: 'rcpt', to: TO },
  { kind: 'data' },
  { kind: 'quit' },
];

const GREETING = '220 fake.test ESMTP ready\r\n';
const EHLO = ehloReply(['PIPELINING', 'SIZE 10240000', '8BITMIME']);

/** Greeting and EHLO, then `rest`. */
async function opening(connection: FakeConnection): Promise<void> {
  await connection.send(GREETING);
  await connection.expect(`EHLO ${HELO}`);
  await connection.send(EHLO);
}

describe('a relay test dialog', () => {
  it('sends EHLO, MAIL, RCPT, RSET and QUIT, byte for byte, and reports the refusal', async () => {
    const before = resourceBaseline();
    const server = await fakeServer(
      script(GREETING, [
        [`EHLO ${HELO}`, EHLO],
        [`MAIL FROM:<${FROM}>`, '250 2.1.0 Ok\r\n'],
        [`RCPT TO:<${TO}>`, `554 5.7.1 <${TO}>: Relay access denied\r\n`],
        ['RSET', '250 2.0.0 Ok\r\n'],
        ['QUIT', '221 2.0.0 Bye\r\n'],
      ]),
    );
    const { result, outcome, live } = await probe(specFor(server.port));
    const connection = await server.connection();
    expect(connection.receivedText).toBe(`EHLO ${HELO}\r\nMAIL FROM:<${FROM}>\r\nRCPT TO:<${TO}>\r\nRSET\r\nQUIT\r\n`);
    expect(outcome).toMatchObject({
      outcome: 'recipient-rejected',
      stage: 'rcpt',
      code: 554,
      enhancedCode: '5.7.1',
      text: `<${TO}>: Relay access denied`,
    });
    expect(result.failure).toBeUndefined();
    expect(result.capabilities?.keywords).toMatchObject({ PIPELINING: [], SIZE: ['10240000'] });
    expect(live).toEqual(result.events);
    expect(texts(result, 'client')).toEqual([`EHLO ${HELO}`, `MAIL FROM:<${FROM}>`, `RCPT TO:<${TO}>`, 'RSET', 'QUIT']);
    await expectNothingOpen(server, before);
  });

  it('sends a test message with a unique Message-ID when DATA is asked for and a recipient is accepted', async () => {
    const server = await fakeServer(async (connection) => {
      await opening(connection);
      await connection.expect(`MAIL FROM:<${FROM}>`);
      await connection.send('250 2.1.0 Ok\r\n');
      await connection.expect(`RCPT TO:<${TO}>`);
      await connection.send('250 2.1.5 Ok\r\n');
      await connection.expect('DATA');
      await connection.send('354 End data with <CR><LF>.<CR><LF>\r\n');
      while ((await connection.line()) !== '.');
      await connection.send('250 2.0.0 Ok: queued as 4F1A2\r\n');
      await connection.expect('QUIT');
      await connection.send('221 2.0.0 Bye\r\n');
    });
    const spec = specFor(server.port, {
      steps: DATA_DIALOG,
    });
    const { result, outcome } = await probe(spec);
    const sent = (await server.connection()).receivedText;
    expect(result.messageId).toMatch(/^[0-9a-f-]{36}@relay-tester\.invalid$/);
    expect(sent).toMatch(
      new RegExp(
        `^EHLO ${HELO}\\r\\nMAIL FROM:<${FROM}>\\r\\nRCPT TO:<${TO}>\\r\\nDATA\\r\\n` +
          `Message-ID: <${result.messageId}>\\r\\nDate: [^\\r\\n]+ \\+0000\\r\\nFrom: <${FROM}>\\r\\n` +
          `Subject: Relay Tester probe ${result.messageId}\\r\\nX-Relay-Tester: [^\\r\\n]+\\r\\n\\r\\n[^\\r\\n]+\\r\\n\\.\\r\\nQUIT\\r\\n$`,
      ),
    );
    expect(outcome.outcome).toBe('recipient-accepted');
  });

  it('skips DATA and resets when no recipient was accepted', async () => {
    const server = await fakeServer(
      script(GREETING, [
        [`EHLO ${HELO}`, EHLO],
        [`MAIL FROM:<${FROM}>`, '250 Ok\r\n'],
        [`RCPT TO:<${TO}>`, '550 relay not permitted\r\n'],
        ['RSET', '250 Reset OK\r\n'],
        ['QUIT', '221 closing connection\r\n'],
      ]),
    );
    const spec = specFor(server.port, {
      steps: DATA_DIALOG,
    });
    const { outcome, result } = await probe(spec);
    expect(outcome).toMatchObject({ outcome: 'recipient-rejected', code: 550, text: 'relay not permitted' });
    expect(texts(result, 'note')).toContain('no recipient was accepted: DATA skipped');
  });

  it('falls back to HELO when the server refuses EHLO (reliability §18)', async () => {
    const server = await fakeServer(
      script('220 old.example SMTP\r\n', [
        [`EHLO ${HELO}`, '502 5.5.2 Error: command not recognized\r\n'],
        [`HELO ${HELO}`, '250 old.example\r\n'],
        [`MAIL FROM:<${FROM}>`, '250 Ok\r\n'],
        [`RCPT TO:<${TO}>`, '250 Ok\r\n'],
        ['RSET', '250 Ok\r\n'],
        ['QUIT', '221 Bye\r\n'],
      ]),
    );
    const { result, outcome } = await probe(specFor(server.port));
    expect((await server.connection()).receivedText).toBe(
      `EHLO ${HELO}\r\nHELO ${HELO}\r\nMAIL FROM:<${FROM}>\r\nRCPT TO:<${TO}>\r\nRSET\r\nQUIT\r\n`,
    );
    expect(result.capabilities).toMatchObject({ esmtp: false, authMechanisms: [], startTls: false });
    expect(texts(result, 'note')).toContain('EHLO refused; falling back to HELO');
    expect(outcome.outcome).toBe('recipient-accepted');
  });

  it('reports a refused HELO after a refused EHLO as rejected at connect and says QUIT', async () => {
    const server = await fakeServer(
      script(GREETING, [
        [`EHLO ${HELO}`, '500 5.5.1 Command unrecognized\r\n'],
        [`HELO ${HELO}`, '550 5.7.1 Access denied\r\n'],
        ['QUIT', '221 Bye\r\n'],
      ]),
    );
    const { outcome } = await probe(specFor(server.port));
    expect((await server.connection()).receivedText).toBe(`EHLO ${HELO}\r\nHELO ${HELO}\r\nQUIT\r\n`);
    expect(outcome).toMatchObject({ outcome: 'rejected-at-connect', stage: 'helo', code: 550, detail: 'HELO refused' });
  });

  it.each([
    ['554 5.7.1 <unknown[127.0.9.5]>: Client host rejected: Access denied\r\n', 554],
    ['199 what\r\n', 199],
  ])('reports the greeting %j as rejected at connect and only says QUIT (reliability §18)', async (greeting, code) => {
    const server = await fakeServer(script(greeting, [['QUIT', '221 Bye\r\n']]));
    const { outcome } = await probe(specFor(server.port));
    expect((await server.connection()).receivedText).toBe('QUIT\r\n');
    expect(outcome).toMatchObject({ outcome: 'rejected-at-connect', stage: 'greeting', code });
  });

  it('reports a refused TCP connection as connect-failed', async () => {
    const server = await fakeServer(() => {});
    const port = server.port;
    await server.close();
    const { outcome } = await probe(specFor(port));
    expect(outcome).toMatchObject({ outcome: 'connect-failed', stage: 'connect' });
    expect(outcome.text).toContain(`connection refused by 127.0.0.1:${port}`);
  });
});

describe('deadlines and caps (reliability §1–4)', () => {
  it('gives up on a server that accepts TCP but never greets, names the stage and closes the socket (1)', async () => {
    const before = resourceBaseline();
    const server = await fakeServer((connection) => connection.stall());
    const spec = specFor(server.port, { timeouts: { connectMs: 2_000, greetingMs: 300, replyMs: 2_000 } });
    const { outcome, result } = await probe(spec);
    expect(outcome).toMatchObject({ outcome: 'timeout', stage: 'greeting' });
    expect(outcome.text).toBe('greeting timeout: no complete reply within 300 ms');
    expect(result.durationMs).toBeLessThan(1_500);
    const connection = await server.connection();
    await connection.closed;
    expect(connection.closedByServer).toBe(false);
    expect(connection.received.length).toBe(0);
    await expectNothingOpen(server, before);
  });

  it('keeps the per-command deadline while a reply trickles in one byte at a time (2)', async () => {
    const before = resourceBaseline();
    const server = await fakeServer(async (connection) => {
      await connection.send(GREETING);
      await connection.expect(`EHLO ${HELO}`);
      // 200 bytes at one per 20 ms: bytes keep arriving for 4 s, so an idle timer would never fire.
      await connection.trickle(`250 ${'x'.repeat(195)}\r\n`, 20);
    });
    const spec = specFor(server.port, { timeouts: { connectMs: 2_000, greetingMs: 2_000, replyMs: 400 } });
    const { outcome, result } = await probe(spec);
    expect(outcome).toMatchObject({ outcome: 'timeout', stage: 'ehlo' });
    expect(outcome.text).toContain('no complete reply within 400 ms');
    expect(result.durationMs).toBeLessThan(2_000);
    const server250 = texts(result, 'server');
    expect(server250).toEqual(['220 fake.test ESMTP ready']); // the trickled line never completed
    await expectNothingOpen(server, before);
  });

  it.each([
    ['without a line ending', 'x'.repeat(100_000)],
    ['with a line ending', `220 ${'x'.repeat(100_000)}\r\n`],
  ])('refuses a 100 kB reply line %s as "reply line too long" (3)', async (_name, greeting) => {
    const server = await fakeServer(async (connection) => {
      await connection.send(greeting);
      await connection.stall();
    });
    const { outcome, result } = await probe(specFor(server.port));
    expect(outcome).toMatchObject({ outcome: 'protocol-error', stage: 'greeting' });
    expect(outcome.text).toMatch(/^reply line too long \(over 4096 bytes/);
    expect(texts(result, 'server')).toEqual([]); // nothing of the monster line is kept
    await expectNothingOpen(server);
  });

  it('stops a multi-line reply that never ends at the line cap (4)', async () => {
    const server = await fakeServer(async (connection) => {
      await connection.send(GREETING);
      await connection.expect(`EHLO ${HELO}`);
      await connection.send('250-fake.test\r\n' + '250-ENDLESS\r\n'.repeat(30_000));
      await connection.stall();
    });
    const { outcome, result } = await probe(specFor(server.port));
    expect(outcome).toMatchObject({ outcome: 'protocol-error', stage: 'ehlo' });
    expect(outcome.text).toMatch(/^multi-line reply exceeds 200 lines/);
    expect(texts(result, 'server').length).toBeLessThanOrEqual(201);
    await expectNothingOpen(server);
  });

  it('stops a multi-line reply of long lines at the byte cap (4)', async () => {
    const server = await fakeServer(async (connection) => {
      await connection.send(GREETING);
      await connection.expect(`EHLO ${HELO}`);
      await connection.send(`250-${'y'.repeat(4000)}\r\n`.repeat(100));
      await connection.stall();
    });
    const { outcome } = await probe(specFor(server.port));
    expect(outcome).toMatchObject({ outcome: 'protocol-error', stage: 'ehlo' });
    expect(outcome.text).toMatch(/^multi-line reply exceeds 65536 bytes/);
    await expectNothingOpen(server);
  });
});

describe('reply syntax (reliability §5–8)', () => {
  it('calls codes that change inside one reply a protocol error, without hanging (5)', async () => {
    const server = await fakeServer(async (connection) => {
      await connection.send(GREETING);
      await connection.expect(`EHLO ${HELO}`);
      await connection.send('250-a\r\n251 b\r\n');
      await connection.stall();
    });
    const { outcome } = await probe(specFor(server.port));
    expect(outcome).toMatchObject({ outcome: 'protocol-error', stage: 'ehlo' });
    expect(outcome.text).toContain('reply code changed inside a multi-line reply (250 then 251)');
    await expectNothingOpen(server);
  });

  it('accepts a bare "250" and a "250 " with nothing after the space (6)', async () => {
    const server = await fakeServer(
      script('220\r\n', [
        [`EHLO ${HELO}`, '250\r\n'],
        [`MAIL FROM:<${FROM}>`, '250 \r\n'],
        [`RCPT TO:<${TO}>`, '250\r\n'],
        ['RSET', '250 \r\n'],
        ['QUIT', '221\r\n'],
      ]),
    );
    const { outcome, result } = await probe(specFor(server.port));
    expect(result.failure).toBeUndefined();
    expect(outcome).toMatchObject({ outcome: 'recipient-accepted', code: 250, text: '' });
    expect((await server.connection()).receivedText).toMatch(/RSET\r\nQUIT\r\n$/);
  });

  it.each([
    ['hello', 'hello'],
    ['2x0 ok', '2x0 ok'],
    ['650 ok', '650 ok'],
    ['\x1b]0;pwned\x07 220 \x1b[2J ok', '\\e]0;pwned\\x07 220 \\e[2J ok'],
  ])('calls the greeting %j a protocol error and shows it with its bytes made visible (7)', async (line, visible) => {
    const server = await fakeServer(async (connection) => {
      await connection.send(`${line}\r\n`);
      await connection.stall();
    });
    const { outcome, result } = await probe(specFor(server.port));
    expect(outcome).toMatchObject({ outcome: 'protocol-error', stage: 'greeting' });
    expect(outcome.text).toContain('not an SMTP reply line');
    expect(outcome.text).toContain(visible);
    expect(texts(result, 'server')).toEqual([visible]);
    for (const event of result.events) {
      if ('text' in event) expect(event.text).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    }
    await expectNothingOpen(server);
  });

  it('tolerates stray empty lines before the greeting, after EHLO and inside a reply, and bare LF endings (8)', async () => {
    const server = await fakeServer(
      script('\r\n220 fake.test ready\n', [
        [`EHLO ${HELO}`, '250-fake.test\r\n\r\n250 8BITMIME\r\n\r\n'],
        [`MAIL FROM:<${FROM}>`, '250 Ok\n'],
        [`RCPT TO:<${TO}>`, '\r\n250 Ok\r\n'],
        ['RSET', '250 Ok\r\n'],
        ['QUIT', '221 Bye\r\n'],
      ]),
    );
    const { outcome, result } = await probe(specFor(server.port));
    expect(result.failure).toBeUndefined();
    expect(outcome.outcome).toBe('recipient-accepted');
    expect(result.capabilities?.keywords).toHaveProperty('8BITMIME');
  });
});

describe('421 and hang-ups (reliability §9–11)', () => {
  it('reads "421 …" without CRLF before a close as a temporary failure and keeps its text (9)', async () => {
    const server = await fakeServer(async (connection) => {
      await connection.send('421 4.3.2 Service shutting down, closing transmission channel');
      connection.hangUp();
    });
    const { outcome, result } = await probe(specFor(server.port));
    expect(outcome).toMatchObject({
      outcome: 'temporary-failure',
      stage: 'greeting',
      code: 421,
      enhancedCode: '4.3.2',
      text: 'Service shutting down, closing transmission channel',
    });
    expect(result.exchanges[0]?.reply.unterminated).toBe(true);
    expect((await server.connection()).received.length).toBe(0); // no QUIT after 421 (RFC 5321 §3.8)
    await expectNothingOpen(server);
  });

  it('reads an unterminated 421 in answer to MAIL as a temporary failure, never as a refusal (9)', async () => {
    const server = await fakeServer(async (connection) => {
      await opening(connection);
      await connection.expect(`MAIL FROM:<${FROM}>`);
      await connection.send('421 4.4.2 fake.test Error: timeout exceeded');
      connection.hangUp();
    });
    const { outcome } = await probe(specFor(server.port));
    expect(outcome).toMatchObject({ outcome: 'temporary-failure', stage: 'mail', code: 421 });
    expect(outcome.text).toBe('fake.test Error: timeout exceeded');
  });

  it.each([
    ['MAIL', ['mail'], `EHLO ${HELO}\r\nMAIL FROM:<${FROM}>\r\n`],
    ['RCPT', ['mail', 'rcpt'], `EHLO ${HELO}\r\nMAIL FROM:<${FROM}>\r\nRCPT TO:<${TO}>\r\n`],
    ['DATA', ['mail', 'rcpt', 'data'], `EHLO ${HELO}\r\nMAIL FROM:<${FROM}>\r\nRCPT TO:<${TO}>\r\nDATA\r\n`],
  ])('closes at once after a 421 in answer to %s: no RSET, no QUIT (10)', async (command, accepted, sent) => {
    const before = resourceBaseline();
    const server = await fakeServer(async (connection) => {
      await opening(connection);
      const replies: Record<string, string> = { mail: '250 Ok\r\n', rcpt: '250 Ok\r\n', data: '354 go\r\n' };
      for (const stage of accepted.slice(0, -1)) {
        await connection.line();
        await connection.send(replies[stage]!);
      }
      await connection.line();
      await connection.send('421 4.7.0 fake.test closing connection\r\n');
      await connection.stall(); // the client, not the server, must close
    });
    const spec = specFor(server.port, {
      steps: DATA_DIALOG,
    });
    const { outcome } = await probe(spec);
    const connection = await server.connection();
    await connection.closed;
    expect(connection.closedByServer).toBe(false);
    expect(connection.receivedText).toBe(sent);
    // After RCPT was accepted the relay is decided; a 421 at DATA does not undo it (it stays in the transcript).
    if (command === 'DATA') expect(outcome).toMatchObject({ outcome: 'recipient-accepted', code: 250, stage: 'rcpt' });
    else expect(outcome).toMatchObject({ outcome: 'temporary-failure', code: 421, stage: command.toLowerCase() });
    await expectNothingOpen(server, before);
  });

  // Every command goes through the engine's one cmd()/read() path, so a 421 ends the session the same way
  // whichever command it answers: recorded, and not a byte more sent (no RSET, no QUIT).
  const password = 'Closing-Secret-9';
  const closingCases: [string, Partial<SessionSpec>, [string, string][], string][] = [
    ['EHLO', {}, [], `EHLO ${HELO}`],
    ['STARTTLS', { tls: 'starttls' }, [[`EHLO ${HELO}`, ehloReply(['STARTTLS'])]], 'STARTTLS'],
    [
      'an AUTH challenge answer',
      { auth: { user: 'alice', password, mechanism: 'login' } },
      [
        [`EHLO ${HELO}`, ehloReply(['AUTH LOGIN'])],
        ['AUTH LOGIN', '334 VXNlcm5hbWU6\r\n'],
      ],
      Buffer.from('alice').toString('base64'),
    ],
    [
      'the end of the message',
      {
        steps: DATA_DIALOG,
      },
      [
        [`EHLO ${HELO}`, EHLO],
        [`MAIL FROM:<${FROM}>`, '250 Ok\r\n'],
        [`RCPT TO:<${TO}>`, '250 Ok\r\n'],
        ['DATA', '354 go\r\n'],
      ],
      '.',
    ],
  ];
  it.each(closingCases)('closes at once after a 421 in answer to %s (10)', async (_, overrides, turns, last) => {
    const server = await fakeServer(async (connection) => {
      await connection.send(GREETING);
      for (const [expected, reply] of turns) {
        await connection.expect(expected);
        await connection.send(reply);
      }
      while ((await connection.line()) !== last);
      await connection.send('421 4.7.0 fake.test closing connection\r\n');
      await connection.stall(); // the client, not the server, must close
    });
    const { result } = await probe(specFor(server.port, overrides));
    const connection = await server.connection();
    await connection.closed;
    expect(connection.closedByServer).toBe(false);
    expect(connection.receivedText.endsWith(`${last}\r\n`)).toBe(true);
    expect(result.exchanges.at(-1)?.reply.code).toBe(421);
    expect(result.failure).toBeUndefined();
    expect(result.messageId).toBeUndefined();
    await expectNothingOpen(server);
  });

  it('reads a 421 that arrives between commands and reports it instead of calling it injection (10)', async () => {
    const server = await fakeServer(async (connection) => {
      await connection.send(GREETING);
      await connection.expect(`EHLO ${HELO}`);
      await connection.send(`${EHLO}421 4.4.2 fake.test Error: timeout exceeded\r\n`);
      await connection.stall();
    });
    const { outcome, result } = await probe(specFor(server.port));
    expect(outcome).toMatchObject({
      outcome: 'temporary-failure',
      code: 421,
      text: 'fake.test Error: timeout exceeded',
    });
    expect(result.failure).toBeUndefined();
    expect((await server.connection()).receivedText).toBe(`EHLO ${HELO}\r\n`);
    await expectNothingOpen(server);
  });

  it('reads an unterminated 421 that arrives between commands before a close (9, 10)', async () => {
    const server = await fakeServer(async (connection) => {
      await connection.send(GREETING);
      await connection.expect(`EHLO ${HELO}`);
      await connection.send(`${EHLO}421 4.4.2 fake.test Error: timeout exceeded`);
      connection.hangUp();
    });
    const { outcome, result } = await probe(specFor(server.port));
    expect(outcome).toMatchObject({
      outcome: 'temporary-failure',
      code: 421,
      text: 'fake.test Error: timeout exceeded',
    });
    expect(result.exchanges.at(-1)?.reply.unterminated).toBe(true);
    expect((await server.connection()).receivedText).toBe(`EHLO ${HELO}\r\n`);
  });

  it('keeps the partial transcript of a connection reset mid-dialog and resends nothing (11)', async () => {
    const server = await fakeServer(async (connection) => {
      await opening(connection);
      await connection.expect(`MAIL FROM:<${FROM}>`);
      connection.reset();
    });
    const { outcome, result } = await probe(specFor(server.port));
    expect(outcome).toMatchObject({ outcome: 'protocol-error', stage: 'mail' });
    expect(outcome.text).toMatch(/ECONNRESET|connection closed by the server/);
    expect(texts(result, 'client')).toEqual([`EHLO ${HELO}`, `MAIL FROM:<${FROM}>`]);
    expect(texts(result, 'server')).toEqual(['220 fake.test ESMTP ready', ...EHLO.trim().split('\r\n')]);
    expect(result.exchanges.map((exchange) => exchange.stage)).toEqual(['greeting', 'ehlo']);
    expect(server.connections).toHaveLength(1);
    expect(server.connections[0]!.receivedText).toBe(`EHLO ${HELO}\r\nMAIL FROM:<${FROM}>\r\n`);
    await expectNothingOpen(server);
  });

  it('reports a server that hangs up without a word after EHLO as a protocol error at that stage', async () => {
    const server = await fakeServer(async (connection) => {
      await opening(connection);
      await connection.expect(`MAIL FROM:<${FROM}>`);
      connection.hangUp();
    });
    const { outcome } = await probe(specFor(server.port));
    expect(outcome).toMatchObject({ outcome: 'protocol-error', stage: 'mail' });
    expect(outcome.text).toBe('connection closed by the server (waiting for the mail reply)');
  });
});

describe('input that could inject commands (reliability §17)', () => {
  it.each([
    ['HELO name', { helo: 'client.test\r\nMAIL FROM:<x@y>' }],
    ['HELO name with a NUL', { helo: 'client\0test' }],
    ['sender', { steps: [{ kind: 'mail', from: 'a@b.test\r\nRCPT TO:<c@d>' }] }],
    ['recipient', { steps: [{ kind: 'rcpt', to: 'c@d.test\nDATA' }] }],
    ['user name', { auth: { user: 'alice\r\nQUIT', password: 'x' } }],
    ['password', { auth: { user: 'alice', password: 'pa\0ss' } }],
  ] as const)('refuses a %s with CR, LF or NUL before any connection is made', async (_name, overrides) => {
    let connected = 0;
    const server = await fakeServer(() => {
      connected += 1;
    });
    const spec = specFor(server.port, overrides as Parameters<typeof specFor>[1]);
    await expect(runSession(spec)).rejects.toThrow(InputError);
    await expect(runSession(spec)).rejects.toThrow(/contains CR, LF or NUL.*nothing was sent/);
    expect(connected).toBe(0);
    expect(server.connections).toHaveLength(0);
  });
});

describe('cancellation (reliability §23)', () => {
  it('stops mid-dialog when the signal aborts: outcome cancelled, no socket or timer left', async () => {
    const before = resourceBaseline();
    const controller = new AbortController();
    const server = await fakeServer(async (connection) => {
      await opening(connection);
      await connection.expect(`MAIL FROM:<${FROM}>`);
      controller.abort(); // while the client waits for the MAIL reply
      await connection.stall();
    });
    const { outcome, result } = await probe(specFor(server.port), controller.signal);
    expect(outcome).toMatchObject({ outcome: 'cancelled', stage: 'mail', text: 'cancelled by the user' });
    expect(result.failure?.kind).toBe('cancelled');
    expect(result.events.at(-1)).toMatchObject({ type: 'close', reason: 'cancelled by the user' });
    await expectNothingOpen(server, before);
  });

  it('leaves no listener on a signal shared by many sessions', async () => {
    const controller = new AbortController();
    const server = await fakeServer(refuseRelay);
    const greeted = await fakeServer(async (connection) => {
      await connection.send(GREETING);
      await refuseRelay(connection);
    });
    await probe(
      specFor(server.port, { timeouts: { connectMs: 2_000, greetingMs: 200, replyMs: 2_000 } }),
      controller.signal,
    );
    await probe(specFor(greeted.port), controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toEqual([]);
  });

  it('does not connect when the signal is already aborted', async () => {
    const server = await fakeServer(() => {});
    const controller = new AbortController();
    controller.abort();
    const { outcome } = await probe(specFor(server.port), controller.signal);
    expect(outcome.outcome).toBe('cancelled');
    expect(server.connections).toHaveLength(0);
  });

  it('cancels while the greeting is awaited', async () => {
    const before = resourceBaseline();
    const controller = new AbortController();
    const server = await fakeServer((connection) => {
      controller.abort();
      return connection.stall();
    });
    const { outcome } = await probe(specFor(server.port), controller.signal);
    expect(outcome).toMatchObject({ outcome: 'cancelled' });
    await expectNothingOpen(server, before);
  });
});

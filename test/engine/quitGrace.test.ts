// Issue 9 item 6: the verdict is final at RCPT, so a server that holds its 221 (Exim ~200 ms, Postfix's tarpit
// seconds) may not hold up the session beyond a short grace; QUIT is still sent and the socket still closed.
import { describe, expect, it } from 'vitest';
import { QUIT_GRACE_MS } from '../../main/smtp/session.js';
import { ehloReply, fakeServer, type FakeConnection } from './fakeServer.js';
import { FROM, HELO, TO, expectNothingOpen, probe, resourceBaseline, specFor, texts } from './harness.js';

const HELD_MS = 3_000;

/** Refuses the relay at once, then answers QUIT only after `heldMs` (if the client is still there). */
function holdsQuit(heldMs: number) {
  return async (connection: FakeConnection) => {
    await connection.send('220 slow.test ESMTP\r\n');
    await connection.expect(`EHLO ${HELO}`);
    await connection.send(ehloReply(['PIPELINING']));
    await connection.expect(`MAIL FROM:<${FROM}>`);
    await connection.send('250 2.1.0 Ok\r\n');
    await connection.expect(`RCPT TO:<${TO}>`);
    await connection.send('554 5.7.1 <bob@external.example>: Relay access denied\r\n');
    await connection.expect('RSET');
    await connection.send('250 2.0.0 Ok\r\n');
    await connection.expect('QUIT');
    let timer: NodeJS.Timeout | undefined;
    const held = new Promise<'held'>((resolve) => {
      timer = setTimeout(() => resolve('held'), heldMs);
    });
    const first = await Promise.race([connection.closed.then(() => 'client closed' as const), held]);
    clearTimeout(timer);
    if (first === 'held') await connection.send('221 2.0.0 Bye\r\n');
  };
}

describe('QUIT does not hold the verdict', () => {
  it('returns the session within the grace when the server holds its 221 for seconds, after sending QUIT', async () => {
    const before = resourceBaseline();
    const server = await fakeServer(holdsQuit(HELD_MS));
    const started = performance.now();
    const { result, outcome } = await probe(
      specFor(server.port, { timeouts: { connectMs: 5_000, greetingMs: 5_000, replyMs: 5_000 } }),
    );
    const elapsed = performance.now() - started;

    expect(outcome.outcome).toBe('recipient-rejected');
    expect(outcome.code).toBe(554);
    expect(texts(result, 'client').at(-1)).toBe('QUIT');
    expect((await server.connection()).receivedText).toMatch(/RSET\r\nQUIT\r\n$/);
    // The grace, plus the dialog itself on loopback: far below the server's three seconds or the 5 s deadline.
    expect(elapsed).toBeLessThan(QUIT_GRACE_MS + 700);
    expect(QUIT_GRACE_MS).toBeLessThanOrEqual(250);
    expect(texts(result, 'note')).toContainEqual(
      expect.stringMatching(/no reply to QUIT \(not within 250 ms\); closing/),
    );
    expect(result.failure).toBeUndefined();
    await expectNothingOpen(server, before);
  });

  it('still reads a 221 that comes within the grace (Exim holds it about 200 ms)', async () => {
    const server = await fakeServer(holdsQuit(150));
    const { result, outcome } = await probe(specFor(server.port));
    expect(outcome.outcome).toBe('recipient-rejected');
    expect(texts(result, 'server').at(-1)).toBe('221 2.0.0 Bye');
    expect(texts(result, 'note').some((note) => note.startsWith('no reply to QUIT'))).toBe(false);
    await expectNothingOpen(server);
  });
});

// A server that answers every connection with 421: nothing is judged on it, the runner backs off (each attempt
// and each wait recorded), and cancelling during a backoff ends the run at once with no socket left open.
import { expect, it } from 'vitest';
import { runPlan } from '../../main/runner.js';
import { fakeServer } from '../engine/fakeServer.js';
import { checkedPlan } from '../support/plans.js';

it('never judges a case on a 421 greeting, backs off visibly, and stops at once when cancelled mid-wait', async () => {
  const server = await fakeServer(async (connection) => {
    await connection.send('421 4.3.2 Too many concurrent SMTP connections; please try again later\r\n');
    connection.hangUp();
  });
  const plan = checkedPlan({
    name: 'always busy',
    sources: ['127.0.0.5'],
    servers: [{ name: 'Busy', host: server.host, port: server.port, tls: 'none', banner: 'busy.test' }],
    settings: { concurrency: 4, timeoutSeconds: 5 },
  });
  const controller = new AbortController();
  let cancelledAt = 0;
  const run = await runPlan(plan, {
    passwords: new Map(),
    signal: controller.signal,
    onProgress: (item) => {
      // Cancel while the first case waits before its third attempt.
      if (
        item.type === 'case-event' &&
        item.event.type === 'note' &&
        item.event.text.startsWith('attempt 2:') &&
        !cancelledAt
      ) {
        cancelledAt = performance.now();
        controller.abort();
      }
    },
  });
  expect(cancelledAt).toBeGreaterThan(0);
  expect(performance.now() - cancelledAt).toBeLessThan(1_000); // not the rest of a backoff
  expect(run.cancelled).toBe(true);

  const ran = run.cases.filter((result) => result.transcript.length > 0);
  expect(ran.length).toBeGreaterThan(0);
  for (const result of run.cases)
    expect(['cancelled', 'inconclusive'], `${result.case.id}: ${result.reason}`).toContain(result.verdict);

  const retried = ran.find((result) =>
    result.transcript.some((event) => event.type === 'note' && event.text.startsWith('attempt 2:')),
  )!;
  const greetings = retried.transcript.filter(
    (event) => event.type === 'server' && event.text.startsWith('421 4.3.2 Too many'),
  );
  expect(greetings).toHaveLength(2);
  const notes = retried.transcript.flatMap((event) =>
    event.type === 'note' && /^attempt \d/.test(event.text) ? [event.text] : [],
  );
  expect(notes[0]).toMatch(
    /^attempt 1: the server refused the connection for its load \("421 4\.3\.2 Too many concurrent SMTP connections; please try again later"\), so nothing was judged; retrying in \d+\.\d s, with at most \d+ session\(s\) at once to this server$/,
  );
  // Four sessions met the 421 together: the server's concurrency halved once for that round, not four times.
  expect(notes[0]).toMatch(/at most 2 session\(s\)/);
  expect(retried.reason).toBe('the run was cancelled during this case');

  await server.allClosed();
  expect(server.openSockets).toBe(0);
});

// Cancelling a run: sessions in flight stop at once, queued cases are marked cancelled (not skipped), the partial
// run is marked cancelled and saved with its true count, and no socket is left open (docs/reliability.md §23).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { runPlan } from '../../main/runner.js';
import { readRunFile, saveRun } from '../../main/store/runFile.js';
import { headline, runExitStatus } from '../../shared/coverage.js';
import type { Plan } from '../../shared/plan.js';
import type { RunProgress } from '../../shared/run.js';
import { fakeServer } from '../engine/fakeServer.js';
import { checkedPlan } from '../support/plans.js';

it('cancel during a run keeps the partial results, marks the run cancelled and leaves no socket open', async () => {
  // A server that answers the first two sessions in full (refusing the relay, accepting the local recipient), then
  // greets, answers EHLO and never answers MAIL: every later session hangs until cancelled.
  let accepted = 0;
  const server = await fakeServer(async (connection) => {
    const fast = accepted++ < 2;
    await connection.send('220 slow.test ESMTP\r\n');
    await connection.expect(/^EHLO /);
    await connection.send('250 slow.test\r\n');
    if (!fast) return connection.stall();
    await connection.expect(/^MAIL FROM:/);
    await connection.send('250 2.1.0 Ok\r\n');
    const rcpt = await connection.expect(/^RCPT TO:/);
    await connection.send(rcpt.includes('@corp.test') ? '250 2.1.5 Ok\r\n' : '554 5.7.1 Relay access denied\r\n');
    for (let line = await connection.line(); !line.startsWith('QUIT'); line = await connection.line()) {
      await connection.send('250 2.0.0 Ok\r\n'); // RSET
    }
    await connection.send('221 2.0.0 Bye\r\n');
  });
  const plan: Plan = checkedPlan({
    name: 'cancel me',
    sources: ['127.0.0.5', '127.0.0.6', '127.0.0.7', '127.0.0.8'],
    servers: [{ name: 'Slow', host: server.host, port: server.port, tls: 'none' }],
    settings: { concurrency: 2, timeoutSeconds: 60 },
  });
  const controller = new AbortController();
  const progress: RunProgress[] = [];
  let started = 0;
  const run = await runPlan(plan, {
    passwords: new Map(),
    signal: controller.signal,
    onProgress: (item) => {
      progress.push(item);
      // Cancel once the two fast cases are done and both allowed sessions wait for their MAIL reply.
      if (
        item.type === 'case-event' &&
        item.event.type === 'client' &&
        item.event.text.startsWith('MAIL') &&
        ++started === 4
      ) {
        controller.abort();
      }
    },
  });
  expect(run.cancelled).toBe(true);
  expect(run.cases).toHaveLength(8);
  expect(run.cases.slice(0, 2).map((result) => result.verdict)).toEqual(['pass', 'pass']);
  const interrupted = run.cases.slice(2).filter((result) => result.transcript.length > 0);
  expect(interrupted).toHaveLength(2);
  for (const result of interrupted) {
    expect(result.verdict).toBe('cancelled');
    expect(result.outcome?.outcome).toBe('cancelled');
    expect(result.transcript.some((event) => event.type === 'client' && event.text.startsWith('MAIL FROM'))).toBe(true);
  }
  for (const result of run.cases.slice(2).filter((candidate) => candidate.transcript.length === 0)) {
    expect(result.verdict).toBe('cancelled');
    expect(result.reason).toBe('the run was cancelled before this case ran');
  }
  expect(run.summary).toMatchObject({ pass: 2, skipped: 0, cancelled: 6 });
  expect(progress.at(-1)?.type).toBe('run-finished');
  // Only the two cases that ran count as done: the progress never reads full.
  const finished = progress.filter((item) => item.type === 'case-finished');
  expect(finished).toHaveLength(8);
  expect(finished.map((item) => item.done)).toEqual([1, 2, 2, 2, 2, 2, 2, 2]);
  expect(headline(run)).toBe('Cancelled: 2 of 8 cases decided (6 cancelled): no open relay among those');
  expect(runExitStatus(run)).toBe(2);
  // The saved run reads the same.
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'relay-tester-cancel-'));
  try {
    await saveRun(path.join(folder, 'run.json'), run);
    expect(headline(await readRunFile(path.join(folder, 'run.json')))).toBe(headline(run));
  } finally {
    await fs.rm(folder, { recursive: true, force: true });
  }
  await server.allClosed();
  expect(server.openSockets).toBe(0);
});

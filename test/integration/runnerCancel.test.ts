// Cancelling a run: sessions in flight stop at once, queued cases are skipped, the partial run is marked
// cancelled, and no socket is left open (docs/reliability.md §23).
import { expect, it } from 'vitest';
import { runPlan } from '../../main/runner.js';
import { checkPlan, type Plan } from '../../shared/plan.js';
import type { RunProgress } from '../../shared/run.js';
import { fakeServer } from '../engine/fakeServer.js';

it('cancel during a run keeps the partial results, marks the run cancelled and leaves no socket open', async () => {
  // A server that greets, answers EHLO, then never answers MAIL: every session hangs until cancelled.
  const server = await fakeServer(async (connection) => {
    await connection.send('220 slow.test ESMTP\r\n');
    await connection.expect(/^EHLO /);
    await connection.send('250 slow.test\r\n');
    await connection.stall();
  });
  const check = checkPlan({
    relayTesterPlan: 1,
    name: 'cancel me',
    domains: { local: ['corp.test'], external: 'external.example' },
    sender: 'helpdesk@corp.test',
    accounts: [],
    sources: ['127.0.0.5', '127.0.0.6', '127.0.0.7', '127.0.0.8'],
    servers: [{ name: 'Slow', host: server.host, port: server.port, tls: 'none' }],
    settings: { concurrency: 2, timeoutSeconds: 60 },
  });
  if (!check.ok) throw new Error(JSON.stringify(check.problems));
  const plan: Plan = check.plan;
  const controller = new AbortController();
  const progress: RunProgress[] = [];
  let started = 0;
  const run = await runPlan(plan, {
    passwords: new Map(),
    signal: controller.signal,
    onProgress: (item) => {
      progress.push(item);
      // Cancel once both allowed sessions are waiting for their MAIL reply.
      if (item.type === 'case-event' && item.event.type === 'client' && item.event.text.startsWith('MAIL') && ++started === 2) {
        controller.abort();
      }
    },
  });
  expect(run.cancelled).toBe(true);
  expect(run.cases).toHaveLength(8);
  const interrupted = run.cases.filter((result) => result.transcript.length > 0);
  expect(interrupted).toHaveLength(2);
  for (const result of interrupted) {
    expect(result.verdict).toBe('skipped');
    expect(result.outcome?.outcome).toBe('cancelled');
    expect(result.transcript.some((event) => event.type === 'client' && event.text.startsWith('MAIL FROM'))).toBe(true);
  }
  for (const result of run.cases.filter((candidate) => candidate.transcript.length === 0)) {
    expect(result.reason).toBe('the run was cancelled before this case ran');
  }
  expect(run.summary.skipped).toBe(8);
  expect(progress.at(-1)?.type).toBe('run-finished');
  await server.allClosed();
  expect(server.openSockets).toBe(0);
});

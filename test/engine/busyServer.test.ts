// A server at its connection limit (Exim's smtp_accept_max, Postfix's anvil, Exchange) answers 421 at the greeting
// and judges nothing: no case may pass or fail on that, not a denial, not a banner check, not a connect filter.
import { expect, it } from 'vitest';
import { runPlan } from '../../main/runner.js';
import { coverage, headline, runExitStatus } from '../../shared/coverage.js';
import { checkPlan, type Plan } from '../../shared/plan.js';
import { ehloReply, fakeServer, type FakeServer } from './fakeServer.js';

function busyPlan(server: FakeServer): Plan {
  const check = checkPlan({
    relayTesterPlan: 1,
    name: 'busy server',
    domains: { local: ['corp.test'], external: 'external.example' },
    sender: 'helpdesk@corp.test',
    accounts: ['alice', 'mallory'],
    // A neutral source, a relay host and a denied subnet: deny, relay and reject-at-connect cases.
    sources: ['127.0.0.5', '127.0.0.10', '127.0.9.0/24'],
    servers: [
      {
        name: 'Busy',
        host: server.host,
        port: server.port,
        tls: 'none',
        banner: 'relay.corp.test',
        relay: { users: ['alice'], hosts: ['127.0.0.10'] },
        connect: { deny: ['127.0.9.0/24'] },
      },
    ],
    settings: { concurrency: 8, timeoutSeconds: 10 },
  });
  if (!check.ok) throw new Error(JSON.stringify(check.problems));
  return check.plan;
}

// The runner retries a server that refuses for its load (main/backpressure.ts); a short budget keeps this quick.
const backPressure = { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, budgetMs: 100 };

const passwords = new Map([
  ['alice', 'Alice-Secret-1'],
  ['mallory', 'Mallory-Secret-3'],
]);

it('a 421 "too many connections" greeting decides no case: every case is inconclusive and the run exits 2', async () => {
  const server = await fakeServer(async (connection) => {
    await connection.send('421 4.7.0 Too many concurrent SMTP connections; please try again later.\r\n');
    connection.hangUp();
  });
  const plan = busyPlan(server);
  const run = await runPlan(plan, { passwords, backPressure });
  const expectations = new Set(run.cases.map((result) => result.case.expect));
  expect([...expectations].sort()).toEqual(['auth-fail', 'banner', 'deny', 'reject-at-connect', 'relay', 'report']);
  for (const result of run.cases) {
    expect(result.verdict, `${result.case.id}: ${result.reason}`).toBe('inconclusive');
    expect(result.reason).toContain('421 4.7.0 Too many concurrent SMTP connections');
    expect(result.reason).not.toMatch(/not relayed|does not name|refused the connection/);
  }
  expect(server.connections.length).toBe(run.cases.length * backPressure.maxAttempts);
  expect(coverage(run).decided).toBe(0);
  expect(headline(run)).toBe(
    `Incomplete: 0 of ${run.cases.length} cases decided (${run.cases.length} inconclusive): nothing was decided`,
  );
  expect(runExitStatus(run)).toBe(2);
  await server.allClosed();
});

it('a 421 in answer to EHLO or MAIL is no refusal of the relay either', async () => {
  let count = 0;
  const server = await fakeServer(async (connection) => {
    count += 1;
    await connection.send('220 relay.corp.test ESMTP\r\n');
    await connection.expect(/^EHLO /);
    if (count % 2 === 0) {
      await connection.send('421 4.3.2 Service shutting down, closing transmission channel\r\n');
    } else {
      await connection.send(ehloReply(['AUTH PLAIN LOGIN']));
      const line = await connection.line();
      // Banner checks stop after EHLO; everything else goes on to AUTH or MAIL.
      if (line.startsWith('QUIT')) {
        await connection.send('221 Bye\r\n');
        return;
      }
      await connection.send('421 4.7.0 Error: too many connections from 127.0.0.5\r\n');
    }
    connection.hangUp();
  });
  const run = await runPlan(busyPlan(server), { passwords, backPressure });
  for (const result of run.cases) {
    if (result.case.expect === 'banner' && result.outcome?.outcome === 'connected') {
      // A banner case whose dialog ended normally is judged on the greeting it really got.
      expect(result.verdict).toBe('pass');
      continue;
    }
    expect(result.verdict, `${result.case.id}: ${result.reason}`).toBe('inconclusive');
    expect(result.reason).toMatch(/^not tested: the server kept refusing the connection for its load \("421 /);
  }
  expect(runExitStatus(run)).toBe(2);
  await server.allClosed();
});

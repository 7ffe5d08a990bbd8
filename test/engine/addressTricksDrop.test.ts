// A server that drops the session after three errors (Exim's smtp_max_synprot_errors, per issue 15): nmap's
// smtp-open-relay runs its 16 tests in one session, so its own error messages end up counted as tests. Relay Tester
// runs every variant in a session of its own, so each gets the verdict the server gave it, and none is cut short.
// The fake also takes percent-hack and bang addresses of its own domain as local mailboxes, as Exim does.
import { expect, it } from 'vitest';
import { runPlan } from '../../main/runner.js';
import { coverage, headline, runExitStatus } from '../../shared/coverage.js';
import { checkPlan } from '../../shared/plan.js';
import { ClientClosed, ehloReply, fakeServer, type FakeConnection } from './fakeServer.js';

/** Exim-like: IP-literal senders and odd recipients are errors; the third error in a session ends it with 421. */
async function eximLike(connection: FakeConnection): Promise<void> {
  let errors = 0;
  let mail = false;
  const error = async (reply: string) => {
    errors += 1;
    await connection.send(reply);
    if (errors >= 3) {
      await connection.send('421 fake.test lost input connection: too many syntax or protocol errors\r\n');
      connection.hangUp();
      return true;
    }
    return false;
  };
  await connection.send('220 fake.test ESMTP Exim 4.97\r\n');
  try {
    for (;;) {
      const line = await connection.line();
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'EHLO') await connection.send(ehloReply(['SIZE 52428800', 'PIPELINING']));
      else if (verb === 'QUIT') {
        await connection.send('221 fake.test closing connection\r\n');
        return;
      } else if (verb === 'RSET') await connection.send('250 Reset OK\r\n');
      else if (verb === 'MAIL') {
        const from = /^MAIL FROM:<(.*)>/i.exec(line)?.[1] ?? '';
        if (from.includes('@[')) {
          if (await error(`501 <${from}>: domain literals not allowed\r\n`)) return;
        } else {
          mail = true;
          await connection.send('250 OK\r\n');
        }
      } else if (verb === 'RCPT') {
        const to = /^RCPT TO:<(.*)>/i.exec(line)?.[1] ?? '';
        const at = to.lastIndexOf('@');
        if (!mail) {
          if (await error('503 sender not yet given\r\n')) return;
        } else if (
          at <= 0 ||
          to.startsWith('@') ||
          to.includes('"') ||
          to.slice(0, at).includes('@') ||
          to.endsWith('.')
        ) {
          if (await error(`501 <${to}>: malformed address\r\n`)) return;
        } else if (to.slice(at + 1) === 'corp.test') {
          // x%external.example@corp.test and external.example!x@corp.test: a local part like any other.
          await connection.send('250 Accepted\r\n');
        } else if (await error('550 relay not permitted\r\n')) return;
      } else if (await error('500 unrecognized command\r\n')) return;
    }
  } catch (caught) {
    if (!(caught instanceof ClientClosed)) throw caught;
  }
}

it('every variant gets its own session and its own verdict from a server that drops the session after three errors', async () => {
  const server = await fakeServer(eximLike);
  const check = checkPlan({
    relayTesterPlan: 1,
    name: 'exim-like',
    domains: { local: ['corp.test'], external: 'external.example' },
    sender: 'helpdesk@corp.test',
    accounts: [],
    sources: ['127.0.0.5'],
    servers: [{ name: 'Exim-like', host: server.host, port: server.port, tls: 'none', tricks: true }],
    settings: { concurrency: 4, timeoutSeconds: 10 },
  });
  if (!check.ok) throw new Error(JSON.stringify(check.problems));
  const run = await runPlan(check.plan, { passwords: new Map() });
  const tricks = run.cases.filter((result) => result.case.kind === 'trick');
  expect(tricks).toHaveLength(26);
  // One session per variant (plus the two source cases), and no session was ever dropped for its errors.
  expect(server.connections.length).toBe(run.cases.length);
  for (const result of tricks) {
    expect(['pass', 'needs-review'], `${result.case.id}: ${result.reason}`).toContain(result.verdict);
    expect(result.reason).not.toContain('421');
  }
  const verdict = (variant: string) => tricks.find((result) => result.case.trick?.variant === variant)!;
  // nmap's test 4 varies the sender: an IP-literal sender is refused at MAIL, which is a refusal (pass).
  expect(verdict('nmap-04').outcome?.outcome).toBe('sender-rejected');
  expect(verdict('nmap-04').verdict).toBe('pass');
  // nmap's tests 5–16 use the plan's valid sender, so the recipient is what the server judged, not nmap's sender.
  expect(verdict('nmap-13').reason).toContain('501 <@corp.test:relay-test@external.example>: malformed address');
  expect(verdict('nmap-12').outcome?.stage).toBe('rcpt');
  // Accepted as local mailboxes: needs review, never pass, never a plain fail.
  for (const variant of ['percent-hack', 'bang-path', 'encoded-at', 'percent-hack-double', 'nmap-06', 'nmap-16']) {
    expect(verdict(variant).verdict, variant).toBe('needs-review');
  }
  expect(verdict('source-route').verdict).toBe('pass');
  const cover = coverage(run);
  expect(cover.needsReview).toBe(6);
  expect(headline(run)).toBe(
    `${run.cases.length} of ${run.cases.length} cases decided: no open relay found; 6 address tricks accepted, to review`,
  );
  expect(runExitStatus(run)).toBe(5);
  await server.allClosed();
});

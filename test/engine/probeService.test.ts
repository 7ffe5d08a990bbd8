// The app's quick probe against the built-in lab over real sockets: the same dialog and outcome as
// `relay-tester probe`, the password typed for the probe or the one kept for the account under the rules of runs,
// and never a password in what reaches the window.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../main/api/dispatch.js';
import { MemoryPasswordStore } from '../../main/api/passwordStore.js';
import { createService } from '../../main/api/service.js';
import { startAppLab, type AppLab } from '../../main/lab/labLink.js';
import type { CommandRequest, ConsentQuestion } from '../../shared/ipc.js';
import type { PlanServer } from '../../shared/plan.js';
import { outcomeLine, type ProbeProgress } from '../../shared/probe.js';
import { secretForms } from '../../shared/redact.js';
import type { TranscriptEvent } from '../../shared/session.js';
import { temporaryFolder } from '../support/cli.js';

type ProbeResult =
  | { consentNeeded: ConsentQuestion }
  | {
      end: Extract<ProbeProgress, { type: 'probe-finished' }>;
      events: TranscriptEvent[];
      line: string;
      wire: string;
    };

let lab: AppLab;
let relay: PlanServer;

/** A service (with or without the lab link) and everything it told the window. */
async function serviceWith(withLab: boolean) {
  const progress: ProbeProgress[] = [];
  const started: string[] = [];
  const waiters = new Set<() => void>();
  const service = createService({
    face: 'browser',
    workspace: await temporaryFolder(),
    passwords: new MemoryPasswordStore(),
    ...(withLab ? { lab: lab.link } : {}),
    emit: (event, payload) => {
      if (event !== 'probeProgress') return;
      progress.push(...(payload as ProbeProgress[]));
      for (const waiter of waiters) waiter();
    },
  });
  /** Starts a probe and waits for its end; returns its whole progress and the outcome line. */
  async function probe(request: Partial<CommandRequest<'startProbe'>>): Promise<ProbeResult> {
    const answer = await service.handlers.startProbe({
      host: relay.host,
      port: relay.port,
      tls: 'auto',
      certificate: { pinSha256: relay.certificateSha256! },
      from: 'alice@corp.test',
      to: ['someone@external.example'],
      ...request,
    });
    if (!('probeId' in answer)) return { consentNeeded: answer.consentNeeded };
    started.push(answer.probeId);
    const mine = () => progress.filter((item) => item.probeId === answer.probeId);
    await new Promise<void>((resolve) => {
      const check = () => mine().some((item) => item.type !== 'probe-event') && (waiters.delete(check), resolve());
      waiters.add(check);
      check();
    });
    const end = mine().find((item) => item.type !== 'probe-event')!;
    if (end.type !== 'probe-finished') throw new Error(`the probe failed: ${JSON.stringify(end)}`);
    const events = mine().flatMap((item) => (item.type === 'probe-event' ? [item.event] : []));
    return { end, events, line: outcomeLine(end.outcome), wire: JSON.stringify(mine()) };
  }
  /** The id of the probe started after `before` others (the one a test wants to cancel). */
  async function probeIdAfter(before: number): Promise<string> {
    await expect.poll(() => started.length).toBe(before + 1);
    return started.at(-1)!;
  }
  return { service, probe, probeIdAfter, startedCount: () => started.length };
}

let withLab: Awaited<ReturnType<typeof serviceWith>>;
let labPassword: string;

beforeAll(async () => {
  lab = await startAppLab('secure');
  relay = lab.link.demoPlan.servers.find((server) => server.name === 'SMTP Relay Virtual Server')!;
  labPassword = lab.link.passwords.get('alice')!;
  withLab = await serviceWith(true);
});
afterAll(async () => {
  await withLab.service.close();
  await lab.stop();
});

describe('a quick probe of the lab', () => {
  it('lets alice relay after AUTH LOGIN with the lab password, and shows no credential', async () => {
    const result = await withLab.probe({ source: '127.0.0.5', account: 'alice', mechanism: 'login' });
    if (!('end' in result)) throw new Error('asked for consent');
    expect(result.line).toBe('Outcome: recipient-accepted at rcpt 250: Accepted');
    expect(result.end).toMatchObject({ local: '127.0.0.5' });
    const client = result.events.flatMap((event) => (event.type === 'client' ? [event.text] : []));
    expect(client).toContain('AUTH LOGIN');
    expect(client).toContain('<password hidden>');
    for (const form of secretForms('alice', labPassword)) expect(result.wire).not.toContain(form);
  });

  it('refuses an unapproved source with 550, in the words of the CLI', async () => {
    const result = await withLab.probe({ source: '127.0.0.5', from: 'helpdesk@corp.test' });
    if (!('end' in result)) throw new Error('asked for consent');
    expect(result.end.outcome).toMatchObject({ outcome: 'recipient-rejected', stage: 'rcpt', code: 550 });
    expect(result.line).toBe('Outcome: recipient-rejected at rcpt 550 5.7.1: Unable to relay');
  });

  it('uses the password typed for the probe over the lab’s, and keeps it nowhere', async () => {
    const typed = 'Typed-Not-Alices-1';
    const result = await withLab.probe({ source: '127.0.0.5', account: 'alice', mechanism: 'plain', password: typed });
    if (!('end' in result)) throw new Error('asked for consent');
    expect(result.end.outcome).toMatchObject({ outcome: 'auth-failed', code: 535 });
    for (const form of secretForms('alice', typed)) expect(result.wire).not.toContain(form);
    const status = await withLab.service.handlers.passwordStatus({ accounts: ['alice'] });
    expect(status.bindings).toEqual([]);
  });

  it('refuses what could inject SMTP commands before anything is sent', async () => {
    const answer = await dispatch(withLab.service.handlers, 'startProbe', {
      host: relay.host,
      port: relay.port,
      tls: 'none',
      from: 'alice@corp.test\r\nRCPT TO:<x@external.example>',
      to: ['someone@external.example'],
    });
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(!answer.ok && answer.error.message).toMatch(/from: must not contain line breaks/);
  });

  it('says in plain words why it cannot probe from an address this machine does not have', async () => {
    await expect(withLab.probe({ source: '192.0.2.77' })).rejects.toThrow(
      /cannot probe from 192\.0\.2\.77: 192\.0\.2\.77 is not an address of this machine/,
    );
  });
});

describe('cancelling a probe', () => {
  it('ends a probe of a silent server at once, with the outcome "cancelled"', async () => {
    const silent = net.createServer(() => undefined); // accepts and never greets
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const sockets = new Set<net.Socket>();
    silent.on('connection', (socket) => sockets.add(socket));
    try {
      const { port } = silent.address() as net.AddressInfo;
      const before = withLab.startedCount();
      const running = withLab.probe({ host: '127.0.0.1', port, tls: 'none', certificate: {} });
      await expect.poll(() => sockets.size).toBe(1);
      const probeId = await withLab.probeIdAfter(before);
      expect(await withLab.service.handlers.cancelProbe({ probeId })).toEqual({ cancelled: true });
      const result = await running;
      if (!('end' in result)) throw new Error('asked for consent');
      expect(result.end.outcome.outcome).toBe('cancelled');
      expect(await withLab.service.handlers.cancelProbe({ probeId })).toEqual({ cancelled: false });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('a kept password on a server it is not bound to', () => {
  let plain: Awaited<ReturnType<typeof serviceWith>>;
  beforeAll(async () => {
    // No lab link: to this service the lab is just some server, and alice's password a kept one.
    plain = await serviceWith(false);
    await plain.service.handlers.setPassword({ account: 'alice', password: labPassword, servers: ['mx.corp.test:25'] });
  });
  afterAll(() => plain.service.close());

  it('asks first, and sends it once when the user allows it once', async () => {
    const asked = await plain.probe({ source: '127.0.0.5', account: 'alice' });
    expect(asked).toHaveProperty('consentNeeded');
    const question = (asked as { consentNeeded: ConsentQuestion }).consentNeeded;
    const server = `${relay.host}:${relay.port}`;
    expect(question.uses).toEqual([{ account: 'alice', server }]);
    const result = await plain.probe({
      source: '127.0.0.5',
      account: 'alice',
      consent: { ticket: question.ticket, decisions: [{ account: 'alice', server, decision: 'once' }] },
    });
    if (!('end' in result)) throw new Error('asked again');
    expect(result.end.outcome.outcome).toBe('recipient-accepted');
    // Once is once: the next probe asks again, and a "no" sends nothing.
    const again = (await plain.probe({ source: '127.0.0.5', account: 'alice' })) as { consentNeeded: ConsentQuestion };
    await expect(
      plain.probe({
        source: '127.0.0.5',
        account: 'alice',
        consent: { ticket: again.consentNeeded.ticket, decisions: [{ account: 'alice', server, decision: 'deny' }] },
      }),
    ).rejects.toThrow(/alice's password was not sent to .*: you chose not to send it/);
  });

  it('tells how to give a password for an account that has none', async () => {
    await expect(plain.probe({ source: '127.0.0.5', account: 'bob' })).rejects.toThrow(
      /no password for bob: type it in the probe form, or set it in Passwords \(Plan tab\)/,
    );
  });
});

// The lab as a client sees it: Exchange-style greeting, EHLO keywords and replies, connection control at greeting
// time, STARTTLS with a pinnable certificate, messages kept in memory, a log per session, ports freed on stop.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabStartError, startLab, type RunningLab } from '../../main/lab/labServer.js';
import { LabLog } from '../../main/lab/labLog.js';
import { labPreset } from '../../main/lab/presets.js';
import { runSession } from '../../main/smtp/session.js';
import { defaultSteps, type SessionSpec } from '../../main/smtp/sessionSpec.js';
import { classifyOutcome } from '../../shared/outcome.js';
import type { AuthMechanism, CertificateCheck, TlsMode } from '../../shared/session.js';
import { base64, smtpDialog } from './smtpDialog.js';

let lab: RunningLab;
let defaultServer: { host: string; port: number };
let relayServer: { host: string; port: number };

beforeAll(async () => {
  lab = await startLab(labPreset('secure', { portBase: 0, aliases: true }));
  defaultServer = lab.servers[0]!;
  relayServer = lab.servers[1]!;
});
afterAll(() => lab?.stop());

function session(options: {
  server: { host: string; port: number };
  source?: string;
  tls?: TlsMode;
  certificate?: CertificateCheck;
  user?: string;
  password?: string;
  mechanism?: AuthMechanism;
  to?: string;
  data?: boolean;
}) {
  const tls = options.tls ?? 'none';
  const spec: SessionSpec = {
    host: options.server.host,
    port: options.server.port,
    tls,
    certificate: options.certificate ?? { mode: 'pin', sha256: lab.certificate.sha256 },
    helo: 'client.test',
    timeouts: { connectMs: 5000, greetingMs: 5000, replyMs: 5000 },
    steps: defaultSteps({
      from: 'helpdesk@corp.test',
      to: [options.to ?? 'x@external.example'],
      auth: options.user !== undefined,
      tls,
      data: options.data ?? false,
    }),
  };
  if (options.source) spec.source = options.source;
  if (options.user) {
    spec.auth = { user: options.user, password: options.password ?? `${options.user}-lab-password` };
    if (options.mechanism) spec.auth.mechanism = options.mechanism;
  }
  return runSession(spec);
}

describe('greeting and EHLO', () => {
  it('greets with the masquerade domain on the relay server and the physical name on the default server', async () => {
    const relay = await smtpDialog(relayServer, ['QUIT']);
    expect(relay.replies[0]!.text).toBe(
      '220 relay.corp.test ESMTP MAIL Service ready (Relay Tester lab, Exchange 2003 style)',
    );
    const plain = await smtpDialog(defaultServer, ['QUIT']);
    expect(plain.replies[0]!.text).toMatch(/^220 mail\.corp\.test ESMTP .*Relay Tester lab/);
  });

  it('announces Exchange-like keywords: Hello [client], AUTH mechanisms, STARTTLS and SIZE', async () => {
    const { replies } = await smtpDialog(relayServer, ['EHLO client.test', 'QUIT'], { localAddress: '127.0.0.5' });
    const ehlo = replies[1]!;
    expect(ehlo.lines[0]).toBe('250-relay.corp.test Hello [127.0.0.5]');
    expect(ehlo.lines).toContain('250-AUTH LOGIN PLAIN CRAM-MD5');
    expect(ehlo.lines).toContain('250-STARTTLS');
    expect(ehlo.lines).toContain('250 SIZE 10485760');
    // smtp-server cannot announce Exchange's pre-RFC "AUTH=LOGIN" line, and ENHANCEDSTATUSCODES stays hidden so
    // that the lab's own enhanced codes are not overridden (see labServer.ts).
    expect(ehlo.lines.some((line) => line.includes('AUTH=LOGIN') || line.includes('ENHANCEDSTATUSCODES'))).toBe(false);
  });
});

describe('relay decisions at RCPT', () => {
  it('refuses to relay for an unlisted computer with "550 5.7.1 Unable to relay" and accepts local mail', async () => {
    const { replies } = await smtpDialog(
      relayServer,
      [
        'EHLO client.test',
        'MAIL FROM:<helpdesk@corp.test>',
        'RCPT TO:<x@external.example>',
        'RCPT TO:<someone@corp.test>',
        'QUIT',
      ],
      { localAddress: '127.0.2.5' },
    );
    expect(replies.map((reply) => reply.text).slice(2, 5)).toEqual([
      '250 Accepted',
      '550 5.7.1 Unable to relay',
      '250 Accepted',
    ]);
  });

  it('relays for a computer in the listed group without authentication', async () => {
    const result = await session({ server: relayServer, source: '127.0.1.77' });
    expect(classifyOutcome(result)).toMatchObject({ outcome: 'recipient-accepted', code: 250 });
  });
});

describe('authentication', () => {
  it('answers a wrong password with "535 5.7.3 Authentication unsuccessful" and a right one with 235, without TLS', async () => {
    const { replies } = await smtpDialog(
      relayServer,
      [
        'EHLO client.test',
        `AUTH PLAIN ${base64('\0alice\0not-the-password')}`,
        'AUTH LOGIN',
        base64('alice'),
        base64('alice-lab-password'),
        'MAIL FROM:<alice@corp.test>',
        'RCPT TO:<x@external.example>',
        'QUIT',
      ],
      { localAddress: '127.0.0.5' },
    );
    expect(replies.slice(2, 8).map((reply) => reply.text)).toEqual([
      '535 5.7.3 Authentication unsuccessful',
      '334 VXNlcm5hbWU6',
      '334 UGFzc3dvcmQ6',
      '235 Authentication successful',
      '250 Accepted',
      '250 Accepted',
    ]);
  });

  it('accepts CRAM-MD5, so the password need not cross in clear text', async () => {
    const result = await session({ server: relayServer, source: '127.0.0.5', user: 'bob', mechanism: 'cram-md5' });
    expect(result.exchanges.find((exchange) => exchange.stage === 'auth' && exchange.reply.code === 235)).toBeDefined();
    expect(classifyOutcome(result).outcome).toBe('recipient-accepted');
  });

  it('lets mallory log in but not relay', async () => {
    const result = await session({ server: relayServer, source: '127.0.0.5', user: 'mallory', tls: 'starttls' });
    expect(classifyOutcome(result)).toMatchObject({ outcome: 'recipient-rejected', code: 550, enhancedCode: '5.7.1' });
  });

  it('refuses AUTH before STARTTLS when basic authentication requires TLS', async () => {
    const config = labPreset('secure', { portBase: 0, aliases: true });
    config.servers[1]!.authentication.requireTls = true;
    const strict = await startLab(config);
    try {
      const { replies } = await smtpDialog(strict.servers[1]!, [
        'EHLO client.test',
        `AUTH PLAIN ${base64('\0alice\0alice-lab-password')}`,
        'QUIT',
      ]);
      expect(replies[2]!.code).toBe(538);
      const result = await session({
        server: strict.servers[1]!,
        source: '127.0.0.5',
        user: 'alice',
        tls: 'starttls',
        certificate: { mode: 'pin', sha256: strict.certificate.sha256 },
      });
      expect(classifyOutcome(result).outcome).toBe('recipient-accepted');
    } finally {
      await strict.stop();
    }
  });
});

describe('connection control', () => {
  it('refuses a denied computer at greeting time, which Relay Tester classifies as rejected-at-connect', async () => {
    const result = await session({ server: relayServer, source: '127.0.9.1' });
    expect(classifyOutcome(result)).toMatchObject({
      outcome: 'rejected-at-connect',
      stage: 'greeting',
      code: 554,
      enhancedCode: '5.7.1',
      text: 'Access denied',
    });
    const raw = await smtpDialog(relayServer, ['EHLO client.test'], { localAddress: '127.0.9.200' });
    expect(raw.replies.map((reply) => reply.text)).toEqual(['554 5.7.1 Access denied']);
    expect(raw.closedByServer).toBe(true);
  });

  it('greets the same computer on the default server, which has no connection list', async () => {
    const result = await session({ server: defaultServer, source: '127.0.9.1', to: 'x@corp.test' });
    expect(classifyOutcome(result).outcome).toBe('recipient-accepted');
  });
});

describe('STARTTLS', () => {
  it('upgrades with the self-signed certificate generated at start, which a plan can pin', async () => {
    const result = await session({ server: relayServer, source: '127.0.0.5', tls: 'starttls', user: 'alice' });
    expect(result.tls).toMatchObject({ trust: 'pinned', verified: false });
    expect(result.tls?.subjectAltName).toContain('DNS:relay.corp.test');
    expect(lab.certificate.sha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(classifyOutcome(result).outcome).toBe('recipient-accepted');
  });

  it('is refused by a client that verifies certificates, as a self-signed one should be', async () => {
    const result = await session({
      server: relayServer,
      source: '127.0.0.5',
      tls: 'starttls',
      certificate: { mode: 'verify' },
    });
    expect(classifyOutcome(result).outcome).toBe('tls-failed');
  });
});

describe('nothing is delivered', () => {
  it('keeps an accepted message in memory, listed, with its envelope', async () => {
    const before = lab.messages.list().length;
    const result = await session({ server: relayServer, source: '127.0.0.10', data: true });
    expect(result.messageId).toBeDefined();
    const messages = lab.messages.list();
    expect(messages).toHaveLength(before + 1);
    const message = messages[messages.length - 1]!;
    expect(message).toMatchObject({
      server: 'SMTP Relay Virtual Server',
      from: 'helpdesk@corp.test',
      to: ['x@external.example'],
      truncated: false,
    });
    expect(message.client).toMatch(/^127\.0\.0\.10:\d+$/);
    expect(message.content).toContain(result.messageId!);
    const dataReply = result.exchanges.find((exchange) => exchange.stage === 'message')?.reply;
    expect(dataReply?.code).toBe(250);
    expect(dataReply?.lines[0]).toContain('2.6.0');
    expect(dataReply?.lines[0]).toContain('never sent on');
  });
});

describe('logging', () => {
  it('records each session: connection, every command and reply, the relay decision and the close', async () => {
    await smtpDialog(
      relayServer,
      ['EHLO logged.test', 'MAIL FROM:<a@corp.test>', 'RCPT TO:<x@external.example>', 'QUIT'],
      {
        localAddress: '127.0.2.77',
      },
    );
    const sessionId = lab.log
      .events()
      .find((event) => event.kind === 'command' && event.text === 'EHLO logged.test')?.session;
    expect(sessionId).toBeDefined();
    // The close event comes when the socket closes, a moment after the client saw "221 Bye".
    await expect
      .poll(() => lab.log.events().some((event) => event.session === sessionId && event.kind === 'close'))
      .toBe(true);
    const events = lab.log.events().filter((event) => event.session === sessionId);
    expect(
      events.every((event) => event.server === 'SMTP Relay Virtual Server' && event.client?.startsWith('127.0.2.77:')),
    ).toBe(true);
    expect(events.map((event) => event.kind)).toEqual(
      expect.arrayContaining(['connect', 'command', 'reply', 'relay', 'close']),
    );
    expect(events.find((event) => event.kind === 'relay')?.text).toBe(
      'x@external.example: REFUSED: 127.0.2.77 is not in the relay list and did not authenticate',
    );
  });

  it('never records a password, in clear or in base64', async () => {
    await session({ server: relayServer, source: '127.0.0.5', user: 'alice', mechanism: 'plain' });
    await session({ server: relayServer, source: '127.0.0.5', user: 'bob', mechanism: 'login' });
    const text = JSON.stringify(lab.log.events());
    expect(text).toContain('AUTH PLAIN /* secured */');
    expect(text).toContain('alice authenticated with PLAIN');
    for (const account of lab.config.accounts) {
      expect(text).not.toContain(account.password);
      expect(text).not.toContain(base64(account.password));
      expect(text).not.toContain(base64(`\0${account.name}\0${account.password}`));
    }
  });

  it('records nothing for a virtual server whose logging is disabled', async () => {
    const config = labPreset('secure', { portBase: 0, aliases: true });
    config.servers[0]!.logging = false;
    const quiet = await startLab(config);
    try {
      await smtpDialog(quiet.servers[0]!, ['EHLO client.test', 'QUIT']);
      expect(
        quiet.log
          .events()
          .filter((event) => event.server === 'Default SMTP Virtual Server')
          .map((event) => event.kind),
      ).toEqual(['listen']);
    } finally {
      await quiet.stop();
    }
  });
});

function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

describe('starting and stopping', () => {
  it('frees its ports on stop, and stop can be called twice', async () => {
    const other = await startLab(labPreset('open-relay', { portBase: 0, aliases: true }));
    const [first, second] = other.servers;
    await Promise.all([other.stop(), other.stop()]);
    expect(await portIsFree(first!.host, first!.port)).toBe(true);
    expect(await portIsFree(second!.host, second!.port)).toBe(true);
  });

  it('reports a port in use and leaves nothing listening', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.2', resolve));
    const blockedPort = (blocker.address() as net.AddressInfo).port;
    const config = labPreset('secure', { portBase: 0, aliases: true });
    config.servers[1]!.port = blockedPort;
    const log = new LabLog();
    try {
      await expect(startLab(config, { log })).rejects.toThrow(LabStartError);
      await expect(startLab(config, { log })).rejects.toThrow(`127.0.0.2:${blockedPort} is already in use`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    const started = log.events().filter((event) => event.kind === 'listen');
    expect(started).toHaveLength(2);
    for (const event of started) {
      const port = Number(/127\.0\.0\.1:(\d+)/.exec(event.text)?.[1]);
      expect(await portIsFree('127.0.0.1', port)).toBe(true);
    }
  });
});

// Issue 10, finding 4: a man in the middle strips STARTTLS from the real Postfix EHLO reply. In `tls: auto` (the
// default) the account's password must never cross; only an explicit `tls: none` sends AUTH in clear.
import net from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NO_STARTTLS_FOR_AUTH } from '../../main/smtp/session.js';
import { classifyOutcome } from '../../shared/outcome.js';
import { judge } from '../../shared/verdict.js';
import type { TestCase } from '../../shared/matrix.js';
import { assertTestbedRunning, PASSWORDS, probe, RELAY_SERVER } from '../support/testbed.js';

beforeAll(assertTestbedRunning);

interface Stripper {
  port: number;
  /** Every byte the client sent towards the server, as latin1 text. */
  fromClient(): string;
  /** How many STARTTLS lines were removed from the server's replies. */
  stripped(): number;
  close(): Promise<void>;
}

/** A real TCP proxy to `target` that deletes the STARTTLS line from every EHLO reply it forwards. */
async function startTlsStripper(target: { host: string; port: number }): Promise<Stripper> {
  let clientBytes = '';
  let removed = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target);
    sockets.add(client).add(upstream);
    let pending = '';
    upstream.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      const lines = pending.split('\r\n');
      pending = lines.pop() ?? '';
      const kept = lines.filter((line) => {
        if (/^250[ -]STARTTLS$/i.test(line)) {
          removed += 1;
          return false;
        }
        return true;
      });
      if (kept.length > 0) client.write(Buffer.from(`${kept.join('\r\n')}\r\n`, 'latin1'));
    });
    client.on('data', (chunk: Buffer) => {
      clientBytes += chunk.toString('latin1');
      upstream.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    fromClient: () => clientBytes,
    stripped: () => removed,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const ALICE = PASSWORDS.get('alice')!;
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
/** Every form alice's password could cross in: as is, LOGIN's base64, PLAIN's blob. */
const PASSWORD_FORMS = [ALICE, b64(ALICE), b64(`\0alice\0${ALICE}`), b64(`alice\0alice\0${ALICE}`)];

let proxy: Stripper | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

const aliceCase: TestCase = {
  id: 'relay/as-alice/to-external',
  title: 'alice should relay',
  kind: 'account',
  server: 'relay',
  account: 'alice',
  expect: 'relay',
  because: 'alice is allowed to relay',
};

describe('STARTTLS stripped by a man in the middle', () => {
  it.each(['login', 'plain', 'cram-md5'] as const)(
    'in tls auto, %s sends no AUTH line and no password form; the account case ends error',
    async (mechanism) => {
      proxy = await startTlsStripper(RELAY_SERVER);
      const session = await probe({
        server: { host: '127.0.0.1', port: proxy.port },
        user: 'alice',
        mechanism,
        tls: 'auto',
      });
      expect(proxy.stripped()).toBeGreaterThan(0);
      const sent = proxy.fromClient();
      expect(sent).toMatch(/^EHLO /);
      expect(sent).not.toMatch(/AUTH/i);
      expect(sent).not.toMatch(/MAIL FROM/i);
      for (const form of PASSWORD_FORMS) expect(sent).not.toContain(form);
      const outcome = classifyOutcome(session);
      expect(outcome).toMatchObject({ outcome: 'tls-failed', stage: 'starttls', text: NO_STARTTLS_FOR_AUTH });
      expect(NO_STARTTLS_FOR_AUTH).toBe(
        'the server offered no STARTTLS; AUTH would send the password in clear (set tls: none for this server if that is intended)',
      );
      const verdict = judge(aliceCase, outcome, {});
      expect(verdict.verdict).toBe('error');
      expect(verdict.reason).toContain('the server offered no STARTTLS');
    },
  );

  it('with an explicit tls none, AUTH is sent in clear with the warning kept (the proxy would have seen it)', async () => {
    proxy = await startTlsStripper(RELAY_SERVER);
    const session = await probe({
      server: { host: '127.0.0.1', port: proxy.port },
      user: 'alice',
      mechanism: 'login',
      tls: 'none',
    });
    expect(proxy.fromClient()).toContain('AUTH LOGIN');
    expect(proxy.fromClient()).toContain(b64(ALICE));
    const warnings = session.events.flatMap((event) =>
      event.type === 'note' && event.level === 'warning' ? [event.text] : [],
    );
    expect(warnings).toContain(
      'AUTH on an unencrypted connection: the credentials cross the network readable by anyone on the path',
    );
    expect(classifyOutcome(session).outcome).toBe('recipient-accepted');
  });

  it('unauthenticated cases keep working in tls auto: the relay is still asked about, with a warning', async () => {
    proxy = await startTlsStripper(RELAY_SERVER);
    const session = await probe({ server: { host: '127.0.0.1', port: proxy.port }, tls: 'auto' });
    expect(proxy.fromClient()).toContain('RCPT TO:<x@external.example>');
    const outcome = classifyOutcome(session);
    expect(outcome.outcome).toBe('recipient-rejected');
    expect(session.events.some((event) => event.type === 'note' && event.text.includes('continues unencrypted'))).toBe(
      true,
    );
  });
});

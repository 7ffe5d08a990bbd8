// `relay-tester probe` as a user runs it, in a child process against the fake server: the canary password in
// nothing it prints (docs/reliability.md §19), --timeout bounding each stage, and input refused before connecting
// (docs/reliability.md §17). Independent runs go in parallel: each start of the CLI costs most of a second.
import { beforeAll, describe, expect, it } from 'vitest';
import { relayTester } from '../support/cli.js';
import { CANARY, CANARY_USER, authServer, expectNoCanary, wireCarriesCanary } from './canary.js';
import { probeArgs, parsed, requireBuiltCli } from './cliProbe.js';
import { ehloReply, fakeServer, type FakeConnection } from './fakeServer.js';
import { FROM, HELO } from './harness.js';

beforeAll(requireBuiltCli);

describe('the canary password in nothing the probe prints (reliability §19)', () => {
  it.each(['plain', 'login', 'cram-md5', 'ntlm', 'xoauth2', 'oauthbearer'] as const)(
    'with %s, with and without --json',
    async (mechanism) => {
      const server = await fakeServer(authServer(mechanism, 'echoed'));
      const args = probeArgs(
        server,
        '--tls',
        'none',
        '--user',
        CANARY_USER,
        '--password-env',
        'RT_CANARY',
        '--auth',
        mechanism,
      );
      const env = { RT_CANARY: CANARY };
      const [json, text] = await Promise.all([
        relayTester([...args, '--json'], { env }),
        relayTester([...args, '--timings'], { env }),
      ]);
      expect(parsed(json)).toMatchObject({ outcome: 'auth-failed', stage: 'auth', code: 500, enhancedCode: '5.5.1' });
      expect(parsed(json).transcript).toEqual(
        expect.arrayContaining([expect.objectContaining({ type: 'connect', local: '127.0.0.1' })]),
      );
      expect(text.stdout).toContain('Outcome: auth-failed at auth 500 5.5.1');
      // The server did receive the credentials and quoted them back, so the checks below are not vacuous.
      const wire = server.connections.map((connection) => connection.receivedText).join('');
      expect(wireCarriesCanary(wire, mechanism)).toBe(true);
      for (const run of [json, text]) {
        expect(run.status).toBe(12); // auth-failed
        expect(run.stderr).toBe('');
        expectNoCanary(run.stdout, 'stdout');
        expectNoCanary(run.stderr, 'stderr');
      }
    },
  );
});

describe('--timeout bounds each stage', () => {
  const silentAt: Record<string, (connection: FakeConnection) => Promise<void>> = {
    greeting: (connection) => connection.stall(),
    ehlo: async (connection) => {
      await connection.send('220 fake.test ESMTP\r\n');
      await connection.stall();
    },
    rcpt: async (connection) => {
      await connection.send('220 fake.test ESMTP\r\n');
      await connection.expect(`EHLO ${HELO}`);
      await connection.send(ehloReply(['PIPELINING']));
      await connection.expect(`MAIL FROM:<${FROM}>`);
      await connection.send('250 Ok\r\n');
      await connection.stall();
    },
  };

  it('gives up on a server silent at the greeting, at EHLO or at RCPT after --timeout 0.3', async () => {
    await Promise.all(
      Object.entries(silentAt).map(async ([stage, handler]) => {
        const server = await fakeServer(handler);
        const started = performance.now();
        const run = await relayTester(probeArgs(server, '--tls', 'none', '--timeout', '0.3', '--json'));
        const elapsed = performance.now() - started;
        expect(run.status, stage).toBe(21);
        expect(parsed(run)).toMatchObject({ outcome: 'timeout', stage });
        expect(parsed(run).text).toContain('within 300 ms');
        expect(elapsed).toBeLessThan(6_000); // node's start-up included; the default deadline is 30 s
        await (
          await server.connection()
        ).closed;
      }),
    );
  });
});

describe('input that could inject commands (reliability §17)', () => {
  it('refuses a HELO name with CR LF before connecting, with exit status 64', async () => {
    const server = await fakeServer(() => {});
    const args = probeArgs(server, '--tls', 'none').map((arg, index, all) =>
      all[index - 1] === '--helo' ? 'a\r\nRSET' : arg,
    );
    const run = await relayTester(args);
    expect(run.status).toBe(64);
    expect(run.stderr).toContain('the HELO name contains CR, LF or NUL');
    expect(server.connections).toHaveLength(0);
  });
});

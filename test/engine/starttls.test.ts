// STARTTLS and implicit TLS against a fake server with certificates made at test time: docs/reliability.md §12
// (pre-TLS injection), §13 (never fall back to plaintext) and §14 (certificate checks, pins, SNI).
import { once } from 'node:events';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tunnel } from '../../main/smtp/tunnel.js';
import type { CertificateCheck, SessionResult } from '../../shared/session.js';
import { fingerprint, makeCertificates, type TestCertificates } from './certificates.js';
import { ehloReply, fakeServer, type FakeConnection, type FakeServerOptions } from './fakeServer.js';
import { FROM, HELO, TO, expectNothingOpen, probe, resourceBaseline, specFor, texts } from './harness.js';

const GREETING = '220 fake.test ESMTP\r\n';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

let certificates: TestCertificates;
beforeAll(() => {
  certificates = makeCertificates();
});
afterAll(() => certificates.remove());

function withCertificate(cert: string): FakeServerOptions {
  return { tls: { key: certificates.key, cert } };
}

/** Greeting, EHLO offering STARTTLS, STARTTLS and the handshake; then EHLO over TLS with `secureKeywords`. */
async function upgrade(connection: FakeConnection, secureKeywords: string[] = ['PIPELINING']): Promise<void> {
  await connection.send(GREETING);
  await connection.expect(`EHLO ${HELO}`);
  await connection.send(ehloReply(['PIPELINING', 'STARTTLS']));
  await connection.expect('STARTTLS');
  await connection.startTls();
  await connection.expect(`EHLO ${HELO}`);
  await connection.send(ehloReply(secureKeywords));
}

/** The envelope of a relay test after EHLO: accepted, reset, quit. */
async function envelope(connection: FakeConnection): Promise<void> {
  for (const [expected, reply] of [
    [`MAIL FROM:<${FROM}>`, '250 2.1.0 Ok\r\n'],
    [`RCPT TO:<${TO}>`, '250 2.1.5 Ok\r\n'],
    ['RSET', '250 2.0.0 Ok\r\n'],
    ['QUIT', '221 2.0.0 Bye\r\n'],
  ] as const) {
    await connection.expect(expected);
    await connection.send(reply);
  }
}

function tlsSpec(port: number, certificate: CertificateCheck, overrides: Parameters<typeof specFor>[1] = {}) {
  return specFor(port, { tls: 'starttls', certificate, ...overrides });
}

function warnings(result: SessionResult): string[] {
  return result.events.flatMap((event) => (event.type === 'note' && event.level === 'warning' ? [event.text] : []));
}

/** The client lines the server received after the handshake. */
function linesOverTls(connection: FakeConnection): string[] {
  return connection.lines.filter((line) => line.tls).map((line) => line.text);
}

describe('STARTTLS', () => {
  it('upgrades, says EHLO again over TLS and marks every later line as encrypted', async () => {
    const before = resourceBaseline();
    const server = await fakeServer(async (connection) => {
      await upgrade(connection);
      await envelope(connection);
    }, withCertificate(certificates.selfSigned));
    const { result, outcome } = await probe(tlsSpec(server.port, { mode: 'allow-invalid' }));
    const connection = await server.connection();
    expect(connection.lines.filter((line) => !line.tls).map((line) => line.text)).toEqual([`EHLO ${HELO}`, 'STARTTLS']);
    expect(linesOverTls(connection)).toEqual([
      `EHLO ${HELO}`,
      `MAIL FROM:<${FROM}>`,
      `RCPT TO:<${TO}>`,
      'RSET',
      'QUIT',
    ]);
    expect(outcome.outcome).toBe('recipient-accepted');
    expect(result.tls).toMatchObject({
      trust: 'allowed-invalid',
      verified: false,
      verifyError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    expect(result.tls?.sha256).toBe(fingerprint(certificates.selfSigned));
    const clientEvents = result.events.filter((event) => event.type === 'client');
    expect(clientEvents.map((event) => event.tls)).toEqual([false, false, true, true, true, true, true]);
    expect(warnings(result).join('\n')).toContain(
      'certificate NOT verified (DEPTH_ZERO_SELF_SIGNED_CERT); accepted because invalid certificates were explicitly allowed',
    );
    await expectNothingOpen(server, before);
  });

  it('sends the host name as SNI, the configured servername when given, and none for an IP address', async () => {
    const seen: (string | undefined)[] = [];
    const server = await fakeServer(async (connection) => {
      await upgrade(connection);
      seen.push(connection.servername);
      await envelope(connection);
    }, withCertificate(certificates.selfSigned));
    const allow: CertificateCheck = { mode: 'allow-invalid' };
    await probe(tlsSpec(server.port, allow, { host: 'localhost' }));
    await probe(tlsSpec(server.port, allow, { servername: 'mx.example.test' }));
    await probe(tlsSpec(server.port, allow));
    expect(seen).toEqual(['localhost', 'mx.example.test', undefined]);
  });

  it('refuses a self-signed certificate with the reason and sends nothing over that connection', async () => {
    const before = resourceBaseline();
    const server = await fakeServer(async (connection) => {
      await upgrade(connection);
    }, withCertificate(certificates.selfSigned));
    const { result, outcome } = await probe(tlsSpec(server.port, { mode: 'verify' }));
    expect(outcome).toMatchObject({ outcome: 'tls-failed', stage: 'tls' });
    expect(outcome.text).toContain('certificate refused: DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(outcome.text).toContain(fingerprint(certificates.selfSigned)); // so the user can pin it
    expect(result.tls?.trust).toBe('refused');
    expect(result.events.some((event) => event.type === 'tls' && event.details.trust === 'refused')).toBe(true);
    expect(linesOverTls(await server.connection())).toEqual([]);
    await expectNothingOpen(server, before);
  });

  it.each([
    ['as shown by openssl', (pin: string) => pin],
    ['in lower case without colons', (pin: string) => pin.replace(/:/g, '').toLowerCase()],
  ])('accepts a certificate whose pinned SHA-256 fingerprint matches, written %s', async (_name, write) => {
    const server = await fakeServer(async (connection) => {
      await upgrade(connection);
      await envelope(connection);
    }, withCertificate(certificates.expired));
    const pin = fingerprint(certificates.expired);
    const { result, outcome } = await probe(tlsSpec(server.port, { mode: 'pin', sha256: write(pin) }));
    expect(outcome.outcome).toBe('recipient-accepted');
    expect(result.tls?.trust).toBe('pinned');
    expect(warnings(result)).toContain(`certificate accepted by its pinned SHA-256 fingerprint (${pin})`);
  });

  it('refuses a certificate that does not match the pinned fingerprint, even if it would verify otherwise', async () => {
    const server = await fakeServer(async (connection) => {
      await upgrade(connection);
    }, withCertificate(certificates.selfSigned));
    const wrongPin = fingerprint(certificates.localhost);
    const { outcome } = await probe(tlsSpec(server.port, { mode: 'pin', sha256: wrongPin }));
    expect(outcome).toMatchObject({ outcome: 'tls-failed', stage: 'tls' });
    expect(outcome.text).toBe(
      `certificate refused: SHA-256 fingerprint ${fingerprint(certificates.selfSigned)} does not match the pinned ${wrongPin}`,
    );
    expect(linesOverTls(await server.connection())).toEqual([]);
  });

  it('speaks implicit TLS from the first byte and sends no STARTTLS', async () => {
    const server = await fakeServer(
      async (connection) => {
        await connection.send(GREETING);
        await connection.expect(`EHLO ${HELO}`);
        await connection.send(ehloReply(['PIPELINING']));
        await envelope(connection);
      },
      { ...withCertificate(certificates.selfSigned), implicitTls: true },
    );
    const spec = specFor(server.port, { tls: 'implicit', certificate: { mode: 'allow-invalid' } });
    const { result, outcome } = await probe(spec);
    expect(outcome.outcome).toBe('recipient-accepted');
    expect(result.events[0]).toMatchObject({ type: 'connect', tls: true });
    expect((await server.connection()).lines.every((line) => line.tls)).toBe(true);
    expect(texts(result, 'client')).not.toContain('STARTTLS');
    await expectNothingOpen(server);
  });

  it("hands the plain socket to TLS with Node's own listeners still on it, and none of the engine's", async () => {
    const server = await fakeServer(async (connection) => {
      await upgrade(connection);
      await envelope(connection);
    }, withCertificate(certificates.selfSigned));
    // A tunnel that is a plain TCP connection the test keeps, so it can look at the socket the engine upgraded.
    let plain: net.Socket | undefined;
    const before = new Map<string, ReturnType<net.Socket['listeners']>>();
    const direct: Tunnel = {
      describe: 'a direct TCP connection',
      open: async (host, port) => {
        const socket = net.connect({ host, port });
        await once(socket, 'connect');
        for (const event of WATCHED) before.set(event, socket.listeners(event));
        plain = socket;
        return socket;
      },
    };
    const { outcome } = await probe(tlsSpec(server.port, { mode: 'allow-invalid' }, { via: direct }));
    expect(outcome.outcome).toBe('recipient-accepted');
    // Node's net.Socket handles its own end of stream (half-open sockets) with an 'end' listener.
    expect(before.get('end')!.length).toBeGreaterThan(0);
    for (const event of WATCHED) {
      const after = plain!.listeners(event);
      expect(after, event).toEqual(expect.arrayContaining(before.get(event)!));
      // What TLS adds to the socket it wraps may stay; what the engine added for reading plaintext must not.
      expect(
        after.filter((listener) => !before.get(event)!.includes(listener)).map((listener) => listener.name),
      ).toEqual(expect.not.arrayContaining(['onData', 'onEnd', 'onError']));
    }
    await expectNothingOpen(server);
  });
});

const WATCHED = ['data', 'end', 'close', 'error'] as const;

describe('never falling back to plaintext (reliability §13)', () => {
  it('aborts when TLS is required and STARTTLS is not offered, before AUTH or any envelope', async () => {
    const server = await fakeServer(async (connection) => {
      await connection.send(GREETING);
      await connection.expect(`EHLO ${HELO}`);
      await connection.send(ehloReply(['PIPELINING', 'AUTH PLAIN']));
      await connection.stall();
    });
    const auth = { user: 'alice', password: 'Wonder-land-42' };
    const { outcome } = await probe(tlsSpec(server.port, { mode: 'verify' }, { auth }));
    expect(outcome).toMatchObject({ outcome: 'tls-failed', stage: 'starttls' });
    expect(outcome.text).toBe('TLS is required but the server does not offer STARTTLS');
    // Not a byte of the credentials either, although the server offered AUTH PLAIN in the clear.
    expect((await server.connection()).receivedText).toBe(`EHLO ${HELO}\r\n`);
    await expectNothingOpen(server);
  });

  it.each(['starttls', 'auto'] as const)('stops after a 454 to STARTTLS in %s mode and sends no MAIL', async (mode) => {
    const server = await fakeServer(async (connection) => {
      await connection.send(GREETING);
      await connection.expect(`EHLO ${HELO}`);
      await connection.send(ehloReply(['STARTTLS']));
      await connection.expect('STARTTLS');
      await connection.send('454 4.7.0 TLS not available due to local problem\r\n');
      await connection.expect('QUIT');
      await connection.send('221 Bye\r\n');
    });
    const { outcome } = await probe(tlsSpec(server.port, { mode: 'verify' }, { tls: mode }));
    expect(outcome).toMatchObject({ outcome: 'tls-failed', stage: 'starttls', code: 454, detail: 'STARTTLS refused' });
    expect((await server.connection()).receivedText).toBe(`EHLO ${HELO}\r\nSTARTTLS\r\nQUIT\r\n`);
  });

  it.each([
    [
      'answers the handshake with plaintext',
      async (connection: FakeConnection) => {
        await connection.send('220 2.0.0 Ready to start TLS\r\n');
        await connection.line().catch(() => undefined); // the ClientHello has no line ending; wait for the close
        await connection.send('500 5.5.1 what is this?\r\n');
        await connection.stall();
      },
    ],
    [
      'hangs up after its 220',
      async (connection: FakeConnection) => {
        await connection.send('220 2.0.0 Ready to start TLS\r\n');
        connection.hangUp();
      },
    ],
    [
      'resets after its 220',
      async (connection: FakeConnection) => {
        await connection.send('220 2.0.0 Ready to start TLS\r\n');
        connection.reset();
      },
    ],
  ])('reports a failed handshake when the server %s, and sends nothing in plaintext', async (_name, misbehave) => {
    const before = resourceBaseline();
    const server = await fakeServer(async (connection) => {
      await connection.send(GREETING);
      await connection.expect(`EHLO ${HELO}`);
      await connection.send(ehloReply(['STARTTLS']));
      await connection.expect('STARTTLS');
      await misbehave(connection);
    });
    const { outcome, result } = await probe(tlsSpec(server.port, { mode: 'allow-invalid' }));
    expect(outcome).toMatchObject({ outcome: 'tls-failed', stage: 'tls' });
    expect(outcome.text).toMatch(/^TLS handshake failed: /);
    expect(texts(result, 'client')).toEqual([`EHLO ${HELO}`, 'STARTTLS']);
    const sent = (await server.connection()).received.toString('latin1');
    expect(sent).not.toContain('MAIL FROM');
    expect(sent).not.toContain('QUIT');
    await expectNothingOpen(server, before);
  });

  it('times out a handshake the server never answers, naming the stage', async () => {
    const server = await fakeServer(async (connection) => {
      await connection.send(GREETING);
      await connection.expect(`EHLO ${HELO}`);
      await connection.send(ehloReply(['STARTTLS']));
      await connection.expect('STARTTLS');
      await connection.send('220 2.0.0 Ready to start TLS\r\n');
      await connection.stall();
    });
    const spec = tlsSpec(
      server.port,
      { mode: 'allow-invalid' },
      { timeouts: { connectMs: 2_000, greetingMs: 2_000, replyMs: 300 } },
    );
    const { outcome } = await probe(spec);
    expect(outcome).toMatchObject({ outcome: 'timeout', stage: 'tls', text: 'TLS handshake timeout after 300 ms' });
    await expectNothingOpen(server);
  });

  it('continues in plaintext with a warning when TLS is only preferred (auto) and not offered', async () => {
    const server = await fakeServer(async (connection) => {
      await connection.send(GREETING);
      await connection.expect(`EHLO ${HELO}`);
      await connection.send(ehloReply(['PIPELINING']));
      await envelope(connection);
    });
    const { result, outcome } = await probe(tlsSpec(server.port, { mode: 'verify' }, { tls: 'auto' }));
    expect(outcome.outcome).toBe('recipient-accepted');
    expect(warnings(result)).toContain('the server does not offer STARTTLS: the session continues unencrypted');
  });
});

describe('AUTH never goes unencrypted in auto (issue 10, finding 4)', () => {
  it.each([
    ['EHLO offers no STARTTLS', ['AUTH PLAIN LOGIN']],
    ['EHLO is refused and HELO has no extensions', null],
  ] as const)('quits before AUTH when %s, and the password never crosses', async (_name, keywords) => {
    const server = await fakeServer(async (connection) => {
      await connection.send(GREETING);
      await connection.expect(`EHLO ${HELO}`);
      if (keywords) await connection.send(ehloReply(keywords));
      else {
        await connection.send('502 5.5.1 EHLO not implemented\r\n');
        await connection.expect(`HELO ${HELO}`);
        await connection.send('250 fake.test\r\n');
      }
      await connection.expect('QUIT');
      await connection.send('221 2.0.0 Bye\r\n');
    });
    const spec = specFor(server.port, { tls: 'auto', auth: { user: 'alice', password: 'Wonder-land-42' } });
    const { outcome } = await probe(spec);
    const connection = await server.connection();
    expect(connection.lines.map((line) => line.text).filter((text) => /^(AUTH|MAIL)/.test(text))).toEqual([]);
    expect(connection.received.toString('latin1')).not.toContain(b64('Wonder-land-42'));
    expect(outcome).toMatchObject({
      outcome: 'tls-failed',
      stage: 'starttls',
      text: 'the server offered no STARTTLS; AUTH would send the password in clear (set tls: none for this server if that is intended)',
    });
  });
});

describe('nothing learnt before TLS is used after it (reliability §12)', () => {
  it('aborts when a forged EHLO line arrives with the greeting, before EHLO was even sent', async () => {
    const server = await fakeServer(async (connection) => {
      await connection.send(`${GREETING}250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n`);
      await connection.stall();
    }, withCertificate(certificates.selfSigned));
    const { outcome, result } = await probe(tlsSpec(server.port, { mode: 'allow-invalid' }));
    expect(outcome).toMatchObject({ outcome: 'protocol-error', stage: 'ehlo' });
    expect(outcome.text).toContain('the server sent data before the EHLO command was sent');
    expect(result.capabilities).toBeUndefined();
    expect((await server.connection()).received.length).toBe(0);
    await expectNothingOpen(server);
  });

  it('discards bytes that follow the 220 to STARTTLS and uses only what the EHLO over TLS offered', async () => {
    const server = await fakeServer(async (connection) => {
      await connection.send(GREETING);
      await connection.expect(`EHLO ${HELO}`);
      await connection.send(ehloReply(['STARTTLS', 'AUTH PLAIN CRAM-MD5']));
      await connection.expect('STARTTLS');
      // The injected lines arrive in the same segment as the 220, in plaintext.
      await connection.startTls('220 2.0.0 Ready to start TLS\r\n250-fake.test\r\n250 AUTH PLAIN\r\n');
      await connection.expect(`EHLO ${HELO}`);
      await connection.send(ehloReply(['AUTH LOGIN']));
      await connection.expect('AUTH LOGIN');
      await connection.send('334 VXNlcm5hbWU6\r\n');
      await connection.expect(b64('alice'));
      await connection.send('334 UGFzc3dvcmQ6\r\n');
      await connection.expect(b64('Wonder-land-42'));
      await connection.send('235 2.7.0 Authentication successful\r\n');
      await envelope(connection);
    }, withCertificate(certificates.selfSigned));
    const spec = tlsSpec(
      server.port,
      { mode: 'allow-invalid' },
      { auth: { user: 'alice', password: 'Wonder-land-42' } },
    );
    const { outcome, result } = await probe(spec);
    expect(outcome.outcome).toBe('recipient-accepted');
    expect(result.capabilities?.authMechanisms).toEqual(['LOGIN']);
    expect(linesOverTls(await server.connection()).slice(0, 2)).toEqual([`EHLO ${HELO}`, 'AUTH LOGIN']);
    // "250-fake.test\r\n" and "250 AUTH PLAIN\r\n": 15 + 16 bytes, not the one reply they make (finding 9).
    expect(warnings(result).filter((text) => text.startsWith('discarded'))).toEqual([
      'discarded 31 bytes the server sent before TLS started (RFC 3207 §4.2: possible command injection)',
    ]);
    // The injected lines stay in the transcript as evidence, followed by the warning that they were discarded.
    const injected = result.events.findIndex((event) => event.type === 'server' && event.text === '250 AUTH PLAIN');
    const discarded = result.events.findIndex((event) => event.type === 'note' && event.text.startsWith('discarded'));
    expect(injected).toBeGreaterThan(-1);
    expect(discarded).toBeGreaterThan(injected);
  });

  it('aborts when extra replies follow the EHLO reply before STARTTLS', async () => {
    const server = await fakeServer(async (connection) => {
      await connection.send(GREETING);
      await connection.expect(`EHLO ${HELO}`);
      await connection.send(`${ehloReply(['STARTTLS'])}250-AUTH PLAIN\r\n250 OK\r\n`);
      await connection.stall();
    }, withCertificate(certificates.selfSigned));
    const { outcome } = await probe(tlsSpec(server.port, { mode: 'allow-invalid' }));
    expect(outcome).toMatchObject({ outcome: 'protocol-error', stage: 'starttls' });
    expect((await server.connection()).receivedText).toBe(`EHLO ${HELO}\r\n`);
  });
});

describe('faults after the handshake', () => {
  it('keeps the transcript of a reset over TLS and leaves nothing open', async () => {
    const before = resourceBaseline();
    const server = await fakeServer(async (connection) => {
      await upgrade(connection);
      await connection.expect(`MAIL FROM:<${FROM}>`);
      connection.reset();
    }, withCertificate(certificates.selfSigned));
    const { outcome, result } = await probe(tlsSpec(server.port, { mode: 'allow-invalid' }));
    expect(outcome).toMatchObject({ outcome: 'protocol-error', stage: 'mail' });
    expect(texts(result, 'client')).toEqual([`EHLO ${HELO}`, 'STARTTLS', `EHLO ${HELO}`, `MAIL FROM:<${FROM}>`]);
    await expectNothingOpen(server, before);
  });

  it('cancels over TLS and leaves nothing open', async () => {
    const before = resourceBaseline();
    const controller = new AbortController();
    const server = await fakeServer(async (connection) => {
      await upgrade(connection);
      await connection.expect(`MAIL FROM:<${FROM}>`);
      controller.abort();
      await connection.stall();
    }, withCertificate(certificates.selfSigned));
    const { outcome } = await probe(tlsSpec(server.port, { mode: 'allow-invalid' }), controller.signal);
    expect(outcome).toMatchObject({ outcome: 'cancelled', stage: 'mail' });
    await expectNothingOpen(server, before);
  });
});

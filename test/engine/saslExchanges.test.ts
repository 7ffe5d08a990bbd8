// XOAUTH2, OAUTHBEARER and NTLM against scripted fake servers: the exact bytes on the wire, the JSON error
// challenge of RFC 7628 answered as §3.2.3 says, and what the transcript shows instead of the secret.
import { describe, expect, it } from 'vitest';
import { defaultSteps } from '../../main/smtp/sessionSpec.js';
import { ehloReply, fakeServer, script, type Turn } from './fakeServer.js';
import { FROM, HELO, TO, expectNothingOpen, probe, specFor, texts } from './harness.js';

const GREETING = '220 fake.test ESMTP\r\n';
const TOKEN = 'ya29.Token-For-Tests-9f8e7d';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const ENVELOPE: Turn[] = [
  [`MAIL FROM:<${FROM}>`, '250 2.1.0 Ok\r\n'],
  [`RCPT TO:<${TO}>`, '250 2.1.5 Ok\r\n'],
  ['RSET', '250 2.0.0 Ok\r\n'],
  ['QUIT', '221 2.0.0 Bye\r\n'],
];
const ERROR_JSON = '{"status":"invalid_token","schemes":"bearer","scope":"https://mail.example/"}';

describe('XOAUTH2', () => {
  const blob = b64(`user=alice@corp.test\x01auth=Bearer ${TOKEN}\x01\x01`);

  it('sends user and bearer token as the initial response, and shows neither token nor blob', async () => {
    const server = await fakeServer(
      script(GREETING, [
        [`EHLO ${HELO}`, ehloReply(['AUTH LOGIN XOAUTH2'])],
        [`AUTH XOAUTH2 ${blob}`, '235 2.7.0 Accepted\r\n'],
        ...ENVELOPE,
      ]),
    );
    const { result, outcome } = await probe(
      specFor(server.port, { auth: { user: 'alice@corp.test', password: TOKEN, mechanism: 'xoauth2' } }),
    );
    expect(outcome.outcome).toBe('recipient-accepted');
    expect(texts(result, 'client')).toContain('AUTH XOAUTH2 <XOAUTH2 access token for alice@corp.test hidden>');
    expect(JSON.stringify(result)).not.toContain(TOKEN);
    expect(JSON.stringify(result)).not.toContain(blob);
    await expectNothingOpen(server);
  });

  it('answers the JSON error challenge with an empty line and reports auth-failed with the decoded error', async () => {
    const server = await fakeServer(
      script(GREETING, [
        [`EHLO ${HELO}`, ehloReply(['AUTH XOAUTH2'])],
        [`AUTH XOAUTH2 ${blob}`, `334 ${b64(ERROR_JSON)}\r\n`],
        ['', '535 5.7.3 Authentication unsuccessful\r\n'],
        ['QUIT', '221 2.0.0 Bye\r\n'],
      ]),
    );
    const { result, outcome } = await probe(
      specFor(server.port, { auth: { user: 'alice@corp.test', password: TOKEN, mechanism: 'xoauth2' } }),
    );
    expect((await server.connection()).receivedText).toBe(`EHLO ${HELO}\r\nAUTH XOAUTH2 ${blob}\r\n\r\nQUIT\r\n`);
    expect(outcome.outcome).toBe('auth-failed');
    expect(texts(result, 'note')).toContain(
      'the server refused the token: status "invalid_token", scope "https://mail.example/", schemes "bearer"',
    );
  });

  it('is never chosen automatically: a token is not a password', async () => {
    const server = await fakeServer(
      script(GREETING, [
        [`EHLO ${HELO}`, ehloReply(['AUTH XOAUTH2'])],
        ['QUIT', '221 2.0.0 Bye\r\n'],
      ]),
    );
    const { outcome } = await probe(specFor(server.port, { auth: { user: 'alice', password: TOKEN } }));
    expect(outcome.outcome).toBe('auth-unavailable');
  });
});

describe('OAUTHBEARER (RFC 7628)', () => {
  it('sends the GS2 header, host, port and token, and answers an error challenge with a single %x01', async () => {
    let port = 0;
    const server = await fakeServer(async (connection) => {
      await connection.send(GREETING);
      await connection.expect(`EHLO ${HELO}`);
      await connection.send(ehloReply(['AUTH OAUTHBEARER']));
      const expected = b64(`n,a=alice@corp.test,\x01host=127.0.0.1\x01port=${port}\x01auth=Bearer ${TOKEN}\x01\x01`);
      await connection.expect(`AUTH OAUTHBEARER ${expected}`);
      await connection.send(`334 ${b64(ERROR_JSON)}\r\n`);
      await connection.expect('AQ==');
      await connection.send('535 5.7.8 Authentication failed\r\n');
      await connection.expect('QUIT');
      await connection.send('221 Bye\r\n');
    });
    port = server.port;
    const { result, outcome } = await probe(
      specFor(server.port, { auth: { user: 'alice@corp.test', password: TOKEN, mechanism: 'oauthbearer' } }),
    );
    expect(outcome.outcome).toBe('auth-failed');
    expect(texts(result, 'client')).toEqual([
      `EHLO ${HELO}`,
      'AUTH OAUTHBEARER <OAUTHBEARER access token for alice@corp.test hidden>',
      '<%x01: the error is acknowledged>',
      'QUIT',
    ]);
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });
});

describe('NTLM', () => {
  // MS-NLMP §4.2.4.3's challenge message: target "Server", NetBIOS domain "Domain".
  const CHALLENGE = Buffer.from(
    '4e544c4d53535000020000000c000c003800000033828ae20123456789abcdef00000000000000002400240044000000' +
      '060070170000000f530065007200760065007200' +
      '02000c0044006f006d00610069006e0001000c00530065007200760065007200' +
      '00000000',
    'hex',
  ).toString('base64');

  it('sends the negotiate message with AUTH, decodes the challenge, hides the authenticate message', async () => {
    const server = await fakeServer(async (connection) => {
      await connection.send(GREETING);
      await connection.expect(`EHLO ${HELO}`);
      // Exchange's EHLO (the article's servers)
      await connection.send(ehloReply(['AUTH GSSAPI NTLM LOGIN', 'AUTH=LOGIN']));
      await connection.expect('AUTH NTLM TlRMTVNTUAABAAAAB4IIoAAAAAAgAAAAAAAAACAAAAA=');
      await connection.send(`334 ${CHALLENGE}\r\n`);
      const authenticate = Buffer.from(await connection.line(), 'base64');
      expect(authenticate.subarray(0, 12).toString('hex')).toBe('4e544c4d5353500003000000');
      await connection.send('235 2.7.0 Authentication successful\r\n');
      await connection.expect(`MAIL FROM:<${FROM}>`);
      await connection.send('250 2.1.0 Ok\r\n');
      await connection.expect(`RCPT TO:<${TO}>`);
      await connection.send('250 2.1.5 Ok\r\n');
      await connection.expect('RSET');
      await connection.send('250 2.0.0 Ok\r\n');
      await connection.expect('QUIT');
      await connection.send('221 Bye\r\n');
    });
    const { result, outcome } = await probe(
      specFor(server.port, { auth: { user: 'CORP\\alice', password: 'Ntlm-Secret-1' } }),
    );
    expect(outcome.outcome).toBe('recipient-accepted');
    const notes = texts(result, 'note');
    expect(notes.some((note) => note.startsWith('NTLM challenge: target "Server", flags 0xe28a8233'))).toBe(true);
    expect(notes).toContain('NTLM target information: NetBIOS domain "Domain", NetBIOS computer "Server"');
    expect(texts(result, 'client')[2]).toBe(
      '<NTLMv2 authenticate message for alice, domain CORP, workstation RELAY-TESTER: response hidden>',
    );
    expect(JSON.stringify(result)).not.toContain('TlRMTVNTUAADAAAA');
  });
});

describe('SMTPUTF8 (RFC 6531)', () => {
  const utf8Steps = defaultSteps({ from: 'jürgen@corp.test', to: ['zoë@external.example'], auth: false, tls: 'none' });

  it('adds the SMTPUTF8 parameter to MAIL when an address is not ASCII and the server offers it', async () => {
    const server = await fakeServer(
      script(GREETING, [
        [`EHLO ${HELO}`, ehloReply(['8BITMIME', 'SMTPUTF8'])],
        ['MAIL FROM:<jürgen@corp.test> SMTPUTF8', '250 2.1.0 Ok\r\n'],
        ['RCPT TO:<zoë@external.example>', '250 2.1.5 Ok\r\n'],
        ['RSET', '250 2.0.0 Ok\r\n'],
        ['QUIT', '221 2.0.0 Bye\r\n'],
      ]),
    );
    const { outcome } = await probe(specFor(server.port, { steps: utf8Steps }));
    expect(outcome.outcome).toBe('recipient-accepted');
  });

  it('ends the case as an error before any MAIL when the server does not offer SMTPUTF8', async () => {
    const server = await fakeServer(
      script(GREETING, [
        [`EHLO ${HELO}`, ehloReply(['8BITMIME'])],
        ['QUIT', '221 2.0.0 Bye\r\n'],
      ]),
    );
    const { result, outcome } = await probe(specFor(server.port, { steps: utf8Steps }));
    expect((await server.connection()).receivedText).toBe(`EHLO ${HELO}\r\nQUIT\r\n`);
    expect(outcome.outcome).toBe('unsupported');
    expect(outcome.text).toMatch(/^the server does not offer SMTPUTF8/);
    expect(result.failure?.stage).toBe('mail');
  });

  it('sends ASCII envelopes without the parameter, even to a server that offers it', async () => {
    const server = await fakeServer(script(GREETING, [[`EHLO ${HELO}`, ehloReply(['SMTPUTF8'])], ...ENVELOPE]));
    expect((await probe(specFor(server.port))).outcome.outcome).toBe('recipient-accepted');
  });
});

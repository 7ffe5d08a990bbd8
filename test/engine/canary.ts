// The canary password of docs/reliability.md §19 and a server that takes it through AUTH, shared by the engine and
// CLI tests. The forms are computed here, independently of shared/redact.ts, so a gap there cannot hide a leak.
import { expect } from 'vitest';
import type { AuthMechanism } from '../../shared/session.js';
import { ehloReply, refuseRelay, type FakeConnection } from './fakeServer.js';
import { HELO } from './harness.js';

export const CANARY_USER = 'canary-user';
export const CANARY = 'Canary-7f3a9c-Pässwörd';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** Every form the canary could travel in: itself, its base64 (LOGIN), the PLAIN blobs and the XOAUTH2 blob. */
export const CANARY_FORMS = [
  CANARY,
  b64(CANARY),
  b64(`\0${CANARY_USER}\0${CANARY}`),
  b64(`${CANARY_USER}\0${CANARY_USER}\0${CANARY}`),
  b64(`user=${CANARY_USER}\x01auth=Bearer ${CANARY}\x01\x01`),
];

/** The start of an NTLM authenticate message in base64 ("NTLMSSP\0", type 3): its response derives from the password. */
export const NTLM_AUTHENTICATE = 'TlRMTVNTUAADAAAA';

/** A challenge a client can answer (MS-NLMP §4.2.4.3's, target "Server"). */
const NTLM_CHALLENGE = Buffer.from(
  '4e544c4d53535000020000000c000c003800000033828ae20123456789abcdef00000000000000002400240044000000' +
    '060070170000000f530065007200760065007200' +
    '02000c0044006f006d00610069006e0001000c00530065007200760065007200' +
    '00000000',
  'hex',
).toString('base64');

/** Whether what the client sent carries the canary in the form its mechanism uses, so a clean record means something. */
export function wireCarriesCanary(wire: string, mechanism: AuthMechanism): boolean {
  if (mechanism === 'ntlm') return wire.includes(NTLM_AUTHENTICATE);
  if (mechanism === 'cram-md5') return true; // only an HMAC of the canary crosses
  return decodedRuns(wire).some((text) => text.includes(CANARY)) || wire.includes(CANARY);
}

/** Every base64 run of 16 characters or more, decoded: OAUTHBEARER's blob holds host and port, so no fixed form. */
function decodedRuns(text: string): string[] {
  return (text.match(/[A-Za-z0-9+/]{16,}={0,2}/g) ?? []).map((run) => Buffer.from(run, 'base64').toString('utf8'));
}

/** How the server answers the credentials: `echoed` quotes them back, as Sendmail does with what it does not expect. */
export type CredentialsEnding = 'accepted' | 'refused' | 'echoed' | 'stalled';

/** A server that runs AUTH with `mechanism` up to the credentials, ends it as `ending` says, then refuses the relay. */
export function authServer(mechanism: AuthMechanism, ending: CredentialsEnding) {
  return async function authenticating(connection: FakeConnection): Promise<void> {
    await connection.send('220 fake.test ESMTP\r\n');
    await connection.expect(`EHLO ${HELO}`);
    await connection.send(ehloReply(['AUTH PLAIN LOGIN CRAM-MD5 NTLM XOAUTH2 OAUTHBEARER']));
    let last = await connection.line();
    if (mechanism === 'ntlm') {
      await connection.send(`334 ${NTLM_CHALLENGE}\r\n`);
      last = await connection.line();
    }
    if (mechanism === 'login') {
      await connection.send('334 VXNlcm5hbWU6\r\n');
      await connection.line();
      await connection.send('334 UGFzc3dvcmQ6\r\n');
      last = await connection.line();
    } else if (mechanism === 'cram-md5') {
      await connection.send(`334 ${b64('<42.1700000000@fake.test>')}\r\n`);
      last = await connection.line();
    }
    if (ending === 'stalled') return connection.stall();
    const replies: Record<Exclude<CredentialsEnding, 'stalled'>, string> = {
      accepted: '235 2.7.0 Authentication successful\r\n',
      refused: '535 5.7.8 Error: authentication failed: authentication failure\r\n',
      echoed: `500-5.5.1 Command unrecognized: "${last}"\r\n500 5.5.1 (${last})\r\n`,
    };
    await connection.send(replies[ending]);
    await refuseRelay(connection);
  };
}

export function expectNoCanary(text: string, where: string): void {
  for (const form of CANARY_FORMS) {
    expect(text.includes(form), `${where} contains ${JSON.stringify(form)}`).toBe(false);
  }
  expect(
    decodedRuns(text).some((decoded) => decoded.includes(CANARY)),
    `${where} contains the canary in base64`,
  ).toBe(false);
  expect(text.includes(NTLM_AUTHENTICATE), `${where} contains an NTLM authenticate message`).toBe(false);
}

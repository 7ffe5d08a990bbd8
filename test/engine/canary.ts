// The canary password of docs/reliability.md §19 and a server that takes it through AUTH, shared by the engine and
// CLI tests. The forms are computed here, independently of shared/redact.ts, so a gap there cannot hide a leak.
import { expect } from 'vitest';
import type { AuthMechanism } from '../../shared/session.js';
import { ehloReply, refuseRelay, type FakeConnection } from './fakeServer.js';
import { HELO } from './harness.js';

export const CANARY_USER = 'canary-user';
export const CANARY = 'Canary-7f3a9c-Pässwörd';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** Every form the canary could travel in: itself, its base64 (LOGIN) and the PLAIN blobs. */
export const CANARY_FORMS = [
  CANARY,
  b64(CANARY),
  b64(`\0${CANARY_USER}\0${CANARY}`),
  b64(`${CANARY_USER}\0${CANARY_USER}\0${CANARY}`),
];

/** How the server answers the credentials: `echoed` quotes them back, as Sendmail does with what it does not expect. */
export type CredentialsEnding = 'accepted' | 'refused' | 'echoed' | 'stalled';

/** A server that runs AUTH with `mechanism` up to the credentials, ends it as `ending` says, then refuses the relay. */
export function authServer(mechanism: AuthMechanism, ending: CredentialsEnding) {
  return async function authenticating(connection: FakeConnection): Promise<void> {
    await connection.send('220 fake.test ESMTP\r\n');
    await connection.expect(`EHLO ${HELO}`);
    await connection.send(ehloReply(['AUTH PLAIN LOGIN CRAM-MD5']));
    let last = await connection.line();
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
}

// A hostile SMTP server for the untrusted-text tests: escape sequences in its greeting, EHLO and replies, a bare CR
// that would overwrite a line, a malformed line that ends the session, and a self-signed certificate whose
// subject and issuer carry OSC 52, clear-screen and a bare CR.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ehloReply,
  startFakeServer,
  type FakeConnection,
  type FakeServer,
  type TlsMaterial,
} from '../engine/fakeServer.js';

export const OSC52 = '\x1b]52;c;ZXZpbA==\x07';
/** How makeVisible shows OSC 52. */
export const OSC52_VISIBLE = '\\e]52;c;ZXZpbA==\\x07';

/** A forged line that clears the screen and homes the cursor, hoping to be the only line shown. */
export const FORGED = '\x1b[2J\x1b[3J\x1b[HS: 550 5.7.1 relay denied';

export interface HostileCertificate extends TlsMaterial {
  remove(): void;
}

export function hostileCertificate(): HostileCertificate {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'relay-tester-hostile-cert-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      'key.pem',
      '-out',
      'cert.pem',
      '-days',
      '2',
      '-utf8',
      '-subj',
      `/CN=evil${OSC52}\x1b[2J/O=Org\x1b]0;title\x07\r`,
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { cwd: dir, stdio: 'pipe' },
  );
  return {
    key: readFileSync(path.join(dir, 'key.pem')),
    cert: readFileSync(path.join(dir, 'cert.pem')),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function hostile(connection: FakeConnection): Promise<void> {
  await connection.send(`220 hostile.test ${OSC52} \x1b]0;owned\x07 \x1b[2J ESMTP\r\n`);
  let secure = false;
  for (;;) {
    const line = await connection.line();
    const verb = line.slice(0, 4).toUpperCase();
    if (verb === 'EHLO') {
      await connection.send(
        secure ? '250-hostile.test \u009b2J\r\n250 8BITMIME\r\n' : ehloReply(['STARTTLS'], 'hostile.test'),
      );
    } else if (verb === 'STAR') {
      await connection.startTls();
      secure = true;
    } else if (verb === 'MAIL') {
      await connection.send('250 2.1.0 sender \x7f ok\r\n');
    } else if (verb === 'RCPT' && line.toLowerCase().endsWith('@corp.test>')) {
      await connection.send('250 2.1.5 \x1b]0;local\x07 ok\r\n');
    } else if (verb === 'RCPT') {
      // A bare CR would return the cursor and let the forged rest of the line overwrite the real reply.
      await connection.send('550 5.7.1 \x1b]0;owned\x07 no\rS: 250 2.1.5 OK\r\n');
    } else if (verb === 'RSET') {
      await connection.send(`${FORGED}\r\n`);
      connection.hangUp();
      return;
    } else if (verb === 'QUIT') {
      await connection.send('221 \u009b2J bye\r\n');
      connection.hangUp();
      return;
    } else {
      await connection.send('502 5.5.1 no\r\n');
    }
  }
}

/** Starts the hostile server on 127.0.0.1, port 0; the caller closes it. */
export function hostileServer(certificate: TlsMaterial): Promise<FakeServer> {
  return startFakeServer(hostile, { tls: { key: certificate.key, cert: certificate.cert } });
}

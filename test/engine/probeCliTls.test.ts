// `relay-tester probe` with STARTTLS against the fake server, with a test CA trusted through NODE_EXTRA_CA_CERTS
// so that each certificate fault is the only one: wrong host, expired, self-signed (docs/reliability.md §14), the
// explicit lab overrides and how the transcript shows them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayTester, type CliResult } from '../support/cli.js';
import { fingerprint, makeCertificates, type TestCertificates } from './certificates.js';
import { byName, probeArgs, parsed, requireBuiltCli } from './cliProbe.js';
import { ehloReply, fakeServer, refuseRelay, type FakeServer } from './fakeServer.js';
import { HELO } from './harness.js';

let certificates: TestCertificates;
beforeAll(() => {
  requireBuiltCli();
  certificates = makeCertificates();
});
afterAll(() => certificates.remove());

/** A STARTTLS server presenting `cert`, then refusing the relay. */
function tlsServer(cert: string): Promise<FakeServer> {
  return fakeServer(
    async (connection) => {
      await connection.send('220 fake.test ESMTP\r\n');
      await connection.expect(`EHLO ${HELO}`);
      await connection.send(ehloReply(['STARTTLS']));
      await connection.expect('STARTTLS');
      await connection.startTls();
      await connection.expect(`EHLO ${HELO}`);
      await connection.send(ehloReply(['PIPELINING']));
      await refuseRelay(connection);
    },
    { tls: { key: certificates.key, cert } },
  );
}

function run(args: string[]): Promise<CliResult> {
  return relayTester(args, { env: { NODE_EXTRA_CA_CERTS: certificates.caFile } });
}

describe('certificate verdicts with a trusted test CA (reliability §14)', () => {
  it('verifies a certificate from the trusted CA by address, and by host name sent as SNI', async () => {
    const server = await tlsServer(certificates.localhost);
    const args = probeArgs(server, '--tls', 'starttls', '--json');
    const [byAddress, byHostName] = await Promise.all([run(args), run(byName(args))]);
    for (const probe of [byAddress, byHostName]) {
      expect(probe.status).toBe(10); // recipient-rejected, decided over a verified TLS session
      expect(parsed(probe)).toMatchObject({ outcome: 'recipient-rejected', session: { tls: { trust: 'verified' } } });
    }
    expect(server.connections.map((connection) => connection.servername).sort()).toEqual(['localhost', undefined]);
  });

  it.each([
    ['wrong-host', () => certificates.wrongHost, 'ERR_TLS_CERT_ALTNAME_INVALID'],
    ['expired', () => certificates.expired, 'CERT_HAS_EXPIRED'],
    ['self-signed', () => certificates.selfSigned, 'DEPTH_ZERO_SELF_SIGNED_CERT'],
  ])('refuses a %s certificate with the reason, in JSON and in the transcript', async (_name, cert, reason) => {
    const server = await tlsServer(cert());
    const args = probeArgs(server, '--tls', 'starttls');
    const [json, text] = await Promise.all([run([...args, '--json']), run(args)]);
    expect(json.status).toBe(22);
    expect(parsed(json)).toMatchObject({ outcome: 'tls-failed', stage: 'tls' });
    expect(parsed(json).text).toContain(`certificate refused: ${reason}`);
    expect(text.status).toBe(22);
    expect(text.stdout).toContain(`refused (${reason})`);
    expect(text.stdout).toContain(`Outcome: tls-failed at tls: certificate refused: ${reason}`);
    for (const connection of server.connections) {
      expect(connection.lines.filter((line) => line.tls)).toEqual([]); // not a byte over the refused session
    }
  });

  it('accepts a faulty certificate only by an explicit override, and shows which', async () => {
    const server = await tlsServer(certificates.wrongHost);
    const [allowed, pinned, wrongPin] = await Promise.all([
      run(probeArgs(server, '--tls', 'starttls', '--allow-invalid-cert')),
      run(probeArgs(server, '--tls', 'starttls', '--pin-sha256', fingerprint(certificates.wrongHost))),
      run(probeArgs(server, '--tls', 'starttls', '--pin-sha256', fingerprint(certificates.localhost), '--json')),
    ]);
    expect(allowed.status).toBe(10);
    expect(allowed.stdout).toContain('NOT verified (ERR_TLS_CERT_ALTNAME_INVALID), allowed explicitly');
    expect(allowed.stdout).toContain('accepted because invalid certificates were explicitly allowed');
    expect(pinned.status).toBe(10);
    expect(pinned.stdout).toContain('pinned fingerprint matched');
    expect(wrongPin.status).toBe(22);
    expect(parsed(wrongPin).text).toContain('does not match the pinned');
  });
});

// The SMTP dialog from other networks: over a real sshd's direct-tcpip channels and a real Dante SOCKS5 proxy, in
// network namespaces, against a real SMTP server that names the client address it sees.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { runSession } from '../../main/smtp/session.js';
import { defaultSteps, type SessionSpec } from '../../main/smtp/sessionSpec.js';
import type { Tunnel } from '../../main/smtp/tunnel.js';
import { SocksTunnel } from '../../main/vantage/socksTunnel.js';
import { SshTunnel } from '../../main/vantage/sshTunnel.js';
import { generateLabCertificate } from '../../main/lab/certificate.js';
import { classifyOutcome } from '../../shared/outcome.js';
import {
  BRANCH,
  DMZ_SOCKS,
  KEY_PASSPHRASE,
  MAIL_ADDRESS,
  bedHostKeySha256,
  bedHostPublicKey,
  bedKey,
  startVantageBed,
} from '../support/vantagebed.js';

let server: SMTPServer;
let port: number;
const seen: string[] = [];

beforeAll(async () => {
  startVantageBed();
  const certificate = await generateLabCertificate([MAIL_ADDRESS]);
  server = new SMTPServer({
    name: 'mail.corp.test',
    key: certificate.key,
    cert: certificate.cert,
    authOptional: true,
    disabledCommands: ['AUTH'],
    onConnect(session, callback) {
      seen.push(session.remoteAddress);
      callback();
    },
    onRcptTo(address, _session, callback) {
      callback(
        address.address.endsWith('@corp.test')
          ? undefined
          : Object.assign(new Error('5.7.1 Unable to relay'), { responseCode: 550 }),
      );
    },
    logger: false,
  });
  await new Promise<void>((resolve) => server.listen(0, MAIL_ADDRESS, resolve));
  port = (server.server.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function spec(via: Tunnel, to = 'someone@external.example'): SessionSpec {
  return {
    host: MAIL_ADDRESS,
    port,
    via,
    tls: 'starttls',
    certificate: { mode: 'allow-invalid' },
    helo: 'relay-tester.invalid',
    timeouts: { connectMs: 5000, greetingMs: 5000, replyMs: 5000 },
    steps: defaultSteps({ from: 'helpdesk@corp.test', to: [to], auth: false, tls: 'starttls' }),
  };
}

function branchTunnel(
  overrides: Partial<ConstructorParameters<typeof SshTunnel>[1]> = {},
  trust: ConstructorParameters<typeof SshTunnel>[2] = { sha256: bedHostKeySha256() },
) {
  return new SshTunnel(BRANCH, { privateKey: bedKey('relaytest_key'), ...overrides }, trust, 5000);
}

describe('a vantage point over SSH', () => {
  it('runs the whole dialog, STARTTLS included, from the remote machine’s address', async () => {
    const tunnel = branchTunnel();
    try {
      const before = seen.length;
      const result = await runSession(spec(tunnel));
      expect(seen.slice(before)).toEqual([BRANCH.host]);
      expect(result.tls?.protocol).toMatch(/TLS/);
      expect(classifyOutcome(result).outcome).toBe('recipient-rejected');
      const ehlo = result.events.filter((event) => event.type === 'server').map((event) => event.text);
      expect(ehlo.join('\n')).toContain(`[${BRANCH.host}]`);
      expect(result.events).toContainEqual(
        expect.objectContaining({ type: 'note', text: `connecting via ssh relaytest@${BRANCH.host}:22` }),
      );
      expect(result.events).toContainEqual(
        expect.objectContaining({
          type: 'note',
          text: `via ssh relaytest@${BRANCH.host}:22 (host key ${bedHostKeySha256()})`,
        }),
      );
    } finally {
      tunnel.close();
    }
  });

  it('carries many sessions at once over one SSH connection', async () => {
    const tunnel = branchTunnel();
    try {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, index) => runSession(spec(tunnel, `user${index}@corp.test`))),
      );
      expect(results.map((result) => classifyOutcome(result).outcome)).toEqual(Array(8).fill('recipient-accepted'));
    } finally {
      tunnel.close();
    }
  });

  it('accepts a passphrase-protected key with its passphrase, and a known_hosts file', async () => {
    const tunnel = branchTunnel(
      { privateKey: bedKey('passphrase_key'), passphrase: KEY_PASSPHRASE },
      { knownHosts: `${BRANCH.host} ${bedHostPublicKey()}\n`, file: 'known_hosts' },
    );
    try {
      expect(await tunnel.connect()).toBe(bedHostKeySha256());
    } finally {
      tunnel.close();
    }
  });

  it('refuses an unknown host key and says which key it saw', async () => {
    const tunnel = new SshTunnel(BRANCH, { privateKey: bedKey('relaytest_key') }, undefined, 5000);
    const result = await runSession(spec(tunnel));
    expect(result.failure?.kind).toBe('connect');
    expect(result.failure?.message).toContain(
      `presented host key ${bedHostKeySha256()}, and the plan names none to trust`,
    );
    tunnel.close();
  });

  it('refuses a changed host key before sending any credential', async () => {
    const tunnel = branchTunnel({}, { sha256: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    await expect(tunnel.connect()).rejects.toThrow(/not the expected SHA256:AAAA.*man in the middle/);
    const other = branchTunnel(
      {},
      {
        knownHosts: `${BRANCH.host} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKeyOtherKeyOtherKeyOtherKeyOtherKey\n`,
        file: 'kh',
      },
    );
    await expect(other.connect()).rejects.toThrow(/differs from kh/);
  });

  it('says the credentials were refused for a key the server does not know', async () => {
    const tunnel = branchTunnel({ privateKey: bedKey('wrong_key') });
    await expect(tunnel.connect()).rejects.toThrow(/refused our credentials/);
  });

  it('names an unreachable vantage point', async () => {
    const tunnel = new SshTunnel(
      { host: '10.77.1.2', port: 2222, user: 'relaytest' },
      { privateKey: bedKey('relaytest_key') },
      { sha256: bedHostKeySha256() },
      3000,
    );
    await expect(tunnel.connect()).rejects.toThrow(/connection refused/);
  });

  it('cannot be used to reach anything but the mail server (PermitOpen)', async () => {
    const tunnel = branchTunnel();
    try {
      await expect(tunnel.open('10.77.1.2', 22)).rejects.toThrow(/could not open 10.77.1.2:22/);
    } finally {
      tunnel.close();
    }
  });
});

describe('a vantage point that is a SOCKS5 proxy', () => {
  it('runs the dialog from the proxy’s address', async () => {
    const before = seen.length;
    const result = await runSession(spec(new SocksTunnel(DMZ_SOCKS)));
    expect(seen.slice(before)).toEqual([DMZ_SOCKS.host]);
    expect(classifyOutcome(result).outcome).toBe('recipient-rejected');
  });

  it('reports a destination the proxy refuses', async () => {
    const result = await runSession({ ...spec(new SocksTunnel(DMZ_SOCKS)), host: '10.77.1.2', port: 22 });
    expect(result.failure?.kind).toBe('connect');
    expect(result.failure?.message).toMatch(/socks5 10.77.2.2:1080 could not open 10.77.1.2:22/);
  });
});

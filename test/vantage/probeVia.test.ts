// `relay-tester probe --via`: one dialog from another network, as an admin would type it.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayTester as runCli } from '../support/cli.js';
import {
  BRANCH,
  DMZ_SOCKS,
  KEY_PASSPHRASE,
  MAIL_ADDRESS,
  bedHostKeySha256,
  copyBedKey,
  startMailServer,
  startVantageBed,
} from '../support/vantagebed.js';

let mail: Awaited<ReturnType<typeof startMailServer>>;
let port: number;
let keys: string;

beforeAll(async () => {
  startVantageBed();
  keys = mkdtempSync(path.join(os.tmpdir(), 'rt-via-'));
  copyBedKey(keys, 'relaytest_key');
  copyBedKey(keys, 'passphrase_key');
  mail = await startMailServer();
  port = mail.port;
});

afterAll(() => mail.close());

const dialog = () => [
  'probe',
  '--host',
  MAIL_ADDRESS,
  '--port',
  String(port),
  '--tls',
  'none',
  '--from',
  'helpdesk@corp.test',
  '--to',
  'x@corp.test',
];

describe('probe --via', () => {
  it('talks SMTP from the SSH vantage point, and the server sees its address', async () => {
    const result = await runCli(
      [
        ...dialog(),
        '--via',
        `ssh://${BRANCH.user}@${BRANCH.host}`,
        '--identity',
        'relaytest_key',
        '--host-key',
        bedHostKeySha256(),
      ],
      { cwd: keys },
    );
    expect(result.stdout).toContain(`connecting via ssh relaytest@${BRANCH.host}:22`);
    expect(result.stdout).toContain(`[${BRANCH.host}]`);
    expect(result.status).toBe(0);
  });

  it('reads a key passphrase from the environment, never from the command line', async () => {
    const result = await runCli(
      [
        ...dialog(),
        '--via',
        `ssh://${BRANCH.user}@${BRANCH.host}:22`,
        '--identity',
        'passphrase_key',
        '--host-key',
        bedHostKeySha256(),
        '--via-password-env',
        'KEY_PASS',
      ],
      { cwd: keys, env: { KEY_PASS: KEY_PASSPHRASE } },
    );
    expect(result.status).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(KEY_PASSPHRASE);
  });

  it('talks SMTP through the SOCKS5 proxy', async () => {
    const result = await runCli([...dialog(), '--via', `socks5://${DMZ_SOCKS.host}:${DMZ_SOCKS.port}`]);
    expect(result.stdout).toContain(`[${DMZ_SOCKS.host}]`);
    expect(result.status).toBe(0);
  });

  it('refuses to trust an SSH vantage point without a host key, and a wrong one', async () => {
    const missing = await runCli(
      [...dialog(), '--via', `ssh://${BRANCH.user}@${BRANCH.host}`, '--identity', 'relaytest_key'],
      { cwd: keys },
    );
    expect(missing.status).toBe(64);
    expect(missing.stderr).toContain('needs the host key to trust');
    const wrong = await runCli(
      [
        ...dialog(),
        '--via',
        `ssh://${BRANCH.user}@${BRANCH.host}`,
        '--identity',
        'relaytest_key',
        '--host-key',
        'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      ],
      { cwd: keys },
    );
    expect(wrong.status).toBe(20);
    expect(wrong.stdout).toContain(`presented host key ${bedHostKeySha256()}, not the expected`);
  });
});

// `relay-tester vantage test` and `sources` for a plan with vantage points, as an admin runs them before a run.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayTester } from '../support/cli.js';
import { smallPlan } from '../support/plans.js';
import {
  BRANCH,
  DMZ_SOCKS,
  MAIL_ADDRESS,
  ROGUE,
  bedHostKeySha256,
  copyBedKey,
  startMailServer,
  startVantageBed,
} from '../support/vantagebed.js';

let mail: Awaited<ReturnType<typeof startMailServer>>;
let planFile: string;

beforeAll(async () => {
  startVantageBed();
  const folder = mkdtempSync(path.join(os.tmpdir(), 'rt-vantage-cli-'));
  copyBedKey(folder, 'relaytest_key', 'relaytest');
  mail = await startMailServer();
  const port = mail.port;
  planFile = path.join(folder, 'offices.json');
  writeFileSync(
    planFile,
    JSON.stringify(
      smallPlan({
        name: 'Offices',
        sources: ['10.77.1.0/24', '10.77.2.2', '10.77.3.0/24', '10.77.5.5'],
        servers: [{ name: 'Mail', host: MAIL_ADDRESS, port, tls: 'none' }],
        vantagePoints: [
          {
            name: 'branch',
            ssh: { host: BRANCH.host, user: BRANCH.user, identityFile: 'relaytest', hostKeySha256: bedHostKeySha256() },
            serves: ['10.77.1.0/24'],
          },
          { name: 'dmz-proxy', socks5: { host: DMZ_SOCKS.host, port: DMZ_SOCKS.port }, serves: ['10.77.2.2'] },
          {
            name: 'new-office',
            ssh: { host: ROGUE.host, user: BRANCH.user, identityFile: 'relaytest' },
            serves: ['10.77.3.0/24'],
          },
        ],
      }),
    ),
  );
});

afterAll(() => mail.close());

describe('vantage test', () => {
  it('reports reachability, the host key and the address each vantage point is seen from', async () => {
    const result = await relayTester(['vantage', 'test', planFile]);
    expect(result.stdout).toContain(
      `branch (ssh relaytest@${BRANCH.host}:22)\n  reachable; host key ${bedHostKeySha256()} (trusted by the plan)\n  serves 10.77.1.0/24: Mail sees it as ${BRANCH.host}\n`,
    );
    expect(result.stdout).toContain(
      `dmz-proxy (socks5 ${DMZ_SOCKS.host}:1080)\n  serves 10.77.2.2: Mail sees it as ${DMZ_SOCKS.host}\n`,
    );
    // Not yet trusted: shows the key to confirm, never connects with it.
    expect(result.stdout).toContain(
      `new-office (ssh relaytest@${ROGUE.host}:22)\n  NOT USABLE: ${ROGUE.host}:22 presented host key ${bedHostKeySha256()}, and the plan names none to trust`,
    );
    expect(result.stdout).toContain(`host key shown: ${bedHostKeySha256()} — confirm it`);
    expect(result.status).toBe(2);
  });
});

describe('sources', () => {
  it('says for each source whether this machine, a vantage point or nothing serves it', async () => {
    const result = await relayTester(['sources', planFile]);
    expect(result.stdout).toContain(`10.77.1.0/24: served by vantage point branch (ssh relaytest@${BRANCH.host}:22)`);
    expect(result.stdout).toContain(`10.77.2.2: served by vantage point dmz-proxy (socks5 ${DMZ_SOCKS.host}:1080)`);
    expect(result.stdout).toContain('10.77.5.5: NOT RUNNABLE HERE: 10.77.5.5 is not an address of this machine');
  });
});

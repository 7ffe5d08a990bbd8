// One plan against the real Postfix test bed's relay server, run from this machine and from three vantage points
// in network namespaces (SSH into a branch office, a DMZ SOCKS5 proxy, SSH into a network the server refuses):
// each network gets exactly the verdict its address deserves, through `relay-tester run` as an admin runs it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../shared/run.js';
import { relayTester } from '../support/cli.js';
import { assertTestbedRunning } from '../support/testbed.js';
import { BRANCH, DMZ_SOCKS, ROGUE, bedHostKeySha256, startVantageBed, copyBedKey } from '../support/vantagebed.js';

let folder: string;
let planFile: string;

beforeAll(() => {
  startVantageBed();
  assertTestbedRunning();
  folder = mkdtempSync(path.join(os.tmpdir(), 'rt-vantage-postfix-'));
  copyBedKey(folder, 'relaytest_key', 'relaytest');
  const ssh = (host: string) => ({
    host,
    user: BRANCH.user,
    identityFile: 'relaytest',
    hostKeySha256: bedHostKeySha256(),
  });
  planFile = path.join(folder, 'offices.json');
  writeFileSync(
    planFile,
    JSON.stringify({
      relayTesterPlan: 1,
      name: 'Relay server seen from the offices',
      domains: { local: ['corp.test'], external: 'external.example' },
      sender: 'helpdesk@corp.test',
      // The vantage listener offers no AUTH (its chroot holds no sasldb): this plan is about where clients are.
      accounts: [],
      sources: ['10.77.1.0/24', '10.77.2.2', '10.77.9.9', '127.0.0.5'],
      servers: [
        {
          name: 'SMTP Relay Virtual Server',
          host: '10.77.0.1',
          port: 2525,
          allowInvalidCertificate: true,
          helo: 'relay-tester.invalid',
          banner: 'relay.corp.test',
          relay: { users: [], hosts: ['10.77.1.0/24'] },
          connect: { deny: ['10.77.9.0/24'] },
        },
      ],
      vantagePoints: [
        { name: 'branch', ssh: ssh(BRANCH.host), serves: ['10.77.1.0/24'] },
        { name: 'dmz-proxy', socks5: { host: DMZ_SOCKS.host, port: DMZ_SOCKS.port }, serves: ['10.77.2.2'] },
        { name: 'refused-net', ssh: ssh(ROGUE.host), serves: ['10.77.9.9'] },
      ],
    }),
  );
});

describe('a plan with vantage points against Postfix', () => {
  it('gives every network the verdict its address deserves', async () => {
    const out = path.join(folder, 'run.json');
    const result = await relayTester(['run', planFile, '--out', out]);
    expect(result.stdout).toContain(`source 10.77.1.0/24: via branch (ssh relaytest@${BRANCH.host}:22)`);
    expect(result.stdout).toContain(`source 10.77.2.2: via dmz-proxy (socks5 ${DMZ_SOCKS.host}:1080)`);
    const run = JSON.parse(readFileSync(out, 'utf8')) as RunRecord;
    const fromSource = (source: string) =>
      run.cases
        .filter((entry) => entry.case.kind === 'source' && entry.case.source === source)
        .map((entry) => [entry.case.expect, entry.verdict, entry.vantage ?? 'local']);
    expect(fromSource('10.77.1.0/24')).toEqual([
      ['relay', 'pass', 'branch'],
      ['relay', 'pass', 'branch'],
    ]);
    expect(fromSource('10.77.2.2')).toEqual([
      ['deny', 'pass', 'dmz-proxy'],
      ['relay', 'pass', 'dmz-proxy'],
    ]);
    expect(fromSource('10.77.9.9')).toEqual([
      ['reject-at-connect', 'pass', 'refused-net'],
      ['reject-at-connect', 'pass', 'refused-net'],
    ]);
    expect(fromSource('127.0.0.5')).toEqual([
      ['deny', 'pass', 'local'],
      ['relay', 'pass', 'local'],
    ]);
    expect(run.cases.every((entry) => entry.verdict === 'pass')).toBe(true);
    // Postfix does not name the client address: the vantage cases say their source could not be proven.
    const branchCase = run.cases.find((entry) => entry.vantage === 'branch')!;
    expect(branchCase.reason).toContain(
      'the server does not name the client address, so the source could not be proven',
    );
    expect(result.stdout).toMatch(/^(\d+) of \1 cases decided: no open relay found$/m);
    expect(result.status).toBe(0);
    // The report says which vantage point ran each case, and which one served each source.
    const html = path.join(folder, 'report.html');
    expect((await relayTester(['report', out, '--html', html])).status).toBe(0);
    const report = readFileSync(html, 'utf8');
    expect(report).toContain('10.77.1.0/24 (via branch)');
    expect(report).toContain(`vantage point dmz-proxy (socks5 ${DMZ_SOCKS.host}:1080)`);
  });
});

// `relay-tester sources` and `run` with a domain source, as an admin runs them: the real resolver, pointed at a
// DNS server of the test's own (dnsmasq on loopback) through RELAY_TESTER_DNS_SERVER, binds the domain to the
// vantage point whose forward-confirmed reverse name is in it, and says which name matched.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../shared/run.js';
import { relayTester } from '../support/cli.js';
import { startDnsServer, type DnsServer } from '../support/dnsServer.js';
import { assertTestbedRunning } from '../support/testbed.js';
import { BRANCH, MAIL_ADDRESS, bedHostKeySha256, startVantageBed, copyBedKey } from '../support/vantagebed.js';

let dnsServer: DnsServer;
let folder: string;
let planFile: string;

beforeAll(async () => {
  startVantageBed();
  assertTestbedRunning();
  dnsServer = await startDnsServer(['host-record=branch-gw.branch.corp.test,10.77.1.2']);
  folder = mkdtempSync(path.join(os.tmpdir(), 'rt-domain-cli-'));
  copyBedKey(folder, 'relaytest_key', 'relaytest');
  planFile = path.join(folder, 'branch-domain.json');
  writeFileSync(
    planFile,
    JSON.stringify({
      relayTesterPlan: 1,
      name: 'Branch by domain',
      domains: { local: ['corp.test'], external: 'external.example' },
      sender: 'helpdesk@corp.test',
      accounts: [],
      sources: ['branch.corp.test'],
      servers: [
        // The Postfix test bed's relay server on 10.77.0.1, which relays by its own domain entry for branch.corp.test.
        {
          name: 'SMTP Relay Virtual Server',
          host: MAIL_ADDRESS,
          port: 2525,
          allowInvalidCertificate: true,
          helo: 'relay-tester.invalid',
          relay: { users: [], hosts: ['branch.corp.test'] },
        },
      ],
      vantagePoints: [
        {
          name: 'branch',
          ssh: { host: BRANCH.host, user: BRANCH.user, identityFile: 'relaytest', hostKeySha256: bedHostKeySha256() },
          serves: ['10.77.1.0/24'],
        },
      ],
    }),
  );
});

afterAll(async () => {
  await dnsServer?.stop();
});

describe('a domain source from the command line', () => {
  it('sources names the vantage point and the forward-confirmed name; run relays from it', async () => {
    const env = { RELAY_TESTER_DNS_SERVER: dnsServer.address };
    const sources = await relayTester(['sources', planFile], { env });
    expect(sources.stdout).toContain(
      `branch.corp.test: served by vantage point branch (ssh relaytest@${BRANCH.host}:22), ${BRANCH.host} is branch-gw.branch.corp.test (forward-confirmed)`,
    );
    expect(sources.status).toBe(0);

    const out = path.join(folder, 'run.json');
    const run = await relayTester(['run', planFile, '--out', out], { env });
    expect(run.status).toBe(0);
    const record = JSON.parse(readFileSync(out, 'utf8')) as RunRecord;
    const fromDomain = record.cases.filter((entry) => entry.case.source === 'branch.corp.test');
    expect(fromDomain.map((entry) => [entry.case.expect, entry.verdict, entry.vantage])).toEqual([
      ['relay', 'pass', 'branch'],
      ['relay', 'pass', 'branch'],
    ]);
    expect(fromDomain[0]!.reason).toContain(
      `(from branch.corp.test: ${BRANCH.host} is branch-gw.branch.corp.test, forward-confirmed)`,
    );
  });

  it('without a DNS server that knows the name, the domain is not runnable, with the reason', async () => {
    const sources = await relayTester(['sources', planFile], { env: { RELAY_TESTER_DNS_SERVER: '127.0.0.1:9' } });
    expect(sources.stdout).toMatch(
      /branch\.corp\.test: NOT RUNNABLE HERE: no address of this machine or of a vantage point has a forward-confirmed reverse DNS name in branch\.corp\.test \(vantage point branch: 10\.77\.1\.2: DNS look-up failed \(ECONNREFUSED\) at 127\.0\.0\.1:9/,
    );
    expect(sources.status).toBe(2);
  });
});

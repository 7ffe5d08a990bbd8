// Domain sources (the article's third kind of relay entry, matched by reverse DNS), against a real DNS server
// (dnsmasq on loopback, records of the test's own) and the vantage bed: a domain source is served by a vantage point
// or local address whose forward-confirmed reverse name is in the domain, and the binding and case say which name.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPlan, type Plan } from '../../shared/plan.js';
import { runPlan } from '../../main/runner.js';
import { bindSources } from '../../main/sources.js';
import { confirmedNameIn, dnsResolver } from '../../main/reverseDns.js';
import {
  BRANCH,
  MAIL_ADDRESS,
  ROGUE,
  bedHostKeySha256,
  copyBedKey,
  startMailServer,
  startVantageBed,
} from '../support/vantagebed.js';
import { startDnsServer, type DnsServer } from '../support/dnsServer.js';

let dnsServer: DnsServer;
let mail: Awaited<ReturnType<typeof startMailServer>> | undefined;
let port: number;
let planDir: string;

beforeAll(async () => {
  startVantageBed();
  dnsServer = await startDnsServer([
    // The branch gateway: PTR and A agree.
    'host-record=branch-gw.branch.corp.test,10.77.1.2',
    // The rogue machine claims a name in the domain, but that name points elsewhere: not forward-confirmed.
    'ptr-record=9.9.77.10.in-addr.arpa,rogue-gw.branch.corp.test',
    'host-record=rogue-gw.branch.corp.test,10.77.9.50',
    // This machine's address in the test network: confirmed, in another domain.
    `host-record=mailhost.lab.corp.test,${MAIL_ADDRESS}`,
  ]);
  planDir = mkdtempSync(path.join(os.tmpdir(), 'rt-domain-plan-'));
  copyBedKey(planDir, 'relaytest_key', 'relaytest');
  // Relays for the branch gateway's address only: the server's own reverse-DNS match stands in for the domain entry.
  mail = await startMailServer((address, session, callback) => {
    const mayRelay =
      address.address.endsWith('@corp.test') || session.remoteAddress.replace(/^::ffff:/, '') === BRANCH.host;
    callback(mayRelay ? undefined : Object.assign(new Error('5.7.1 Unable to relay'), { responseCode: 550 }));
  });
  port = mail.port;
});

afterAll(async () => {
  await mail?.close();
  await dnsServer?.stop();
});

const branch = () => ({
  name: 'branch',
  ssh: { host: BRANCH.host, port: 22, user: BRANCH.user, identityFile: 'relaytest', hostKeySha256: bedHostKeySha256() },
  serves: ['10.77.1.0/24'],
});
const rogue = () => ({
  ...branch(),
  name: 'rogue',
  ssh: { ...branch().ssh, host: ROGUE.host },
  serves: ['10.77.9.9', 'branch.corp.test'],
});

function plan(vantagePoints: unknown[], sources: string[]): Plan {
  const check = checkPlan({
    relayTesterPlan: 1,
    name: 'Domain sources',
    domains: { local: ['corp.test'], external: 'external.example' },
    sender: 'helpdesk@corp.test',
    accounts: [],
    sources,
    servers: [
      {
        name: 'Mail',
        host: MAIL_ADDRESS,
        port,
        tls: 'none',
        helo: 'relay-tester.invalid',
        relay: { hosts: ['branch.corp.test'], users: [] },
      },
    ],
    vantagePoints,
  });
  if (!check.ok) throw new Error(JSON.stringify(check.problems));
  return check.plan;
}

describe('forward-confirmed reverse DNS', () => {
  it('confirms a name only when it resolves back to the address, and says why not', async () => {
    const resolver = dnsResolver(dnsServer.address);
    expect(await confirmedNameIn(BRANCH.host, 'branch.corp.test', resolver)).toEqual({
      matched: true,
      name: 'branch-gw.branch.corp.test',
    });
    expect(await confirmedNameIn(BRANCH.host, 'BRANCH.corp.test.', resolver)).toEqual({
      matched: true,
      name: 'branch-gw.branch.corp.test',
    });
    expect(await confirmedNameIn(ROGUE.host, 'branch.corp.test', resolver)).toEqual({
      matched: false,
      why: `${ROGUE.host} is rogue-gw.branch.corp.test, but rogue-gw.branch.corp.test resolves to 10.77.9.50, not back to ${ROGUE.host}: the reverse name is not forward-confirmed`,
      kind: 'unconfirmed',
    });
    expect(await confirmedNameIn(MAIL_ADDRESS, 'branch.corp.test', resolver)).toEqual({
      matched: false,
      why: `${MAIL_ADDRESS} is mailhost.lab.corp.test, not in branch.corp.test`,
      kind: 'elsewhere',
    });
    expect(await confirmedNameIn('10.77.2.2', 'branch.corp.test', resolver)).toEqual({
      matched: false,
      why: '10.77.2.2 has no reverse name (PTR)',
      kind: 'elsewhere',
    });
  });

  it('reports a DNS server that does not answer as a failed look-up, not as "no name"', async () => {
    const silent = dnsResolver('127.0.0.1:9'); // discard port: nothing answers
    const result = await confirmedNameIn(BRANCH.host, 'branch.corp.test', silent);
    expect(result.matched).toBe(false);
    expect(result).toMatchObject({
      kind: 'lookup-failed',
      why: expect.stringMatching(/^10\.77\.1\.2: DNS look-up failed \(E[A-Z]+\) at 127\.0\.0\.1:9$/),
    });
  });
});

describe('binding a domain source', () => {
  it('binds the vantage point whose address has a confirmed name in the domain, naming it', async () => {
    const resolver = dnsResolver(dnsServer.address);
    const [binding] = await bindSources(['branch.corp.test'], [rogue(), branch()], { resolver, local: [] });
    expect(binding).toEqual({
      source: 'branch.corp.test',
      vantage: 'branch',
      via: `ssh relaytest@${BRANCH.host}:22`,
      reverseName: 'branch-gw.branch.corp.test',
      address: BRANCH.host,
    });
  });

  it('says why not when the only candidate claims a name that is not forward-confirmed', async () => {
    const resolver = dnsResolver(dnsServer.address);
    const [binding] = await bindSources(['branch.corp.test'], [rogue()], { resolver, local: ['127.0.0.1'] });
    expect(binding).toEqual({
      source: 'branch.corp.test',
      reason:
        `no address of this machine or of a vantage point has a forward-confirmed reverse DNS name in branch.corp.test ` +
        `(vantage point rogue: ${ROGUE.host} is rogue-gw.branch.corp.test, but rogue-gw.branch.corp.test resolves to 10.77.9.50, ` +
        `not back to ${ROGUE.host}: the reverse name is not forward-confirmed): run from a computer whose address resolves into it and back, or add a vantage point there`,
    });
  });

  it('binds a local address of this machine whose confirmed name is in the domain', async () => {
    const resolver = dnsResolver(dnsServer.address);
    const [binding] = await bindSources(['lab.corp.test'], [branch()], {
      resolver,
      local: ['127.0.0.1', MAIL_ADDRESS],
    });
    expect(binding).toEqual({
      source: 'lab.corp.test',
      local: MAIL_ADDRESS,
      reverseName: 'mailhost.lab.corp.test',
      address: MAIL_ADDRESS,
    });
  });
});

describe('a run with a domain source', () => {
  it('runs its cases from the confirmed vantage point and says which name matched', async () => {
    const resolver = dnsResolver(dnsServer.address);
    const run = await runPlan(plan([rogue(), branch()], ['branch.corp.test', '127.0.0.5']), {
      passwords: new Map(),
      planDir,
      resolver,
    });
    expect(run.sources[0]).toMatchObject({
      source: 'branch.corp.test',
      vantage: 'branch',
      reverseName: 'branch-gw.branch.corp.test',
    });
    const fromDomain = run.cases.filter((result) => result.case.source === 'branch.corp.test');
    expect(
      fromDomain.map((result) => [result.case.id.replace(/^.*from-/, ''), result.verdict, result.vantage]),
    ).toEqual([
      ['branch.corp.test/to-external', 'pass', 'branch'],
      ['branch.corp.test/to-local', 'pass', 'branch'],
    ]);
    for (const result of fromDomain) {
      expect(result.reason).toContain(`(the server saw ${BRANCH.host})`);
      expect(result.reason).toContain(
        `(from branch.corp.test: ${BRANCH.host} is branch-gw.branch.corp.test, forward-confirmed)`,
      );
    }
    // 127.0.0.5 is not in the relay list: refused, as it deserves.
    expect(run.cases.find((result) => result.case.id.endsWith('from-127.0.0.5/to-external'))!.verdict).toBe('pass');
  });

  it('skips the cases of a domain no candidate confirms, with the reason', async () => {
    const resolver = dnsResolver(dnsServer.address);
    const run = await runPlan(plan([rogue()], ['branch.corp.test']), { passwords: new Map(), planDir, resolver });
    for (const result of run.cases.filter((candidate) => candidate.case.source === 'branch.corp.test')) {
      expect(result.verdict).toBe('skipped');
      expect(result.skip).toBe('not-runnable-here');
      expect(result.reason).toContain('rogue-gw.branch.corp.test resolves to 10.77.9.50, not back to 10.77.9.9');
    }
  });
});

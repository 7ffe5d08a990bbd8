// A plan run from three places at once: this machine, a branch office over SSH and a DMZ SOCKS5 proxy, against a
// real SMTP server on this machine whose relay policy goes by client address. Each network gets exactly the
// verdict its address deserves; a vantage point that is not where it claims, or that breaks, fails only its own cases.
import { mkdtempSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ipaddr from 'ipaddr.js';
import type { Plan } from '../../shared/plan.js';
import { runPlan } from '../../main/runner.js';
import { checkedPlan } from '../support/plans.js';
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
let stallBranch = false;
let port: number;
let planDir: string;
const RELAY_SUBNET = ipaddr.parseCIDR('10.77.1.0/24');

beforeAll(async () => {
  startVantageBed();
  planDir = mkdtempSync(path.join(os.tmpdir(), 'rt-vantage-plan-'));
  copyBedKey(planDir, 'relaytest_key', 'relaytest');
  mail = await startMailServer((address, session, callback) => {
    if (stallBranch && session.remoteAddress === BRANCH.host) return; // never answers: the test cuts the tunnel
    const local = address.address.endsWith('@corp.test');
    const client = ipaddr.parse(session.remoteAddress.replace(/^::ffff:/, ''));
    const mayRelay = client.kind() === 'ipv4' && client.match(RELAY_SUBNET);
    callback(local || mayRelay ? undefined : Object.assign(new Error('5.7.1 Unable to relay'), { responseCode: 550 }));
  });
  port = mail.port;
});

afterAll(() => mail.close());

function plan(vantagePoints: unknown[], sources: string[]): Plan {
  return checkedPlan({
    name: 'Offices',
    sources,
    servers: [
      {
        name: 'Mail',
        host: MAIL_ADDRESS,
        port,
        tls: 'none',
        helo: 'relay-tester.invalid',
        relay: { hosts: ['10.77.1.0/24'], users: [] },
      },
    ],
    vantagePoints,
  });
}

const branch = () => ({
  name: 'branch',
  ssh: { host: BRANCH.host, user: BRANCH.user, identityFile: 'relaytest', hostKeySha256: bedHostKeySha256() },
  serves: ['10.77.1.0/24'],
});
const dmz = { name: 'dmz-proxy', socks5: { host: DMZ_SOCKS.host, port: DMZ_SOCKS.port }, serves: ['10.77.2.2'] };

function verdicts(run: Awaited<ReturnType<typeof runPlan>>) {
  return Object.fromEntries(
    run.cases.map((result) => [result.case.id, `${result.verdict}${result.vantage ? `@${result.vantage}` : ''}`]),
  );
}

describe('a plan with vantage points', () => {
  it('gives each network the verdict its address deserves, in one run', async () => {
    const run = await runPlan(plan([branch(), dmz], ['10.77.1.0/24', '10.77.2.2', '127.0.0.5']), {
      passwords: new Map(),
      planDir,
    });
    expect(run.sources).toEqual([
      { source: '10.77.1.0/24', vantage: 'branch', via: `ssh relaytest@${BRANCH.host}:22` },
      { source: '10.77.2.2', vantage: 'dmz-proxy', via: `socks5 ${DMZ_SOCKS.host}:1080` },
      { source: '127.0.0.5', local: '127.0.0.5' },
    ]);
    const byId = verdicts(run);
    expect(Object.entries(byId).filter(([id]) => id.includes('from-'))).toEqual([
      [expect.stringContaining('from-10.77.1.0/24/to-external'), 'pass@branch'],
      [expect.stringContaining('from-10.77.1.0/24/to-local'), 'pass@branch'],
      [expect.stringContaining('from-10.77.2.2/to-external'), 'pass@dmz-proxy'],
      [expect.stringContaining('from-10.77.2.2/to-local'), 'pass@dmz-proxy'],
      [expect.stringContaining('from-127.0.0.5/to-external'), 'pass'],
      [expect.stringContaining('from-127.0.0.5/to-local'), 'pass'],
    ]);
    const relayed = run.cases.find((result) => result.case.id.includes('from-10.77.1.0/24/to-external'))!;
    expect(relayed.reason).toContain(`(the server saw ${BRANCH.host})`);
    expect(relayed.via).toBe(`ssh relaytest@${BRANCH.host}:22`);
    expect(relayed.transcript).toContainEqual(
      expect.objectContaining({ type: 'note', text: `connecting via ssh relaytest@${BRANCH.host}:22` }),
    );
  });

  it('makes a vantage point that is not in the network it serves an error, with where it really was', async () => {
    const rogue = { name: 'rogue', ssh: { ...branch().ssh, host: ROGUE.host }, serves: ['10.77.1.0/24'] };
    const run = await runPlan(plan([rogue], ['10.77.1.0/24']), { passwords: new Map(), planDir });
    for (const result of run.cases.filter((candidate) => candidate.case.source === '10.77.1.0/24')) {
      expect(result.verdict).toBe('error');
      expect(result.reason).toBe(
        `tested from ${ROGUE.host}, not from 10.77.1.0/24: the vantage point does not come from the network it should serve`,
      );
    }
  });

  it('ends only its own cases in an error when a vantage point cannot be trusted or reached', async () => {
    const wrongKey = { ...branch(), ssh: { ...branch().ssh, hostKeySha256: `SHA256:${'A'.repeat(43)}` } };
    const unreachable = { name: 'gone', socks5: { host: '10.77.2.2', port: 1 }, serves: ['10.77.2.2'] };
    const run = await runPlan(plan([wrongKey, unreachable], ['10.77.1.0/24', '10.77.2.2', '127.0.0.5']), {
      passwords: new Map(),
      planDir,
    });
    const bySource = (source: string) => run.cases.filter((result) => result.case.source === source);
    for (const result of bySource('10.77.1.0/24')) {
      expect(result.verdict).toBe('error');
      expect(result.reason).toMatch(/presented host key SHA256:.*not the expected SHA256:AAAA/);
    }
    for (const result of bySource('10.77.2.2')) {
      expect(result.verdict).toBe('error');
      expect(result.reason).toMatch(/socks5 10.77.2.2:1 could not open/);
    }
    expect(bySource('127.0.0.5').map((result) => result.verdict)).toEqual(['pass', 'pass']);
  });

  it('survives a vantage point that drops mid-run: its cases end with the reason, the rest completes', async () => {
    stallBranch = true;
    try {
      const controller = new AbortController();
      let cut = false;
      const run = await runPlan(plan([branch()], ['10.77.1.0/24', '127.0.0.5']), {
        passwords: new Map(),
        planDir,
        signal: controller.signal,
        onProgress: (progress) => {
          if (
            cut ||
            progress.type !== 'case-event' ||
            progress.event.type !== 'client' ||
            !progress.event.text.startsWith('RCPT')
          )
            return;
          if (!progress.caseId.includes('10.77.1.0/24')) return;
          cut = true;
          // Kill the sshd processes serving the connection, not the listener: the machine "goes away".
          const listener = execFileSync('cat', ['/run/relay-tester-vantage/sshd-branch.pid'], {
            encoding: 'utf8',
          }).trim();
          const pids = execFileSync('ip', ['netns', 'pids', 'rt-vp-branch'], { encoding: 'utf8' })
            .split(/\s+/)
            .filter((pid) => pid && pid !== listener);
          for (const pid of pids) process.kill(Number(pid), 'SIGKILL');
        },
      });
      expect(cut).toBe(true);
      const branchCases = run.cases.filter((result) => result.case.source === '10.77.1.0/24');
      expect(branchCases.map((result) => result.verdict)).toEqual(['error', 'error']);
      for (const result of branchCases) {
        // Both were in flight (at MAIL or RCPT) when the connection went.
        expect(result.reason).toMatch(
          /^the SSH connection to the vantage point \(ssh relaytest@10\.77\.1\.2:22\) dropped( \([^)]+\))? during this case \(at \w+\)$/,
        );
      }
      expect(run.cases.filter((result) => result.case.source === '127.0.0.5').map((result) => result.verdict)).toEqual([
        'pass',
        'pass',
      ]);
    } finally {
      stallBranch = false;
    }
  });

  it('a missing key file is named, for that vantage point only', async () => {
    const missing = { ...branch(), ssh: { ...branch().ssh, identityFile: 'keys/nope' } };
    const run = await runPlan(plan([missing], ['10.77.1.0/24', '127.0.0.5']), { passwords: new Map(), planDir });
    const branchCase = run.cases.find((result) => result.case.source === '10.77.1.0/24')!;
    expect(branchCase.verdict).toBe('error');
    expect(branchCase.reason).toBe(
      `vantage point branch: cannot read the identity file ${path.join(planDir, 'keys/nope')} (ENOENT)`,
    );
  });
});

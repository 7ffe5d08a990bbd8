// `relay-tester compare` in process: an expectation changed between two runs (the server answered the same) is
// said to be that, with the expectations, and exits 0; a reply that changed from refused to accepted is a
// regression and exits 1. The summary sentence is the app's.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { compareCommand } from '../../main/cli/compareCommand.js';
import type { Expectation } from '../../shared/plan.js';
import { countVerdicts, type CaseResult, type RunRecord } from '../../shared/run.js';
import { checkedPlan } from '../support/plans.js';

let folder: string;

function result(expect: Expectation, verdict: CaseResult['verdict'], code: 250 | 550): CaseResult {
  return {
    case: {
      id: 'relay/from-127.0.0.1/to-external',
      title: '127.0.0.1 via Relay → external',
      kind: 'source',
      server: 'Relay',
      expect,
      because: '',
    },
    verdict,
    reason: verdict,
    outcome: {
      outcome: code === 250 ? 'recipient-accepted' : 'recipient-rejected',
      stage: 'rcpt',
      code,
      text: code === 250 ? 'ok' : 'Relay access denied',
    },
    transcript: [],
  };
}

async function runFile(name: string, cases: CaseResult[]): Promise<string> {
  const record: RunRecord = {
    relayTesterRun: 1,
    id: name,
    planName: 'Compare',
    planHash: name,
    plan: checkedPlan({ name: 'Compare', sources: ['127.0.0.1'], servers: [{ name: 'Relay', host: '127.0.0.1' }] }),
    toolVersion: '0.1.0',
    hostName: 'test',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    cancelled: false,
    sources: [],
    summary: countVerdicts(cases),
    cases,
  };
  const file = path.join(folder, `${name}.json`);
  await fs.writeFile(file, JSON.stringify(record));
  return file;
}

async function compare(before: string, after: string): Promise<{ status: number; output: string }> {
  let output = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    output += String(chunk);
    return true;
  });
  try {
    return { status: await compareCommand([before, after]), output };
  } finally {
    write.mockRestore();
  }
}

beforeAll(async () => {
  folder = await fs.mkdtemp(path.join(os.tmpdir(), 'relay-tester-compare-'));
});

afterEach(() => vi.restoreAllMocks());

afterAll(async () => {
  await fs.rm(folder, { recursive: true, force: true });
});

describe('relay-tester compare', () => {
  it('reads an expectation changed over the same server answer as that, not as a regression', async () => {
    const before = await runFile('deny', [result('deny', 'pass', 550)]);
    const after = await runFile('relay', [result('relay', 'fail', 550)]);
    const { status, output } = await compare(before, after);
    expect(status).toBe(0);
    expect(output.split('\n')).toEqual([
      'Note: the two runs are of different plans (plan hashes differ).',
      'EXPECTATION CHANGED 127.0.0.1 via Relay → external',
      '                    pass (recipient-rejected) -> fail (recipient-rejected)',
      '                    why: the expectation changed (same server answer): expected deny -> relay',
      '                    fail',
      '1 case changed: the expectation changed in 1 (same server answer); 0 unchanged.',
      '',
    ]);
    expect(output).not.toContain('REGRESSED');
  });

  it('reads a refusal turned into an acceptance as a regression of the server, and exits 1', async () => {
    const before = await runFile('refused', [result('deny', 'pass', 550)]);
    const after = await runFile('accepted', [result('deny', 'fail', 250)]);
    const { status, output } = await compare(before, after);
    expect(status).toBe(1);
    expect(output).toMatch(/^REGRESSED\s+127\.0\.0\.1 via Relay → external$/m);
    expect(output).toContain('why: the server answered differently (reply 550 -> 250)');
    expect(output).toMatch(/^1 case changed: the server answered differently in 1 \(1 regressed\); 0 unchanged\.$/m);
  });

  it('says plainly when nothing changed', async () => {
    const file = await runFile('same', [result('deny', 'pass', 550)]);
    const { status, output } = await compare(file, file);
    expect(status).toBe(0);
    expect(output).toBe('No case changed (1 unchanged).\n');
  });
});

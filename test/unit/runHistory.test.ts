// The history through the service the app uses, on a real file system: each run listed with its verdict, counts,
// duration and label; a label kept beside the runs (the run file untouched); a run deleted only from its plan's
// runs folder, after which it is neither listed nor labelled.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../main/api/dispatch.js';
import { MemoryPasswordStore } from '../../main/api/passwordStore.js';
import { createService, type Service } from '../../main/api/service.js';
import type { RunListing } from '../../shared/ipc.js';
import type { CaseResult, RunRecord } from '../../shared/run.js';
import { countVerdicts } from '../../shared/run.js';
import { checkedPlan, smallPlan } from '../support/plans.js';

let workspace: string;
let service: Service;
let planFile: string;
let runs: string;

const call = (command: string, payload: unknown) => dispatch(service.handlers, command, payload);

function caseResult(id: string, verdict: CaseResult['verdict']): CaseResult {
  return {
    case: { id, title: id, kind: 'source', server: 'Relay', expect: 'deny', because: '' },
    verdict,
    reason: verdict,
    transcript: [],
  };
}

function record(startedAt: string, finishedAt: string, cases: CaseResult[]): RunRecord {
  const fields = { name: 'History plan', sources: ['127.0.0.1'], servers: [{ name: 'Relay', host: '127.0.0.1' }] };
  return {
    relayTesterRun: 1,
    id: startedAt,
    planName: 'History plan',
    planHash: 'hash',
    plan: checkedPlan(fields),
    toolVersion: '0.1.0',
    hostName: 'test',
    startedAt,
    finishedAt,
    cancelled: false,
    sources: [],
    summary: countVerdicts(cases),
    cases,
  };
}

async function listing(): Promise<RunListing[]> {
  const result = await call('listRuns', { planPath: planFile });
  if (!result.ok) throw new Error(result.error.message);
  return result.result as RunListing[];
}

beforeAll(async () => {
  workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'relay-tester-history-'));
  planFile = path.join(workspace, 'history.json');
  await fs.writeFile(
    planFile,
    JSON.stringify(
      smallPlan({ name: 'History plan', sources: ['127.0.0.1'], servers: [{ name: 'Relay', host: '127.0.0.1' }] }),
    ),
  );
  runs = path.join(workspace, 'history.runs');
  await fs.mkdir(runs);
  await fs.writeFile(
    path.join(runs, '2026-01-01T10-00-00-000Z.json'),
    JSON.stringify(
      record('2026-01-01T10:00:00.000Z', '2026-01-01T10:00:12.500Z', [
        caseResult('a', 'pass'),
        caseResult('b', 'pass'),
      ]),
    ),
  );
  await fs.writeFile(
    path.join(runs, '2026-01-02T10-00-00-000Z.json'),
    JSON.stringify(
      record('2026-01-02T10:00:00.000Z', '2026-01-02T10:00:00.800Z', [
        caseResult('a', 'pass'),
        caseResult('b', 'fail'),
        caseResult('c', 'skipped'),
      ]),
    ),
  );
  service = createService({ face: 'browser', workspace, passwords: new MemoryPasswordStore(), emit: () => undefined });
});

afterAll(async () => {
  await service.close();
  await fs.rm(workspace, { recursive: true, force: true });
});

describe('the history of a plan', () => {
  it('lists each run, newest first, with its verdict, tone, counts and duration', async () => {
    const [newest, oldest] = await listing();
    expect(newest).toMatchObject({
      headline: expect.stringMatching(/^Incomplete: 2 of 3 cases decided/),
      tone: 'fail',
      durationMs: 800,
      summary: { pass: 1, fail: 1, skipped: 1 },
    });
    expect(oldest).toMatchObject({
      headline: '2 of 2 cases decided: no open relay found',
      tone: 'good',
      durationMs: 12_500,
    });
    expect(newest?.label).toBeUndefined();
  });

  it('labels a run beside the runs, leaving the run file exactly as it was', async () => {
    const [, oldest] = await listing();
    const before = await fs.readFile(oldest!.file, 'utf8');
    expect(
      await call('labelRun', { file: oldest!.file, planPath: planFile, label: '  before the firewall change ' }),
    ).toEqual({
      ok: true,
      result: { label: 'before the firewall change' },
    });
    expect((await listing())[1]?.label).toBe('before the firewall change');
    expect(await fs.readFile(oldest!.file, 'utf8')).toBe(before);
    const stored = JSON.parse(await fs.readFile(path.join(runs, '.labels.json'), 'utf8'));
    expect(stored.labels).toEqual({ [path.basename(oldest!.file)]: 'before the firewall change' });
    // The sidecar is no run: the list still has two.
    expect(await listing()).toHaveLength(2);
  });

  it('refuses a label with control characters in plain words, and shows a crafted one made visible', async () => {
    const [newest] = await listing();
    expect(
      await call('labelRun', { file: newest!.file, planPath: planFile, label: 'evil\u001b]0;owned\u0007' }),
    ).toEqual({
      ok: false,
      error: {
        code: 'invalid-request',
        message: 'A run label cannot contain control characters (such as a line break or a tab).',
      },
    });
    const stored = JSON.parse(await fs.readFile(path.join(runs, '.labels.json'), 'utf8'));
    stored.labels[path.basename(newest!.file)] = 'crafted \u001b[2J';
    await fs.writeFile(path.join(runs, '.labels.json'), JSON.stringify(stored));
    expect((await listing())[0]?.label).toBe('crafted \\e[2J');
  });

  it('deletes only a run file in the plan’s runs folder', async () => {
    const elsewhere = path.join(workspace, 'other.json');
    await fs.copyFile((await listing())[0]!.file, elsewhere);
    for (const file of [elsewhere, planFile, path.join(runs, '.labels.json')]) {
      expect(await call('deleteRun', { file, planPath: planFile })).toMatchObject({
        ok: false,
        error: { code: 'forbidden', message: expect.stringContaining('is not a saved run of this plan') },
      });
    }
    await expect(fs.stat(elsewhere)).resolves.toBeTruthy();
    await fs.writeFile(path.join(runs, 'not-a-run.json'), '{"hello": 1}');
    expect(await call('deleteRun', { file: path.join(runs, 'not-a-run.json'), planPath: planFile })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    await fs.unlink(path.join(runs, 'not-a-run.json'));
  });

  it('deletes a run and its label', async () => {
    const [, oldest] = await listing();
    expect(await call('deleteRun', { file: oldest!.file, planPath: planFile })).toEqual({
      ok: true,
      result: { deleted: true },
    });
    await expect(fs.stat(oldest!.file)).rejects.toThrow();
    expect((await listing()).map((run) => run.file)).not.toContain(oldest!.file);
    const stored = JSON.parse(await fs.readFile(path.join(runs, '.labels.json'), 'utf8'));
    expect(Object.keys(stored.labels)).not.toContain(path.basename(oldest!.file));
  });
});

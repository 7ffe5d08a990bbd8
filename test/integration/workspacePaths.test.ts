// Finding 7 of issue 10: symbolic links in the workspace were followed, so openPlan, savePlan, the runs folder
// and reports read and wrote outside it. Real links on a real file system, through the service the app uses.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../main/api/dispatch.js';
import { MemoryPasswordStore } from '../../main/api/passwordStore.js';
import { createService, type Service } from '../../main/api/service.js';
import { realTarget, staysWithin } from '../../main/store/workspacePath.js';
import { temporaryFolder } from '../support/cli.js';
import { TESTBED_PLAN } from '../support/testbed.js';

let root: string;
let workspace: string;
let outside: string;
let service: Service;
let plan: unknown;

const call = (command: string, payload: unknown) => dispatch(service.handlers, command, payload);

beforeAll(async () => {
  root = await temporaryFolder();
  workspace = path.join(root, 'workspace');
  outside = path.join(root, 'outside');
  await fs.mkdir(workspace);
  await fs.mkdir(outside);
  plan = JSON.parse(await fs.readFile(TESTBED_PLAN, 'utf8'));
  await fs.writeFile(
    path.join(outside, 'secret.json'),
    JSON.stringify({ ...(plan as object), name: 'Secret plan outside' }),
  );
  await fs.writeFile(path.join(workspace, 'inside.json'), JSON.stringify(plan));
  await fs.symlink(path.join(outside, 'secret.json'), path.join(workspace, 'link.json'));
  await fs.symlink(outside, path.join(workspace, 'shared'));
  await fs.symlink(path.join(outside, 'nothing.json'), path.join(workspace, 'dangling.json'));
  await fs.symlink(path.join(workspace, 'inside.json'), path.join(workspace, 'alias.json')); // stays inside
  service = createService({ face: 'browser', workspace, passwords: new MemoryPasswordStore(), emit: () => undefined });
});

afterAll(async () => {
  await service.close();
  await fs.rm(root, { recursive: true, force: true });
});

async function outsideFiles(): Promise<string[]> {
  return (await fs.readdir(outside, { recursive: true })).map(String).sort();
}

describe('symbolic links out of the workspace are not followed', () => {
  it('openPlan refuses a linked file and a file in a linked folder, and reads a link that stays inside', async () => {
    for (const file of ['link.json', 'shared/secret.json', path.join(workspace, 'shared', 'secret.json')]) {
      const result = await call('openPlan', { path: file });
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'forbidden', message: expect.stringContaining('symbolic link') },
      });
      expect(JSON.stringify(result)).not.toContain('Secret plan outside');
    }
    expect(await call('openPlan', { path: 'alias.json' })).toMatchObject({
      ok: true,
      result: { plan: { name: 'Postfix test bed' } },
    });
  });

  it('savePlan writes neither through a linked file, nor into a linked folder, nor through a link to nothing', async () => {
    const before = await outsideFiles();
    for (const file of ['link.json', 'shared/new.json', 'dangling.json']) {
      expect(await call('savePlan', { path: file, plan })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(await outsideFiles()).toEqual(before);
    expect(JSON.parse(await fs.readFile(path.join(outside, 'secret.json'), 'utf8')).name).toBe('Secret plan outside');
  });

  it('lists no plan that is a link leading out', async () => {
    const listed = await call('listPlans', {});
    expect(listed).toMatchObject({ ok: true });
    expect(
      (listed as { result: { name: string; path: string }[] }).result.map((entry) => path.basename(entry.path)),
    ).toEqual(['alias.json', 'inside.json']);
  });

  it('neither runs into, lists nor loads from a runs folder that is a link leading out', async () => {
    await fs.symlink(outside, path.join(workspace, 'inside.runs'));
    try {
      const before = await outsideFiles();
      expect(await call('startRun', { plan, planPath: path.join(workspace, 'inside.json') })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      expect(await call('listRuns', { planPath: path.join(workspace, 'inside.json') })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      expect(await call('loadRun', { file: 'inside.runs/secret.json' })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      expect(await outsideFiles()).toEqual(before);
    } finally {
      await fs.unlink(path.join(workspace, 'inside.runs'));
    }
  });

  it('does not list a run file that is a link leading out of the runs folder', async () => {
    const runs = path.join(workspace, 'runs');
    await fs.mkdir(runs);
    const run = {
      relayTesterRun: 1,
      planName: 'Outside run',
      startedAt: '2026-01-01T00:00:00.000Z',
      cases: [],
      summary: {},
    };
    await fs.writeFile(path.join(outside, 'run.json'), JSON.stringify(run));
    await fs.symlink(path.join(outside, 'run.json'), path.join(runs, '2026-01-01.json'));
    expect(await call('listRuns', {})).toEqual({ ok: true, result: [] });
  });

  it('writes no report into a reports folder that is a link leading out', async () => {
    await fs.symlink(outside, path.join(workspace, 'reports'));
    try {
      const before = await outsideFiles();
      // The report needs a run inside the workspace to start from.
      const runFile = path.join(workspace, 'runs', 'real.json');
      const record = JSON.parse(await fs.readFile(path.join(outside, 'run.json'), 'utf8'));
      await fs.writeFile(runFile, JSON.stringify(record));
      const result = await call('exportReport', { runFile, format: 'html' });
      expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await call('exportReport', { runFile, format: 'html', path: 'shared/report.html' })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      expect(await outsideFiles()).toEqual(before);
    } finally {
      await fs.unlink(path.join(workspace, 'reports'));
    }
  });
});

describe('the real-path check itself', () => {
  it('resolves files still to be written through their nearest existing folder', async () => {
    expect(await realTarget(path.join(workspace, 'shared', 'a', 'b.json'))).toBe(path.join(outside, 'a', 'b.json'));
    expect(await realTarget(path.join(workspace, 'new', 'c.json'))).toBe(path.join(workspace, 'new', 'c.json'));
    await expect(realTarget(path.join(workspace, 'dangling.json'))).rejects.toThrow('symbolic link to nothing');
  });

  it('follows a workspace that is itself a link, but not a runs folder that is one', async () => {
    const named = path.join(root, 'named-workspace');
    await fs.symlink(workspace, named);
    expect(await staysWithin(named, path.join(named, 'inside.json'), { followRoot: true })).toBe(true);
    expect(await staysWithin(named, path.join(named, 'link.json'), { followRoot: true })).toBe(false);
    expect(
      await staysWithin(path.join(workspace, 'shared'), path.join(workspace, 'shared', 'x.json'), {
        followRoot: false,
      }),
    ).toBe(false);
    expect(await staysWithin(workspace, path.join(workspace, '..', 'outside', 'x.json'), { followRoot: true })).toBe(
      false,
    );
  });
});

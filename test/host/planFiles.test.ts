// Plan files through the service the app uses, on real files in a temporary workspace: Open lists every JSON file
// and says why one cannot open; a file from anywhere is imported as a new file of the workspace (never over one)
// and opened. Every command goes through dispatch, validated as the faces send it. (Reports: reportFiles.test.ts.)
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../main/api/dispatch.js';
import { MemoryPasswordStore } from '../../main/api/passwordStore.js';
import { createService, type Service } from '../../main/api/service.js';
import { startAppLab, type AppLab } from '../../main/lab/labLink.js';
import type { CommandName, CommandRequest, CommandResponse, PlanListing } from '../../shared/ipc.js';
import { PLAN_LIMITS } from '../../shared/plan.js';
import type { RunProgress } from '../../shared/run.js';
import { temporaryFolder } from '../support/cli.js';

let root: string;
let workspace: string;
let lab: AppLab;
let service: Service;
let demoPlan: unknown;
let runFile: string;
const runSaved = new Map<string, (file: string) => void>();

function makeService(): Service {
  return createService({
    face: 'browser',
    workspace,
    passwords: new MemoryPasswordStore(),
    lab: lab.link,
    emit: (event, payload) => {
      if (event !== 'runProgress') return;
      for (const item of payload as RunProgress[]) {
        if (item.type === 'run-finished' && item.file) runSaved.get(item.runId)?.(item.file);
      }
    },
  });
}

async function call<K extends CommandName>(
  command: K,
  payload: CommandRequest<K>,
  on = service,
): Promise<CommandResponse<K>> {
  const answer = await dispatch(on.handlers, command, payload);
  if (!answer.ok) throw Object.assign(new Error(answer.error.message), { code: answer.error.code });
  return answer.result as CommandResponse<K>;
}

const write = (name: string, text: string) => fs.writeFile(path.join(workspace, name), text);

beforeAll(async () => {
  root = await temporaryFolder();
  workspace = path.join(root, 'workspace');
  await fs.mkdir(workspace);
  lab = await startAppLab('secure');
  service = makeService();
  demoPlan = lab.link.demoPlan;
  const answer = await call('startRun', { plan: demoPlan });
  if (!('runId' in answer)) throw new Error(`the demo plan did not start: ${JSON.stringify(answer)}`);
  runFile = await new Promise((resolve) => runSaved.set(answer.runId, resolve));
});

afterAll(async () => {
  await service.close();
  await lab.stop();
  await fs.rm(root, { recursive: true, force: true });
});

describe('Open lists every JSON file of the workspace', () => {
  it('names the plans, and says why each other file cannot open, in plain words made visible', async () => {
    const listingFolder = path.join(root, 'listing');
    await fs.mkdir(listingFolder);
    const lister = createService({
      face: 'browser',
      workspace: listingFolder,
      passwords: new MemoryPasswordStore(),
      emit: () => undefined,
    });
    const put = (name: string, text: string) => fs.writeFile(path.join(listingFolder, name), text);
    await put('good.json', JSON.stringify(demoPlan));
    await put('broken.json', '{"relayTesterPlan": 1, "name": ');
    await put('run.json', await fs.readFile(runFile, 'utf8'));
    await put('package.json', JSON.stringify({ name: 'something-else', version: '1.0.0' }));
    const badPort = structuredClone(demoPlan) as { servers: { port: number }[]; name: string };
    badPort.servers[0]!.port = 70000;
    await put('bad port.json', JSON.stringify(badPort));
    await put('evil\u001b]0;x\u0007.json', '[1, 2]');
    await fs.mkdir(path.join(listingFolder, 'folder.json'));
    await put('.hidden.json', JSON.stringify(demoPlan));
    await put('notes.txt', 'not listed');

    const listed = await call('listPlans', {}, lister);
    await lister.close();
    const byFile = new Map<string, PlanListing>(listed.map((entry) => [path.basename(entry.path), entry]));
    expect([...byFile.keys()]).toEqual([
      'bad port.json',
      'broken.json',
      'evil\u001b]0;x\u0007.json',
      'good.json',
      'package.json',
      'run.json',
    ]);
    expect(byFile.get('good.json')).toMatchObject({ kind: 'plan', name: (demoPlan as { name: string }).name });
    expect(byFile.get('good.json')?.reasons).toBeUndefined();
    expect(byFile.get('broken.json')).toMatchObject({
      kind: 'not-json',
      reasons: [expect.stringMatching(/^not valid JSON: /)],
    });
    expect(byFile.get('run.json')).toMatchObject({
      kind: 'run-file',
      reasons: [expect.stringMatching(/^a run file, not a plan/)],
    });
    expect(byFile.get('package.json')).toMatchObject({
      kind: 'not-a-plan',
      reasons: ['not a Relay Tester plan: it has no "relayTesterPlan" version field'],
    });
    const bad = byFile.get('bad port.json')!;
    expect(bad).toMatchObject({ kind: 'invalid-plan', name: 'bad port.json', problemCount: expect.any(Number) });
    expect(bad.reasons!.join('\n')).toMatch(/\$\.servers\[0\]\.port/);
    const evil = byFile.get('evil\u001b]0;x\u0007.json')!;
    expect(evil).toMatchObject({ kind: 'not-a-plan', fileName: 'evil\\e]0;x\\x07.json' });
    expect(JSON.stringify(listed.map(({ path: _path, ...rest }) => rest))).not.toMatch(/\\u001b|\\u0007/);
  });
});

describe('importing a plan file from anywhere', () => {
  it('writes a new file of the workspace, never over one, and opens it', async () => {
    const text = JSON.stringify(demoPlan, null, 2);
    await write('imported.json', '{"kept": "the file already there"}');
    const first = await call('importPlan', { fileName: 'imported.json', text });
    expect(first).toEqual({ path: path.join(workspace, 'imported (2).json'), plan: demoPlan });
    const second = await call('importPlan', { fileName: 'imported.json', text });
    expect(second.path).toBe(path.join(workspace, 'imported (3).json'));
    expect(await fs.readFile(path.join(workspace, 'imported.json'), 'utf8')).toBe('{"kept": "the file already there"}');
    expect(await fs.readFile(first.path, 'utf8')).toBe(text);
    expect((await fs.stat(first.path)).mode & 0o777).toBe(0o600);
    // The copy is a file of the workspace: it opens and saves like any other.
    expect(await call('openPlan', { path: first.path })).toEqual({ path: first.path, plan: demoPlan });
    const leftovers = (await fs.readdir(workspace)).filter((name) => name.endsWith('.tmp'));
    expect(leftovers).toEqual([]);
  });

  it('keeps a plan with problems and opens it with them, so the editor can fix it', async () => {
    const broken = { ...(demoPlan as object), sender: 'not an address' };
    const opened = await call('importPlan', { fileName: 'needs-fixing.json', text: JSON.stringify(broken) });
    expect(opened.path).toBe(path.join(workspace, 'needs-fixing.json'));
    expect(opened.plan).toEqual(broken);
    expect(opened.problems?.map((problem) => problem.path)).toContain('$.sender');
    expect(JSON.parse(await fs.readFile(opened.path, 'utf8'))).toEqual(broken);
  });

  it('refuses what could never open as a plan, and writes nothing', async () => {
    const before = (await fs.readdir(workspace)).sort();
    await expect(call('importPlan', { fileName: 'garbage.json', text: 'not json at all' })).rejects.toThrow(
      /^garbage\.json cannot be opened: not valid JSON: /,
    );
    await expect(
      call('importPlan', { fileName: 'a run.json', text: await fs.readFile(runFile, 'utf8') }),
    ).rejects.toThrow('a run.json cannot be opened: a run file, not a plan');
    await expect(call('importPlan', { fileName: 'plan.txt', text: JSON.stringify(demoPlan) })).rejects.toThrow(
      'plan.txt is not a plan file: only .json files can be opened as plans',
    );
    await expect(call('importPlan', { fileName: '../escape.json', text: JSON.stringify(demoPlan) })).rejects.toThrow(
      'importPlan: fileName: must be a file name, without folders or control characters',
    );
    await expect(
      call('importPlan', { fileName: 'huge.json', text: ' '.repeat(PLAN_LIMITS.maxBytes + 1) }),
    ).rejects.toThrow(`importPlan: text: the file is larger than ${PLAN_LIMITS.maxBytes} bytes`);
    expect((await fs.readdir(workspace)).sort()).toEqual(before);
    expect((await fs.readdir(root)).filter((name) => name !== 'listing')).toEqual(['workspace']);
  });
});

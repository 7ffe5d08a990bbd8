// Reports offered as files, through the service the app uses: the browser gets a run's report as bytes to download
// (nothing written on the server), and the desktop app's "Show in folder" reveals a report it saved where its
// dialog pointed, and nothing outside what the app may reach. Needs the built report renderer (dist/report).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../main/api/dispatch.js';
import { MemoryPasswordStore } from '../../main/api/passwordStore.js';
import { createService, type Dialogs, type Service } from '../../main/api/service.js';
import { startAppLab, type AppLab } from '../../main/lab/labLink.js';
import type { CommandName, CommandRequest, CommandResponse } from '../../shared/ipc.js';
import type { RunProgress } from '../../shared/run.js';
import { temporaryFolder } from '../support/cli.js';

let root: string;
let workspace: string;
let lab: AppLab;
let service: Service;
let desktop: Service;
let runFile: string;
let dialogTarget: string;
const revealed: string[] = [];
const runSaved = new Map<string, (file: string) => void>();

function makeService(face: 'browser' | 'electron'): Service {
  const dialogs: Dialogs = {
    openPlan: async () => undefined,
    savePlan: async () => undefined,
    saveReport: async () => dialogTarget,
  };
  return createService({
    face,
    workspace,
    passwords: new MemoryPasswordStore(),
    lab: lab.link,
    emit: (event, payload) => {
      if (event !== 'runProgress') return;
      for (const item of payload as RunProgress[]) {
        if (item.type === 'run-finished' && item.file) runSaved.get(item.runId)?.(item.file);
      }
    },
    ...(face === 'electron' ? { dialogs, reveal: (file: string) => void revealed.push(file) } : {}),
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

const demoPlan = () => lab.link.demoPlan;

beforeAll(async () => {
  root = await temporaryFolder();
  workspace = path.join(root, 'workspace');
  await fs.mkdir(workspace);
  lab = await startAppLab('secure');
  service = makeService('browser');
  desktop = makeService('electron');
  const answer = await call('startRun', { plan: demoPlan() });
  if (!('runId' in answer)) throw new Error(`the demo plan did not start: ${JSON.stringify(answer)}`);
  runFile = await new Promise((resolve) => runSaved.set(answer.runId, resolve));
});

afterAll(async () => {
  await service.close();
  await desktop.close();
  await lab.stop();
  await fs.rm(root, { recursive: true, force: true });
});

describe('reports offered as files', () => {
  it('gives the browser the HTML report of a run as a download', async () => {
    const report = await call('downloadReport', { runFile, format: 'html' });
    expect(report.mimeType).toBe('text/html');
    expect(report.fileName).toMatch(/^Relay-Tester-lab-demo-.*\.html$/);
    const html = Buffer.from(report.base64, 'base64').toString('utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain(demoPlan().name);
    // Nothing was written: the browser saves it where the user wants.
    expect(await fs.readdir(workspace)).not.toContain('reports');
  });

  it('refuses a run file outside the workspace', async () => {
    await expect(call('downloadReport', { runFile: '/etc/passwd.json', format: 'html' })).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('shows in its folder a report the desktop app saved where its dialog pointed, and nothing else', async () => {
    dialogTarget = path.join(root, 'chosen', 'report.html');
    const written = await call('exportReport', { runFile, format: 'html' }, desktop);
    expect(written).toEqual({ path: dialogTarget });
    expect(await call('revealFile', { path: dialogTarget }, desktop)).toEqual({ shown: true });
    expect(revealed).toEqual([dialogTarget]);
    await expect(call('revealFile', { path: path.join(root, 'elsewhere.html') }, desktop)).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(call('revealFile', { path: dialogTarget })).rejects.toThrow(
      'showing a file in its folder needs the desktop app',
    );
    expect(revealed).toHaveLength(1);
  });
});

// A failed save is a failed run: the service behind every face emits `run-failed` with the reason and the results,
// instead of logging it and leaving the window "running" for ever; nothing already on disk is lost.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { MemoryPasswordStore } from '../../main/api/passwordStore.js';
import { createService, type Service } from '../../main/api/service.js';
import type { RunProgress } from '../../shared/run.js';
import { ehloReply, fakeServer, refuseRelay } from '../engine/fakeServer.js';

let service: Service | undefined;
let workspace: string | undefined;
afterEach(async () => {
  await service?.close();
  if (workspace) await fs.rm(workspace, { recursive: true, force: true });
});

it('a run whose runs folder cannot be made ends with run-failed, the reason and its results', async () => {
  const server = await fakeServer(async (connection) => {
    await connection.send('220 fake.test ESMTP\r\n');
    await connection.expect(/^EHLO /);
    await connection.send(ehloReply([]));
    await refuseRelay(connection);
  });
  workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'relay-tester-run-failed-'));
  const planPath = path.join(workspace, 'plan.json');
  const plan = {
    relayTesterPlan: 1,
    name: 'unsaved',
    domains: { local: ['corp.test'], external: 'external.example' },
    sender: 'helpdesk@corp.test',
    accounts: [],
    sources: ['127.0.0.5'],
    servers: [{ name: 'Fake', host: server.host, port: server.port, tls: 'none', relay: { users: [], hosts: [] } }],
  };
  await fs.writeFile(planPath, JSON.stringify(plan));
  // A regular file where the runs folder should be, and an earlier run file the failed save must not touch.
  const blocker = path.join(workspace, 'plan.runs');
  await fs.writeFile(blocker, 'precious\n');

  const progress: RunProgress[] = [];
  let ended: () => void;
  const end = new Promise<void>((resolve) => (ended = resolve));
  service = createService({
    face: 'browser',
    workspace,
    passwords: new MemoryPasswordStore(),
    emit: (event, payload) => {
      if (event !== 'runProgress') return;
      for (const item of payload as RunProgress[]) {
        progress.push(item);
        if (item.type === 'run-finished' || item.type === 'run-failed') ended();
      }
    },
  });
  const started = await service.handlers.startRun({ plan, planPath });
  expect('runId' in started).toBe(true);
  await end;

  const last = progress.at(-1)!;
  expect(progress.some((item) => item.type === 'run-finished')).toBe(false);
  expect(last.type).toBe('run-failed');
  if (last.type !== 'run-failed') return;
  expect(last.runId).toBe((started as { runId: string }).runId);
  expect(last.message).toMatch(
    new RegExp(`^could not save the run to ${blocker.replace(/[.]/g, '\\.')}/[^/]+\\.json: (EEXIST|ENOTDIR)`),
  );
  // The results come along, so the window can still show what the server decided.
  expect(last.run?.cases.map((result) => result.verdict)).toEqual(['pass', 'fail']);
  expect(await fs.readFile(blocker, 'utf8')).toBe('precious\n');
  // The service forgot the run: cancelling it now finds nothing to cancel.
  expect(await service.handlers.cancelRun({ runId: last.runId })).toEqual({ cancelled: false });
});

// The service behind every face runs only the chosen cases of a plan: one session per chosen case, and the run
// record says which cases were chosen of how many. An id that names no case is refused before anything connects.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ApiFailure } from '../../main/api/dispatch.js';
import { MemoryPasswordStore } from '../../main/api/passwordStore.js';
import { createService, type Service } from '../../main/api/service.js';
import { validateRequest } from '../../shared/ipc.js';
import type { RunProgress, RunRecord } from '../../shared/run.js';
import { ehloReply, fakeServer, refuseRelay } from '../engine/fakeServer.js';

let service: Service | undefined;
let workspace: string | undefined;
afterEach(async () => {
  await service?.close();
  if (workspace) await fs.rm(workspace, { recursive: true, force: true });
});

it('runs only the chosen case, records the selection, and refuses an unknown id before connecting', async () => {
  let sessions = 0;
  const server = await fakeServer(async (connection) => {
    sessions += 1;
    await connection.send('220 fake.test ESMTP\r\n');
    await connection.expect(/^EHLO /);
    await connection.send(ehloReply([]));
    await refuseRelay(connection);
  });
  workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'relay-tester-partial-run-'));
  const plan = {
    relayTesterPlan: 1,
    name: 'partial',
    domains: { local: ['corp.test'], external: 'external.example' },
    sender: 'helpdesk@corp.test',
    accounts: [],
    sources: ['127.0.0.5'],
    servers: [{ name: 'Fake', host: server.host, port: server.port, tls: 'none', relay: { users: [], hosts: [] } }],
  };
  let finished: (run: RunRecord) => void;
  const done = new Promise<RunRecord>((resolve) => (finished = resolve));
  const progress: RunProgress[] = [];
  service = createService({
    face: 'browser',
    workspace,
    passwords: new MemoryPasswordStore(),
    emit: (event, payload) => {
      if (event !== 'runProgress') return;
      for (const item of payload as RunProgress[]) {
        progress.push(item);
        if (item.type === 'run-finished') finished(item.run);
      }
    },
  });
  const { matrix } = await service.handlers.inspectPlan({ plan });
  const ids = matrix!.cases.map((testCase) => testCase.id);
  expect(ids.length).toBe(2);

  const unknown = service.handlers.startRun({ plan, caseIds: ['fake/no-such-case'] });
  await expect(unknown).rejects.toBeInstanceOf(ApiFailure);
  await expect(unknown).rejects.toThrow(
    'Cannot run those cases: no case of this plan has the id "fake/no-such-case" (the plan or this machine\'s sources may have changed).',
  );
  expect(sessions).toBe(0);

  const started = await service.handlers.startRun({ plan, caseIds: [ids[0]!] });
  expect('runId' in started).toBe(true);
  const run = await done;
  expect(run.cases.map((result) => result.case.id)).toEqual([ids[0]]);
  expect(run.selection).toEqual({ caseIds: [ids[0]], of: 2 });
  expect(sessions).toBe(1);
  const announced = progress.find((item) => item.type === 'run-started');
  expect(announced).toMatchObject({ selection: { caseIds: [ids[0]], of: 2 } });
});

it('the contract refuses an empty or oversized list of case ids', () => {
  expect(validateRequest('startRun', { plan: {}, caseIds: [] })).toMatchObject({ ok: false });
  const many = Array.from({ length: 5001 }, (_, index) => `case-${index}`);
  expect(validateRequest('startRun', { plan: {}, caseIds: many })).toMatchObject({
    ok: false,
    error: { message: expect.stringMatching(/^startRun: caseIds: /) },
  });
  expect(validateRequest('startRun', { plan: {}, caseIds: ['a/b'] })).toMatchObject({ ok: true });
});

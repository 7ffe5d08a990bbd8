// The app's first start: the demo plan against the built-in lab runs with the lab's own passwords, even when
// the user has typed other passwords for accounts of the same names (e.g. for a real server).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MemoryPasswordStore } from '../../main/api/passwordStore.js';
import { createService, type Service } from '../../main/api/service.js';
import { startAppLab, type AppLab } from '../../main/lab/labLink.js';
import type { RunProgress } from '../../shared/run.js';
import { temporaryFolder } from '../support/cli.js';

let lab: AppLab;
let service: Service;
const progress: RunProgress[] = [];
let finished: () => void;
const done = new Promise<void>((resolve) => (finished = resolve));

beforeAll(async () => {
  lab = await startAppLab('secure');
  service = createService({
    face: 'browser',
    workspace: await temporaryFolder(),
    passwords: new MemoryPasswordStore(),
    lab: lab.link,
    emit: (event, payload) => {
      if (event !== 'runProgress') return;
      progress.push(...(payload as RunProgress[]));
      if (progress.some((item) => item.type === 'run-finished')) finished();
    },
  });
});
afterAll(async () => {
  await service.close();
  await lab.stop();
});

it('runs the demo plan with the lab passwords, whatever the user typed for other servers', async () => {
  await service.handlers.setPassword({ account: 'alice', password: 'Alice-Secret-1', servers: ['127.0.0.1:2525'] });
  const info = await service.handlers.getAppInfo({});
  expect(info.startPlan.demo).toBe(true);
  expect(info.lab?.servers).toHaveLength(2);
  expect((await service.handlers.passwordStatus({ accounts: ['alice', 'bob', 'mallory'] })).known).toEqual([
    'alice',
    'bob',
    'mallory',
  ]);
  await service.handlers.startRun({ plan: info.startPlan.plan });
  await done;
  const finishedRun = progress.find((item) => item.type === 'run-finished');
  expect(finishedRun?.type === 'run-finished' && finishedRun.run.summary).toMatchObject({
    pass: 31,
    fail: 0,
    inconclusive: 0,
    error: 0,
    skipped: 0,
  });
});

// The app's quick probe from a vantage point of the open plan: the dialog runs through the plan's SSH vantage point
// (its key file relative to the plan), the server sees the branch's address, and the copied relay-tester line does
// the same from the plan's folder.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryPasswordStore } from '../../main/api/passwordStore.js';
import { createService } from '../../main/api/service.js';
import type { ProbeProgress, ProbeSettings } from '../../shared/probe.js';
import { relayTesterCommand } from '../../shared/probeCommand.js';
import type { VantagePoint } from '../../shared/vantage.js';
import { relayTester } from '../support/cli.js';
import {
  BRANCH,
  MAIL_ADDRESS,
  bedHostKeySha256,
  copyBedKey,
  startMailServer,
  startVantageBed,
} from '../support/vantagebed.js';

let mail: Awaited<ReturnType<typeof startMailServer>>;
let folder: string;
let planPath: string;
let plan: Record<string, unknown>;
const progress: ProbeProgress[] = [];
let service: ReturnType<typeof createService>;

beforeAll(async () => {
  startVantageBed();
  folder = await fs.mkdtemp(path.join(os.tmpdir(), 'rt-probe-via-'));
  copyBedKey(folder, 'relaytest_key');
  mail = await startMailServer();
  plan = {
    relayTesterPlan: 1,
    name: 'Branch office',
    domains: { local: ['corp.test'], external: 'external.example' },
    sender: 'helpdesk@corp.test',
    accounts: [],
    sources: ['10.77.1.0/24'],
    servers: [{ name: 'Mail', host: MAIL_ADDRESS, port: mail.port, tls: 'none', relay: { users: [], hosts: [] } }],
    vantagePoints: [
      {
        name: 'branch',
        ssh: { ...BRANCH, identityFile: 'relaytest_key', hostKeySha256: bedHostKeySha256() },
        serves: ['10.77.1.0/24'],
      },
    ],
  };
  planPath = path.join(folder, 'branch.json');
  await fs.writeFile(planPath, JSON.stringify(plan));
  service = createService({
    face: 'browser',
    workspace: folder,
    passwords: new MemoryPasswordStore(),
    emit: (event, payload) => event === 'probeProgress' && progress.push(...(payload as ProbeProgress[])),
  });
});

afterAll(async () => {
  await service?.close();
  await mail?.close();
  if (folder) await fs.rm(folder, { recursive: true, force: true });
});

describe('a quick probe from a vantage point', () => {
  it('talks SMTP from the branch, and its copied command does the same', async () => {
    const settings: ProbeSettings = {
      host: MAIL_ADDRESS,
      port: mail.port,
      tls: 'none',
      certificate: { mode: 'verify' },
      vantage: 'branch',
      helo: 'relay-tester.invalid',
      from: 'helpdesk@corp.test',
      to: ['x@corp.test'],
    };
    const started = await service.handlers.startProbe({
      host: settings.host,
      port: settings.port,
      tls: settings.tls,
      vantage: 'branch',
      plan,
      planPath,
      from: settings.from,
      to: settings.to,
    });
    if (!('probeId' in started)) throw new Error('asked for consent');
    await expect
      .poll(() => progress.find((item) => item.probeId === started.probeId && item.type !== 'probe-event'), {
        timeout: 15_000,
      })
      .toBeDefined();
    const end = progress.find((item) => item.probeId === started.probeId && item.type !== 'probe-event');
    expect(end).toMatchObject({
      type: 'probe-finished',
      vantage: 'branch',
      outcome: { outcome: 'recipient-accepted' },
    });
    const greeting = progress.find(
      (item) =>
        item.type === 'probe-event' && item.event.type === 'server' && item.event.text.includes(`[${BRANCH.host}]`),
    );
    expect(greeting).toBeDefined();

    const point = (plan.vantagePoints as VantagePoint[])[0]!;
    const words = relayTesterCommand(settings, { ...point, ssh: { ...point.ssh!, port: 22 } }).command.split(' ');
    expect(words.slice(0, 2)).toEqual(['relay-tester', 'probe']);
    // Plain words only here (nothing to unquote): run it as the pasted line would, from the plan's folder.
    const cli = await relayTester(words.slice(1), { cwd: folder });
    expect(cli.stdout, cli.stderr).toContain(`[${BRANCH.host}]`);
    expect(cli.status).toBe(0);
  });

  it('says which vantage point the plan lacks', async () => {
    await expect(
      service.handlers.startProbe({
        host: MAIL_ADDRESS,
        port: mail.port,
        tls: 'none',
        vantage: 'nowhere',
        plan,
        from: '',
        to: ['x@corp.test'],
      }),
    ).rejects.toThrow('the plan has no vantage point named "nowhere"');
  });
});

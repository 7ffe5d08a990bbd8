// Finding 8 of issue 10: run JSON, JUnit, HTML and PDF were written world-readable (0644, folders 0755). What the
// tool writes tells where a mail server is weak: every output is 0600 and every folder it creates 0700, whatever
// the umask. The CLI runs for real against the Postfix test bed; the app's service saves plans and exports.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryPasswordStore } from '../../main/api/passwordStore.js';
import { createService } from '../../main/api/service.js';
import { writeFileAtomic } from '../../main/store/atomicFile.js';
import { relayTester, temporaryFolder, writeSecrets } from '../support/cli.js';
import { assertTestbedRunning, PASSWORDS, TESTBED_PLAN } from '../support/testbed.js';

let folder: string;

beforeAll(async () => {
  assertTestbedRunning();
  folder = await temporaryFolder();
});
afterAll(() => fs.rm(folder, { recursive: true, force: true }));

async function mode(file: string): Promise<string> {
  return ((await fs.stat(file)).mode & 0o777).toString(8);
}

describe('outputs are readable by their owner only', () => {
  it('relay-tester run and report write the run, JUnit, HTML and PDF 0600 in folders made 0700', async () => {
    const secrets = await writeSecrets(folder, PASSWORDS);
    const out = path.join(folder, 'results', 'nested', 'run.json');
    const junit = path.join(folder, 'ci', 'junit.xml');
    const run = await relayTester(['run', TESTBED_PLAN, '--secrets', secrets, '--out', out, '--junit', junit]);
    expect(run.status, run.stderr).toBe(0);
    const html = path.join(folder, 'reports', 'bed.html');
    const pdf = path.join(folder, 'reports', 'bed.pdf');
    expect((await relayTester(['report', out, '--html', html])).status).toBe(0);
    expect((await relayTester(['report', out, '--pdf', pdf])).status).toBe(0);
    for (const file of [out, junit, html, pdf]) expect([file, await mode(file)]).toEqual([file, '600']);
    for (const made of ['results', 'results/nested', 'ci', 'reports'])
      expect([made, await mode(path.join(folder, made))]).toEqual([made, '700']);
  }, 120_000);

  it('the app saves plans and exports reports 0600, and makes its reports folder 0700', async () => {
    const workspace = path.join(folder, 'workspace');
    await fs.mkdir(workspace);
    const service = createService({
      face: 'browser',
      workspace,
      passwords: new MemoryPasswordStore(),
      emit: () => undefined,
      printPdf: async () => new TextEncoder().encode('%PDF-1.4\n'),
    });
    const plan = JSON.parse(await fs.readFile(TESTBED_PLAN, 'utf8'));
    await service.handlers.savePlan({ path: 'bed.json', plan });
    const runFile = path.join(workspace, 'runs', 'old.json');
    await fs.mkdir(path.dirname(runFile));
    await fs.copyFile(path.join(folder, 'results', 'nested', 'run.json'), runFile);
    const exported = await service.handlers.exportReport({ runFile, format: 'html' });
    const printed = await service.handlers.exportReport({ runFile, format: 'pdf' });
    await service.close();
    expect(await mode(path.join(workspace, 'bed.json'))).toBe('600');
    expect(await mode(exported!.path)).toBe('600');
    expect(await mode(printed!.path)).toBe('600');
    expect(await mode(path.join(workspace, 'reports'))).toBe('700');
  });

  it('keeps 0600 under a permissive umask and when replacing a world-readable file', async () => {
    const target = path.join(folder, 'replaced.json');
    await fs.writeFile(target, '{}', { mode: 0o666 });
    await fs.chmod(target, 0o666);
    const previous = process.umask(0);
    try {
      await writeFileAtomic(target, '{"new":true}');
      await writeFileAtomic(path.join(folder, 'made', 'x.json'), '{}');
    } finally {
      process.umask(previous);
    }
    expect(await mode(target)).toBe('600');
    expect(await mode(path.join(folder, 'made'))).toBe('700');
  });
});

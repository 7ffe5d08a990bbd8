// A kill in the middle of saving leaves the previous file intact (docs/reliability.md §22): the new content goes to a
// temporary file that is renamed over the target only once it is complete.
import { spawn } from 'node:child_process';
import { promises as fs, watch } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { writeFileAtomic } from '../../main/store/atomicFile.js';
import { temporaryFolder } from '../support/cli.js';
import { ROOT } from '../support/testbed.js';

it('a save killed half way leaves the previous run file as it was', async () => {
  const folder = await temporaryFolder();
  const target = path.join(folder, 'run.json');
  const previous = '{"relayTesterRun":1,"id":"previous"}\n';
  await fs.writeFile(target, previous);
  const module = path.join(ROOT, 'dist/main/store/atomicFile.js');
  // A save large enough to be caught in the middle: the child writes 512 MiB through writeFileAtomic.
  const child = spawn(process.execPath, [
    '--input-type=module',
    '-e',
    `
    const { writeFileAtomic } = await import(${JSON.stringify(module)});
    await writeFileAtomic(${JSON.stringify(target)}, Buffer.alloc(512 * 1024 * 1024, 120));
  `,
  ]);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  await new Promise<void>((resolve) => {
    const watcher = watch(folder, (_event, name) => {
      if (name?.endsWith('.tmp')) {
        watcher.close();
        child.kill('SIGKILL');
        resolve();
      }
    });
  });
  expect(await exited).toBe('SIGKILL');
  expect(await fs.readFile(target, 'utf8')).toBe(previous);
});

it('a finished save replaces the file and leaves no temporary file behind', async () => {
  const folder = await temporaryFolder();
  const target = path.join(folder, 'plan.json');
  await fs.writeFile(target, 'old');
  await writeFileAtomic(target, 'new');
  expect(await fs.readFile(target, 'utf8')).toBe('new');
  expect(await fs.readdir(folder)).toEqual(['plan.json']);
});

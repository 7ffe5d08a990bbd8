// Only the Electron glue may load electron at runtime: everything the CLI, the browser host and the tests load
// must work in plain Node, where requiring electron tries to download its binary.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../support/testbed.js';

async function files(folder: string): Promise<string[]> {
  const entries = await fs.readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && /\.c?js$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

it('no built module but the Electron entry (and the guarded preload) imports electron at runtime', async () => {
  const importers: string[] = [];
  for (const file of await files(path.join(ROOT, 'dist'))) {
    const text = await fs.readFile(file, 'utf8');
    if (/from ['"]electron['"]|require\(['"]electron['"]\)|import\(['"]electron['"]\)/.test(text))
      importers.push(path.relative(ROOT, file));
  }
  expect(importers.sort()).toEqual(['dist/main/electron/main.js', 'dist/main/electron/preload.cjs']);
  const preload = await fs.readFile(path.join(ROOT, 'dist/main/electron/preload.cjs'), 'utf8');
  expect(preload).toMatch(
    /if \(process\.versions\.electron\) \{\s*\/\/[^\n]*\n\s*const electron = require\('electron'\)/,
  );
});

it('npm start finds the built Electron entry, its preload and the renderer', async () => {
  const manifest = JSON.parse(await fs.readFile(path.join(ROOT, 'package.json'), 'utf8'));
  expect(manifest.main).toBe('dist/main/electron/main.js');
  expect(manifest.scripts.start).toMatch(/&& npm run build && electron \.$/);
  for (const file of [
    manifest.main,
    'dist/main/electron/preload.cjs',
    'dist/renderer/index.html',
    'dist/report/renderReport.js',
  ]) {
    await expect(fs.access(path.join(ROOT, file))).resolves.toBeUndefined();
  }
  const entry = await fs.readFile(path.join(ROOT, manifest.main), 'utf8');
  expect(entry).toContain("'dist', 'main', 'electron', 'preload.cjs'");
});

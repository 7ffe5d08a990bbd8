// `npm start` where Electron's binary cannot be downloaded (a locked-down PC, a proxy): one paragraph that says
// what failed, how to get the download through, and that the same app runs in the browser; no stack trace.
// Deterministic anywhere: Electron is told its binary lives in an empty folder (ELECTRON_OVERRIDE_DIST_PATH), its
// cache is a fresh folder and its mirror a loopback port nobody listens on. The desktop app itself never starts.
import { promises as fs } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { expect, it } from 'vitest';
import { runProcess, temporaryFolder } from '../support/cli.js';
import { ROOT } from '../support/testbed.js';

/** A loopback port that refuses connections: bound once to learn a free number, then closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The environment without any Electron download or proxy setting of the machine running the tests. */
function environmentWithoutDownloadSettings(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        !/^(npm_config_electron_|npm_package_config_electron_|electron_|ELECTRON_|https?_proxy$|no_proxy$)/i.test(name),
    ),
  );
}

it('npm start without a downloadable Electron explains itself in one paragraph and exits non-zero', async () => {
  const folder = await temporaryFolder();
  const cache = path.join(folder, 'electron-cache');
  const emptyDist = path.join(folder, 'electron-dist');
  await fs.mkdir(cache);
  await fs.mkdir(emptyDist);
  const port = await closedPort();

  const result = await runProcess('npm', ['start'], {
    cwd: ROOT,
    env: {
      ...environmentWithoutDownloadSettings(),
      ELECTRON_MIRROR: `http://127.0.0.1:${port}/`,
      electron_config_cache: cache,
      ELECTRON_OVERRIDE_DIST_PATH: emptyDist,
    },
  });

  expect(result.status).not.toBe(0);
  const lines = result.stderr.split('\n').filter((line) => line.trim());
  expect(lines).toEqual([
    expect.stringMatching(
      /^npm start: Electron \d+\.\d+\.\d+'s binary is not installed yet; downloading it once\.\.\.$/,
    ),
    expect.stringMatching(/^npm start: the desktop app cannot start: /),
  ]);
  const paragraph = lines[1]!;
  // What failed, against which address, and why.
  expect(paragraph).toMatch(/downloading Electron \d+\.\d+\.\d+ for \w+-\w+ failed: fetch failed \(.*ECONNREFUSED/);
  expect(paragraph).toContain(`http://127.0.0.1:${port}/ (ELECTRON_MIRROR)`);
  // How to get it through, and the same app without Electron.
  expect(paragraph).toContain('set ELECTRON_MIRROR to a mirror you can reach');
  expect(paragraph).toContain('HTTPS_PROXY');
  expect(paragraph).toMatch(/The same app runs in your browser without Electron: npx relay-tester ui$/);
  // No stack trace, and nothing after the check ran: no build, no Electron.
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).not.toContain('Error:');
  expect(result.stdout).not.toMatch(/^> relay-tester@\S+ build$/m);
  expect(await fs.readdir(emptyDist)).toEqual([]);
  await fs.rm(folder, { recursive: true, force: true });
});

it('npm start where the electron package itself is missing (npm install --omit=dev) says so, without a stack trace', async () => {
  // The check resolves electron from its own folder: a copy outside the checkout has no node_modules in reach.
  const folder = await temporaryFolder();
  await fs.mkdir(path.join(folder, 'scripts'));
  await fs.copyFile(path.join(ROOT, 'scripts/checkElectron.mjs'), path.join(folder, 'scripts/checkElectron.mjs'));
  const result = await runProcess(process.execPath, ['scripts/checkElectron.mjs'], {
    cwd: folder,
    env: environmentWithoutDownloadSettings(),
  });
  expect(result.status).toBe(1);
  expect(result.stderr.trim().split('\n')).toEqual([
    expect.stringMatching(
      /^npm start: the desktop app cannot start: the electron package is not installed \(run npm install in this folder; .*\)\. .*npx relay-tester ui$/,
    ),
  ]);
  await fs.rm(folder, { recursive: true, force: true });
});

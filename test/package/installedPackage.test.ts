// The package a helpdesk installs: `npm pack` of this checkout, installed with `npm install -g` into a fresh prefix
// with an empty npm cache and --offline (the tarball carries its runtime dependencies), then run from a folder
// outside the source tree with NODE_PATH unset and a fresh HOME: --version, demo, probe, run, report and one page
// of `ui` in Chromium (and the report as PDF, printed by the same Chromium).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess, startProcess, temporaryFolder, UI_ADDRESS, writeSecrets, type CliResult } from '../support/cli.js';
import { PASSWORDS, RELAY_SERVER, ROOT, TESTBED_PLAN, assertTestbedRunning } from '../support/testbed.js';

/** Runtime dependencies only: the desktop, build and test tools stay in the clone. */
const DEV_ONLY = [
  'electron',
  'electron-builder',
  'vite',
  'react',
  'react-dom',
  '@xterm/xterm',
  'playwright-core',
  'vitest',
  'typescript',
  'jsdom',
];

let folder: string;
let prefix: string;
let workFolder: string;
let cleanEnvironment: NodeJS.ProcessEnv;
let packed: { filename: string; version: string; files: { path: string }[]; bundled: string[] };
let installOutput: CliResult;
let version: string;

/** The installed command, run as a helpdesk would: from its own folder, nothing of the clone in reach. */
function relayTester(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runProcess(path.join(prefix, 'bin', 'relay-tester'), args, {
    cwd: workFolder,
    env: { ...cleanEnvironment, ...env },
  });
}

beforeAll(async () => {
  folder = await temporaryFolder();
  prefix = path.join(folder, 'prefix');
  workFolder = path.join(folder, 'work');
  const home = path.join(folder, 'home');
  await Promise.all([prefix, workFolder, home].map((each) => fs.mkdir(each)));
  // Only what a fresh login has: no NODE_PATH, no npm_* settings of the `npm test` running this, no ~/.npmrc.
  cleanEnvironment = { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8', NO_COLOR: '1' };

  // npm bundles the runtime dependencies from node_modules as installed; through a symlinked node_modules (one
  // shared between checkouts) it cannot see their dependencies and would pack an incomplete tree.
  if ((await fs.lstat(path.join(ROOT, 'node_modules'))).isSymbolicLink()) {
    throw new Error(
      'node_modules is a symbolic link: npm pack cannot bundle the runtime dependencies through it; run "npm ci" in this checkout',
    );
  }
  const manifestBefore = await fs.readFile(path.join(ROOT, 'package.json'), 'utf8');
  version = JSON.parse(manifestBefore).version;
  // dist/ was built by the global setup; the pack hooks leave the checkout's package.json as it was.
  const pack = await runProcess('npm', ['pack', '--json', '--pack-destination', folder], {
    cwd: ROOT,
    env: { ...process.env, NODE_PATH: '' },
  });
  expect(pack.status, pack.stderr).toBe(0);
  packed = JSON.parse(pack.stdout)[0];
  expect(await fs.readFile(path.join(ROOT, 'package.json'), 'utf8')).toBe(manifestBefore);

  installOutput = await runProcess(
    'npm',
    [
      'install',
      '--global',
      '--prefix',
      prefix,
      '--cache',
      path.join(folder, 'npm-cache'),
      '--offline',
      '--no-audit',
      '--no-fund',
      path.join(folder, packed.filename),
    ],
    { cwd: workFolder, env: cleanEnvironment },
  );
  expect(installOutput.status, installOutput.stderr).toBe(0);
}, 180_000);

afterAll(async () => {
  if (folder) await fs.rm(folder, { recursive: true, force: true });
});

describe('the package', () => {
  it('ships the built app, its docs and plans, and no tests, sources, source maps or test bed', () => {
    const files = packed.files.map((file) => file.path);
    for (const needed of [
      'bin/relay-tester.js',
      'dist/main/cli/main.js',
      'dist/shared/plan.js',
      'dist/renderer/index.html',
      'dist/report/renderReport.js',
      'plans/demo.json',
      'plans/example.json',
      'docs/plan-format.md',
      'README.md',
      'LICENSE',
      'package.json',
    ]) {
      expect(files).toContain(needed);
    }
    const ours = files.filter((file) => !file.startsWith('node_modules/'));
    const unwanted = ours.filter((file) =>
      /^(test|main|shared|renderer|build|scripts)\/|\.map$|\.tsx?$|^dist\/main\/bench\/|testbed/.test(file),
    );
    expect(unwanted).toEqual([]);
    expect(packed.bundled.sort()).toEqual(
      expect.arrayContaining(['ipaddr.js', 'selfsigned', 'smtp-server', 'ws', 'zod']),
    );
  });

  it('installs offline from the one file, with no engine or install-script warning', async () => {
    expect(installOutput.stderr).not.toMatch(/EBADENGINE|install-scripts|deprecated/i);
    const installed = path.join(prefix, 'lib', 'node_modules', 'relay-tester');
    const manifest = JSON.parse(await fs.readFile(path.join(installed, 'package.json'), 'utf8'));
    expect(manifest.version).toBe(version);
    // The clone's build hook stays in the clone (npm 11 would warn about it on every install).
    expect(manifest.scripts.prepare).toBeUndefined();
    const dependencies = await fs.readdir(path.join(installed, 'node_modules'));
    expect(dependencies.filter((name) => DEV_ONLY.includes(name) || name === '@xterm')).toEqual([]);
  });
});

describe('the installed relay-tester, run from any folder', () => {
  it('--version prints the package version', async () => {
    const result = await relayTester(['--version']);
    expect(result).toMatchObject({ status: 0, stdout: `${version}\n` });
  });

  it('demo runs the bundled demo plan against the built-in lab', async () => {
    const result = await relayTester(['demo']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^(\d+) of \1 cases decided: no open relay found$/m);
    expect(result.stdout).toMatch(/Matrix: verdict/);
  }, 60_000);

  it('probe, run and report work against the Postfix test bed, each stamped with the one version', async () => {
    assertTestbedRunning();
    const probe = await relayTester([
      'probe',
      '--host',
      RELAY_SERVER.host,
      '--port',
      String(RELAY_SERVER.port),
      '--source',
      '127.0.0.5',
      '--tls',
      'none',
      '--from',
      'helpdesk@corp.test',
      '--to',
      'someone@external.example',
    ]);
    expect(probe.stdout).toMatch(/Outcome: recipient-rejected at rcpt 554 5\.7\.1/);
    expect(probe.status).toBe(10);

    await fs.copyFile(TESTBED_PLAN, path.join(workFolder, 'plan.json'));
    const secrets = await writeSecrets(workFolder, PASSWORDS);
    const runResult = await relayTester([
      'run',
      'plan.json',
      '--secrets',
      secrets,
      '--out',
      'run.json',
      '--junit',
      'junit.xml',
    ]);
    expect(runResult.stdout).toMatch(/^(\d+) of \1 cases decided: no open relay found$/m);
    expect(runResult.status).toBe(0);
    const runFile = JSON.parse(await fs.readFile(path.join(workFolder, 'run.json'), 'utf8'));
    expect(runFile.toolVersion).toBe(version);
    const junit = await fs.readFile(path.join(workFolder, 'junit.xml'), 'utf8');
    expect(junit).toContain(`<property name="relay-tester.version" value="${version}"/>`);

    const report = await relayTester(['report', 'run.json', '--html', 'report.html', '--pdf', 'report.pdf']);
    expect(report.status, report.stderr).toBe(0);
    expect((await fs.readFile(path.join(workFolder, 'report.pdf'))).subarray(0, 5).toString()).toBe('%PDF-');
    const html = await fs.readFile(path.join(workFolder, 'report.html'), 'utf8');
    expect(html).toMatch(/(\d+) of \1 cases decided: no open relay found/);
    expect(html).toContain(`version ${version}`);
  }, 60_000);

  it('ui serves the app, which opens the demo plan in Chromium', async () => {
    const host = startProcess(
      path.join(prefix, 'bin', 'relay-tester'),
      ['ui', '--no-open', '--port', '0', '--dir', workFolder],
      {
        cwd: workFolder,
        env: cleanEnvironment,
      },
    );
    let browser: Browser | undefined;
    try {
      const url = await host.waitFor(UI_ADDRESS);
      browser = await launchChromium();
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      await page.goto(url);
      await expect
        .poll(() => page.getByTestId('document-name').innerText(), { timeout: 20_000 })
        .toContain('Relay Tester lab demo');
      expect(problems).toEqual([]);
    } finally {
      await browser?.close();
      await host.stop();
    }
  }, 60_000);
});

#!/usr/bin/env node
// `npm start`, step one: make sure Electron's binary is there before building and launching the desktop app.
// The electron package downloads its binary on first use; where that download is blocked (a locked-down PC, a
// proxy) Electron ends in a stack trace that says neither what failed nor that the same app runs in a browser.
// This check downloads it the same way (Electron's own @electron/get, its checksums, its cache), and on failure
// explains in one paragraph and exits 1.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const DEFAULT_MIRROR = 'https://github.com/electron/electron/releases/download/';

/** Electron's own names for the executable inside its dist folder (electron/install.js). */
function platformPath(platform) {
  if (platform === 'darwin' || platform === 'mas') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

/** Control characters out of text we did not write (an error from the network stack, an environment value). */
function visible(text) {
  return String(text)
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .trim();
}

/** "fetch failed (connect ECONNREFUSED 127.0.0.1:9)": the error and its causes, without a stack. */
function describeError(error) {
  const parts = [];
  for (let current = error, depth = 0; current && depth < 4; current = current.cause, depth += 1) {
    const message = current instanceof Error || typeof current === 'object' ? current.message : current;
    if (message && !parts.includes(message)) parts.push(message);
  }
  const [first, ...causes] = parts.map(visible);
  return causes.length ? `${first} (${causes.join('; ')})` : (first ?? 'unknown error');
}

/** Whether the running Node meets a ">= 22.12.0"-style engines range (the only form Electron uses). */
function nodeMeets(range) {
  const wanted = /^\s*>=\s*(\d+)\.(\d+)(?:\.(\d+))?\s*$/.exec(range ?? '');
  if (!wanted) return true;
  const have = process.versions.node.split('.').map(Number);
  const need = wanted.slice(1).map((part) => Number(part ?? 0));
  for (let index = 0; index < 3; index += 1) {
    if (have[index] !== need[index]) return have[index] > need[index];
  }
  return true;
}

function explain(what, electron) {
  const mirror = process.env.ELECTRON_MIRROR || process.env.npm_config_electron_mirror;
  const node =
    electron && !nodeMeets(electron.engines?.node)
      ? ` Note that Electron ${electron.version}'s tooling needs Node ${electron.engines.node}; this is Node ${process.versions.node}.`
      : '';
  const setting = !mirror ? '' : process.env.ELECTRON_MIRROR ? ' (ELECTRON_MIRROR)' : ' (npm config electron_mirror)';
  const paragraph =
    `npm start: the desktop app cannot start: ${what}. ` +
    `Electron downloads its binary (about 100 MB) on first use from ${visible(mirror || DEFAULT_MIRROR)}${setting}; ` +
    'where that address is blocked, set ELECTRON_MIRROR to a mirror you can ' +
    'reach (e.g. an internal one holding the same files), or behind a proxy set HTTPS_PROXY and ' +
    'ELECTRON_GET_USE_PROXY=true, then run npm start again.' +
    `${node} ` +
    'The same app runs in your browser without Electron: npx relay-tester ui';
  process.stderr.write(`${paragraph}\n`);
  process.exit(1);
}

let electronDirectory;
let electron;
try {
  electronDirectory = path.dirname(require.resolve('electron/package.json'));
  electron = JSON.parse(readFileSync(path.join(electronDirectory, 'package.json'), 'utf8'));
} catch {
  explain(
    'the electron package is not installed (run npm install in this folder; npm install --omit=dev leaves it out)',
  );
}

const platform = process.env.ELECTRON_INSTALL_PLATFORM || process.env.npm_config_platform || process.platform;
const arch = process.env.ELECTRON_INSTALL_ARCH || process.env.npm_config_arch || process.arch;

/** Electron's own test (install.js isInstalled): the version file matches and the executable exists. */
function installed() {
  try {
    if (readFileSync(path.join(electronDirectory, 'dist', 'version'), 'utf8').replace(/^v/, '') !== electron.version)
      return false;
    if (readFileSync(path.join(electronDirectory, 'path.txt'), 'utf8') !== platformPath(platform)) return false;
  } catch {
    return false;
  }
  const distribution = process.env.ELECTRON_OVERRIDE_DIST_PATH || path.join(electronDirectory, 'dist');
  return existsSync(path.join(distribution, platformPath(platform)));
}

if (installed()) process.exit(0);

process.stderr.write(`npm start: Electron ${electron.version}'s binary is not installed yet; downloading it once...\n`);
const electronRequire = createRequire(path.join(electronDirectory, 'package.json'));
let get;
try {
  get = await import(pathToFileURL(electronRequire.resolve('@electron/get')).href);
} catch {
  get = undefined; // an Electron without @electron/get: its own installer below downloads as well
}
if (get?.downloadArtifact) {
  try {
    const remoteChecksums =
      process.env.electron_use_remote_checksums || process.env.npm_config_electron_use_remote_checksums;
    await get.downloadArtifact({
      version: electron.version,
      artifactName: 'electron',
      platform,
      arch,
      force: process.env.force_no_cache === 'true',
      cacheRoot: process.env.electron_config_cache,
      checksums: remoteChecksums
        ? undefined
        : JSON.parse(readFileSync(path.join(electronDirectory, 'checksums.json'), 'utf8')),
    });
  } catch (error) {
    explain(
      `downloading Electron ${electron.version} for ${platform}-${arch} failed: ${describeError(error)}`,
      electron,
    );
  }
}
// Now in Electron's cache: its installer unpacks it into node_modules/electron/dist and writes path.txt.
const unpack = spawnSync(process.execPath, [path.join(electronDirectory, 'install.js')], {
  encoding: 'utf8',
  stdio: ['ignore', 'inherit', 'pipe'],
});
if (unpack.status !== 0 || !installed()) {
  const firstLine =
    (unpack.stderr || unpack.error?.message || '').split('\n').find((line) => line.trim()) ??
    `exit status ${unpack.status}`;
  explain(`installing Electron ${electron.version}'s binary failed: ${visible(firstLine)}`, electron);
}

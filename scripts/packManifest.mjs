#!/usr/bin/env node
// `npm pack` and `npm publish` hooks (prepack: `strip`, postpack: `restore`). The clone's `prepare` script builds
// dist/ on `npm install`; in the package it would only make npm 11 warn every installer about an install script
// that never runs (the tarball ships dist/ built). So the packed package.json goes without it, and the checkout's
// own package.json is put back right after. Only that one script changes: tests running beside a pack (the
// package test packs this checkout) may read the rest of package.json at any moment.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = path.join(root, 'package.json');
const saved = path.join(root, '.package.json.before-pack');

/** Files the package cannot run without; dist/ is ignored by git, so a fresh clone must build before packing. */
const BUILT = ['dist/main/cli/main.js', 'dist/renderer/index.html', 'dist/report/renderReport.js'];

function writeAtomically(file, text) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/** The package.json npm packs: the checkout's, without the clone's build hook. */
function packedText(text) {
  const packed = JSON.parse(text);
  delete packed.scripts.prepare;
  return `${JSON.stringify(packed, null, 2)}\n`;
}

// Optional native add-ons of bundled packages stay out of the tarball: npm would build them on the helpdesk PC at
// install, and a failed build of a bundled package fails the whole install (no compiler, or no network for Node's
// headers). ssh2 works without cpu-features (it only tunes its cipher order), and its own optional binding's build
// is allowed to fail. They are set aside in node_modules for the pack and put back after it.
const SET_ASIDE = ['cpu-features'];
const asideName = (name) => path.join(root, 'node_modules', `.${name}.set-aside-for-pack`);

function putBack() {
  for (const name of SET_ASIDE) {
    if (existsSync(asideName(name))) renameSync(asideName(name), path.join(root, 'node_modules', name));
  }
}

function setAside() {
  for (const name of SET_ASIDE) {
    const installed = path.join(root, 'node_modules', name);
    if (existsSync(installed)) renameSync(installed, asideName(name));
  }
}

function restore() {
  putBack();
  if (!existsSync(saved)) return;
  writeAtomically(manifest, readFileSync(saved, 'utf8'));
  rmSync(saved);
}

function strip() {
  // A pack interrupted before postpack left the stripped file and its original: put the original back, unless
  // package.json was edited since (then the edit wins and the stale copy goes).
  if (existsSync(saved)) {
    if (readFileSync(manifest, 'utf8') === packedText(readFileSync(saved, 'utf8'))) restore();
    else rmSync(saved);
  }
  const missing = BUILT.filter((file) => !existsSync(path.join(root, file)));
  if (missing.length) {
    process.stderr.write(
      `relay-tester pack: ${missing.join(', ')} missing; run "npm run build" first (or "npm run package").\n`,
    );
    process.exit(1);
  }
  putBack();
  const text = readFileSync(manifest, 'utf8');
  writeFileSync(saved, text);
  writeAtomically(manifest, packedText(text));
  setAside();
}

const command = process.argv[2];
if (command === 'strip') strip();
else if (command === 'restore') restore();
else {
  process.stderr.write('usage: packManifest.mjs strip|restore\n');
  process.exit(64);
}

// The packaged app's fuses: the afterPack hook run on a stand-in binary that carries Electron's fuse wire (the
// real binary cannot be downloaded here), read back with @electron/fuses itself.
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import { expect, it } from 'vitest';
import { temporaryFolder } from '../support/cli.js';
import { ROOT } from '../support/testbed.js';

const require = createRequire(import.meta.url);
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSE_COUNT = 8;

it('afterPack disables run-as-node, NODE_OPTIONS and --inspect and enforces asar integrity', async () => {
  const folder = await temporaryFolder();
  const executable = path.join(folder, 'relay-tester');
  // Every fuse starts in Electron's default state ('1' enabled, '0' disabled) as in a real binary.
  const defaults = '11110000';
  await fs.writeFile(
    executable,
    Buffer.concat([
      Buffer.from('ELF-ish prefix'),
      Buffer.from(SENTINEL),
      Buffer.from([Number(FuseVersion.V1), FUSE_COUNT]),
      Buffer.from(defaults),
      Buffer.from('suffix'),
    ]),
  );
  const hook = require(path.join(ROOT, 'build/afterPack.cjs')) as { default: (context: unknown) => Promise<void> };
  await hook.default({
    appOutDir: folder,
    electronPlatformName: 'linux',
    packager: { appInfo: { productFilename: 'Relay Tester' }, executableName: 'relay-tester' },
  });
  const wire = await getCurrentFuseWire(executable);
  const state = (option: FuseV1Options) => wire[option];
  const DISABLE = 48; // '0'
  const ENABLE = 49; // '1'
  expect(state(FuseV1Options.RunAsNode)).toBe(DISABLE);
  expect(state(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe(DISABLE);
  expect(state(FuseV1Options.EnableNodeCliInspectArguments)).toBe(DISABLE);
  expect(state(FuseV1Options.EnableCookieEncryption)).toBe(ENABLE);
  expect(state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(ENABLE);
  expect(state(FuseV1Options.OnlyLoadAppFromAsar)).toBe(ENABLE);
});

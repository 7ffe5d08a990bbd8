// The tool's version, from one place: `relay-tester --version`, every run file (toolVersion) with its reports,
// and the app's service info all read it here. Read once from package.json (two levels up from main/ in source and
// from dist/main/), so `npm version` is the only thing that changes it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The project root: the folder holding relay-tester's package.json. */
export function projectRoot(): string {
  let folder = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth += 1) {
    const candidate = path.join(folder, 'package.json');
    if (
      existsSync(candidate) &&
      (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: unknown }).name === 'relay-tester'
    )
      return folder;
    folder = path.dirname(folder);
  }
  throw new Error('relay-tester package.json not found');
}

export function toolVersion(): string {
  cached ??= (JSON.parse(readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { version: string })
    .version;
  return cached;
}

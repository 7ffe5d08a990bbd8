// Electronegativity (Doyensec's Electron security scanner) over the built desktop glue and page. It never fails
// by itself; its findings are parsed here, kept as an artifact, and only reviewed findings are allowed.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { temporaryFolder } from '../support/cli.js';
import { ROOT } from '../support/testbed.js';

const run = promisify(execFile);

/** Findings reviewed and accepted, with why. */
const REVIEWED: Record<string, string> = {
  PRELOAD_JS_CHECK: 'the preload exposes a frozen, named API of the validated IPC contract and nothing else',
  // Scripts stay 'self' only; styles need 'unsafe-inline' because xterm's DOM renderer creates <style> elements
  // and has no nonce option (xtermjs/xterm.js#4445). Inline styles cannot run code.
  CSP_GLOBAL_CHECK: "style-src 'unsafe-inline' for xterm.js; script-src is 'self' only",
};

interface Finding {
  issue: string;
  file: string;
  line: number;
}

/**
 * The findings of its SARIF report. (Its CSV writer starts two unsynchronised writes, header and rows, so under load
 * the header can overwrite the first row: SARIF is written in one go.)
 */
function parseSarif(text: string): Finding[] {
  const sarif = JSON.parse(text) as {
    runs: {
      results: {
        ruleId: string;
        locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
      }[];
    }[];
  };
  return sarif.runs.flatMap((run) =>
    run.results.map((result) => {
      const where = result.locations[0]!.physicalLocation;
      return { issue: result.ruleId, file: where.artifactLocation.uri, line: where.region.startLine };
    }),
  );
}

it('electronegativity finds nothing but reviewed items in the desktop app', async () => {
  const scanned = await temporaryFolder();
  for (const folder of ['dist/main/electron', 'dist/renderer']) {
    await fs.cp(path.join(ROOT, folder), path.join(scanned, folder), {
      recursive: true,
      filter: (source) => !source.endsWith('.map'),
    });
  }
  const output = path.join(scanned, 'findings.sarif');
  const binary = path.join(ROOT, 'node_modules/.bin/electronegativity');
  const electronVersion = JSON.parse(
    await fs.readFile(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8'),
  ).version;
  await run(binary, ['-i', scanned, '-o', output, '-e', electronVersion], { timeout: 90_000 });
  const findings = parseSarif(await fs.readFile(output, 'utf8'));
  await fs.mkdir(path.join(ROOT, 'test-artifacts'), { recursive: true });
  await fs.copyFile(output, path.join(ROOT, 'test-artifacts/electronegativity.sarif'));
  const unreviewed = findings.filter((finding) => !(finding.issue in REVIEWED));
  // The reviewed CSP finding must be about styles only: a weakened script-src would be a new finding.
  for (const finding of findings.filter((candidate) => candidate.issue === 'CSP_GLOBAL_CHECK')) {
    const page = await fs.readFile(finding.file.replace(/^file:\/\//, ''), 'utf8');
    const policy = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(page)?.[1] ?? '';
    expect(policy).toMatch(/script-src 'self';/);
    expect(policy).not.toMatch(/script-src[^;]*(unsafe|\*|data:)/);
  }
  expect(unreviewed.map((finding) => `${finding.issue} ${finding.file}:${finding.line}`)).toEqual([]);
}, 120_000);

// The address-trick family in the faces a reviewer reads without the app: the HTML report (its own block, the
// needs-review verdict and colour), JUnit (a failure of type needs-review) and the saved run file, which
// `relay-tester report` validates before reading (shared/runSchema.ts) and `run` replays.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { labPasswords, loadDemoPlan, pointPlanAtLab } from '../../main/lab/demoPlan.js';
import { startLab, type RunningLab } from '../../main/lab/labServer.js';
import { labPreset } from '../../main/lab/presets.js';
import { junitXml } from '../../main/report/junit.js';
import { runPlan } from '../../main/runner.js';
import { parseRunText } from '../../shared/runSchema.js';
import type { RunRecord } from '../../shared/run.js';
import { relayTester, temporaryFolder } from '../support/cli.js';

let lab: RunningLab;
let folder: string;
let run: RunRecord;
let runFile: string;

beforeAll(async () => {
  lab = await startLab(labPreset('trick-local', { portBase: 0, aliases: true }));
  const demo = pointPlanAtLab(await loadDemoPlan(), lab);
  run = await runPlan(
    {
      ...demo,
      sources: ['127.0.0.5'],
      servers: demo.servers.map((server) => ({
        ...server,
        tls: 'none',
        tricks: server.name === 'SMTP Relay Virtual Server',
      })),
    },
    { passwords: labPasswords(lab.config) },
  );
  folder = await temporaryFolder();
  runFile = path.join(folder, 'run.json');
  await fs.writeFile(runFile, JSON.stringify(run));
});
afterAll(async () => {
  await lab?.stop();
  await fs.rm(folder, { recursive: true, force: true });
});

it('the run file with needs-review verdicts and trick cases loads again', async () => {
  const loaded = parseRunText(await fs.readFile(runFile, 'utf8'));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  expect(loaded.run.summary['needs-review']).toBe(6);
  expect(
    loaded.run.cases.find((result) => result.case.id === 'smtp-relay-virtual-server/trick/percent-hack')?.case.trick
      ?.meaning,
  ).toBe('ambiguous');
});

it('the HTML report shows the tricks as a block of their own, with the needs-review verdict', async () => {
  const html = path.join(folder, 'report.html');
  const result = await relayTester(['report', runFile, '--html', html]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  const text = await fs.readFile(html, 'utf8');
  expect(text).toContain('no open relay found; 6 address tricks accepted, to review');
  expect(text).toMatch(/class="verdict-line verdict-unsure"/);
  const block = text.slice(text.indexOf('id="address-tricks"'));
  expect(text.indexOf('id="address-tricks"')).toBeGreaterThan(0);
  expect(block).toContain('<h2>Address tricks</h2>');
  expect(block).toContain('status-needs-review');
  expect(block).toContain('percent hack via SMTP Relay Virtual Server');
  // The main matrix holds no trick row.
  const main = text.slice(text.indexOf('<h2>Matrix</h2>'), text.indexOf('id="address-tricks"'));
  expect(main).not.toContain('/trick/');
  expect(main).toContain('row-smtp-relay-virtual-server/from-127.0.0.5/to-external');
});

it('JUnit reports an accepted trick as a failure of type needs-review, and counts it', () => {
  const xml = junitXml(run);
  expect(XMLValidator.validate(xml)).toBe(true);
  const parsed = new XMLParser({ ignoreAttributes: false }).parse(xml);
  const suites = parsed.testsuites.testsuite as {
    '@_name': string;
    '@_failures': string;
    testcase: { '@_classname': string; failure?: { '@_type': string } }[];
  }[];
  const relay = suites.find((suite) => suite['@_name'] === 'SMTP Relay Virtual Server')!;
  expect(relay['@_failures']).toBe('6');
  const percent = relay.testcase.find(
    (testcase) => testcase['@_classname'] === 'smtp-relay-virtual-server/trick/percent-hack',
  )!;
  expect(percent.failure?.['@_type']).toBe('needs-review');
  expect(xml).toContain('<property name="relay-tester.exit-status" value="5"/>');
  expect(xml).toContain('<property name="relay-tester.needs-review" value="6"/>');
});

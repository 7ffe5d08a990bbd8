// Issue 10, findings 3, 5 and 6: a hostile SMTP server (escape sequences in its greeting, replies, a malformed line
// that ends the session, and a certificate whose subject carries OSC 52) and a crafted run file. Every path their
// text takes out of Relay Tester is checked for raw control characters: probe text and --json, run text and
// --json, the run file, JUnit, the HTML and PDF reports, compare text and --json, replay, and the error messages.
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRunFile } from '../../main/store/runFile.js';
import type { RunRecord } from '../../shared/run.js';
import { relayTester, temporaryFolder } from '../support/cli.js';
import { writeHostilePlan } from '../support/plans.js';
import { hostileCertificate, hostileServer, OSC52_VISIBLE } from './hostileServer.js';
import type { FakeServer } from '../engine/fakeServer.js';

/** Any control character but the line feed (and form feed, which pdftotext puts between pages). */
const RAW = /[\x00-\x09\x0b\x0d-\x1f\x7f-\x9f\u202e]/;

function expectInert(text: string, where: string): void {
  const match = RAW.exec(text);
  if (match) {
    const at = match.index;
    throw new Error(
      `${where} holds a raw control character U+${match[0].codePointAt(0)!.toString(16).padStart(4, '0')} near ${JSON.stringify(text.slice(Math.max(0, at - 40), at + 40))}`,
    );
  }
}

/** Every string in a parsed JSON value, keys included. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => [key, ...strings(item)]);
  return [];
}

let folder: string;
let server: FakeServer;
let removeCertificate: () => void;
let planFile: string;

beforeAll(async () => {
  folder = await temporaryFolder();
  const certificate = hostileCertificate();
  removeCertificate = () => certificate.remove();
  server = await hostileServer(certificate);
  planFile = await writeHostilePlan(path.join(folder, 'hostile.json'), {
    port: server.port,
    tls: 'starttls',
    allowInvalidCertificate: true,
    helo: 'client.test',
  });
});

afterAll(async () => {
  await server?.close();
  removeCertificate?.();
  if (folder) await fs.rm(folder, { recursive: true, force: true });
});

const probeArgs = () => [
  'probe',
  '--host',
  '127.0.0.1',
  '--port',
  String(server.port),
  '--tls',
  'starttls',
  '--allow-invalid-cert',
  '--helo',
  'client.test',
  '--from',
  'helpdesk@corp.test',
  '--to',
  'x@external.example',
];

describe('a hostile server cannot reach the terminal through the CLI', () => {
  it('probe prints the greeting, replies, certificate and close reason made visible', async () => {
    const run = await relayTester(probeArgs());
    expectInert(run.stdout + run.stderr, 'probe output');
    expect(run.stdout).toContain(`S: 220 hostile.test ${OSC52_VISIBLE}`);
    expect(run.stdout).toContain('certificate CN=evil\\e]52;c;ZXZpbA==\\x07\\e[2J');
    expect(run.stdout).toContain('S: 550 5.7.1 \\e]0;owned\\x07 no\\rS: 250 2.1.5 OK');
    expect(run.stdout).toContain('S: 250-hostile.test \\x9b2J');
    // The malformed line that ended the session is quoted visibly in the close reason, not replayed.
    expect(run.stdout).toMatch(
      /\*\* closed: not an SMTP reply line: "\\e\[2J\\e\[3J\\e\[HS: 550 5\.7\.1 relay denied"/,
    );
  });

  it('probe --json escapes C1 and DEL too, and still parses to the same data', async () => {
    const run = await relayTester([...probeArgs(), '--json']);
    expectInert(run.stdout, 'probe --json');
    expect(run.stdout).toContain('\\u009b');
    const parsed = JSON.parse(run.stdout) as { session: { exchanges: { reply: { lines: string[] } }[] } };
    // The session's exchanges keep the reply as received (scrubbed of secrets): the data, not a picture of it.
    expect(parsed.session.exchanges.flatMap((exchange) => exchange.reply.lines)).toContain('hostile.test \u009b2J');
  });

  it('run, its --json, the run file and JUnit carry no raw control character', async () => {
    const out = path.join(folder, 'run.json');
    const junit = path.join(folder, 'junit.xml');
    const run = await relayTester(['run', planFile, '--out', out, '--junit', junit]);
    expect(run.status, run.stdout).toBe(0);
    expectInert(run.stdout + run.stderr, 'run output');
    expect(run.stdout).toContain(`\\e]0;owned\\x07 no\\rS: 250 2.1.5 OK`);
    const saved = JSON.parse(await fs.readFile(out, 'utf8')) as RunRecord;
    for (const text of strings(saved)) expectInert(text, 'a string of the run file');
    expect(strings(saved).some((text) => text.includes(OSC52_VISIBLE))).toBe(true);
    expect(saved.cases.find((result) => result.tls)?.tls?.subject).toContain('CN=evil\\e]52;c;ZXZpbA==\\x07');
    const xml = await fs.readFile(junit, 'utf8');
    expectInert(xml, 'JUnit XML');
    expect(xml).toContain('\\e]52;c;ZXZpbA==\\x07');
    const json = await relayTester(['run', planFile, '--out', path.join(folder, 'run-2.json'), '--json']);
    expectInert(json.stdout + json.stderr, 'run --json');
  });

  it('the HTML and PDF reports show the hostile text made visible', async () => {
    const out = path.join(folder, 'run.json');
    const html = path.join(folder, 'report.html');
    const pdf = path.join(folder, 'report.pdf');
    const report = await relayTester(['report', out, '--html', html, '--pdf', pdf]);
    expect(report.stderr).toBe('');
    expectInert(report.stdout, 'report output');
    const page = await fs.readFile(html, 'utf8');
    expectInert(page, 'HTML report');
    expect(page).toContain('\\e]52;c;ZXZpbA==\\x07');
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expectInert(text, 'PDF text');
    expect(text).toContain('ZXZpbA==');
  });
});

/** A run file as someone else could craft it: raw escape sequences in names, titles, reasons and the transcript. */
async function craftedRun(base: RunRecord): Promise<string> {
  const run = structuredClone(base);
  const first = run.cases[0]!;
  first.verdict = 'fail';
  first.case.title = 'forged \x1b]0;title\x07 case \u009b2J';
  first.reason = 'PASS\r\x1b[2K\x1b]52;c;ZXZpbA==\x07';
  run.planName = 'Plan \x1b]0;owned\x07';
  run.hostName = 'host\u202eevil';
  first.transcript.push({ type: 'server', t: 99, text: '\x1b[2J\x1b[HS: 550 5.7.1 relay denied', tls: false });
  first.transcript.push({ type: 'close', t: 100, reason: '\x1bc' });
  const file = path.join(folder, 'crafted.json');
  await fs.writeFile(file, JSON.stringify(run));
  return file;
}

describe('a crafted run file is validated and made visible wherever it is loaded', () => {
  it('compare (text and --json) and report --compare show its text made visible', async () => {
    const out = path.join(folder, 'run.json');
    const crafted = await craftedRun(JSON.parse(await fs.readFile(out, 'utf8')));
    const text = await relayTester(['compare', out, crafted]);
    expectInert(text.stdout + text.stderr, 'compare output');
    expect(text.stdout).toContain('forged \\e]0;title\\x07 case \\x9b2J');
    expect(text.stdout).toContain('PASS\\r\\e[2K\\e]52;c;ZXZpbA==\\x07');
    const json = await relayTester(['compare', out, crafted, '--json']);
    expectInert(json.stdout, 'compare --json');
    const html = path.join(folder, 'compare.html');
    await relayTester(['report', crafted, '--compare', out, '--html', html]);
    const page = await fs.readFile(html, 'utf8');
    expectInert(page, 'compare report');
    expect(page).toContain('forged \\e]0;title\\x07 case \\x9b2J');
    const single = path.join(folder, 'crafted.html');
    await relayTester(['report', crafted, '--html', single]);
    const report = await fs.readFile(single, 'utf8');
    expectInert(report, 'report of a crafted run');
    expect(report).toContain('\\e[2J\\e[HS: 550 5.7.1 relay denied');
    expect(report).toContain('host\\u{202e}evil');
  });

  it('loading it makes every transcript text visible, so it cannot clear or rewrite the transcript pane', async () => {
    const out = path.join(folder, 'run.json');
    const crafted = await craftedRun(JSON.parse(await fs.readFile(out, 'utf8')));
    const run = await readRunFile(crafted);
    for (const text of strings(run)) expectInert(text, 'the loaded run');
    const events = run.cases[0]!.transcript;
    expect(events.at(-2)).toMatchObject({ type: 'server', text: '\\e[2J\\e[HS: 550 5.7.1 relay denied' });
    expect(events.at(-1)).toMatchObject({ type: 'close', reason: '\\ec' });
  });

  it('a run file that is not a run record is refused with the path of what is wrong', async () => {
    const out = path.join(folder, 'run.json');
    const base = JSON.parse(await fs.readFile(out, 'utf8')) as RunRecord;
    const broken = structuredClone(base) as unknown as { cases: { verdict: string; transcript: unknown[] }[] };
    broken.cases[0]!.verdict = 'owned';
    broken.cases[0]!.transcript.push({ type: 'script', t: 1, text: 'x' });
    const file = path.join(folder, 'broken.json');
    await fs.writeFile(file, JSON.stringify(broken));
    for (const args of [
      ['report', file, '--html', path.join(folder, 'x.html')],
      ['compare', out, file],
    ]) {
      const result = await relayTester(args);
      expect(result.status).toBe(64);
      expect(result.stderr).toContain('is not a valid Relay Tester run file');
      expect(result.stderr).toContain('$.cases[0].verdict');
      expect(result.stderr).toMatch(/\$\.cases\[0\]\.transcript\[\d+\]\.type/);
    }
    const replay = await relayTester(['run', file]);
    expect(replay.status).toBe(3);
    expect(replay.stderr).toContain('$.cases[0].verdict');
  });

  it('replaying a run file whose plan holds escape sequences refuses it, naming the character visibly', async () => {
    const out = path.join(folder, 'run.json');
    const base = JSON.parse(await fs.readFile(out, 'utf8')) as RunRecord;
    base.plan.name = 'evil \x1b]52;c;ZXZpbA==\x07';
    const file = path.join(folder, 'evil-plan-run.json');
    await fs.writeFile(file, JSON.stringify(base));
    const replay = await relayTester(['run', file]);
    expect(replay.status).toBe(3);
    expectInert(replay.stdout + replay.stderr, 'replay error');
    expect(replay.stderr).toContain('$.plan.name: This text contains the control or invisible character \\e');
  });

  it('a plan file with escape sequences is refused before anything runs, and the error is inert', async () => {
    const file = path.join(folder, 'evil-plan.json');
    const plan = JSON.parse(await fs.readFile(planFile, 'utf8'));
    // Before this check, the duplicate-name problem quoted the name raw.
    plan.servers[0].name = 'x\x1b]0;t\x07\u009b2J';
    plan.servers.push({ ...plan.servers[0] });
    await fs.writeFile(file, JSON.stringify(plan));
    const result = await relayTester(['run', file]);
    expect(result.status).toBe(3);
    expectInert(result.stdout + result.stderr, 'plan error');
    expect(result.stderr).toContain('$.servers[0].name: This text contains the control or invisible character \\e');
    const unparsable = path.join(folder, 'unparsable.json');
    // Node's parse error quotes a snippet of the file around the unexpected token.
    await fs.writeFile(unparsable, '{"a": x\x1b]52;c;ZXZpbA==\x07\u009b2J}');
    const parse = await relayTester(['run', unparsable]);
    expect(parse.status).toBe(3);
    expectInert(parse.stdout + parse.stderr, 'JSON parse error');
    expect(parse.stderr).toContain('Not valid JSON: Unexpected token');
    expect(parse.stderr).toContain('x\\e]52;c;ZX');
  });
});

// JUnit XML of a run, for CI dashboards: one testsuite per server, one testcase per case; a failing case carries
// its reason, and every case its redacted transcript in system-out. The run's headline and coverage go in each
// suite's properties, so a dashboard that shows only green/red still sees "Incomplete".
import { coverage, headline, runExitStatus } from '../../shared/coverage.js';
import type { CaseResult, RunRecord } from '../../shared/run.js';
import { ensureVisibleLines } from '../../shared/text.js';
import { formatEvent } from '../../shared/transcriptFormat.js';

/**
 * Escapes text for XML 1.0. Control characters are made visible first: XML 1.0 may hold C1 controls, and a CI
 * page or a terminal showing the file would obey them. What XML cannot hold at all is dropped.
 */
export function xmlEscape(text: string): string {
  return ensureVisibleLines(text)
    .replace(/[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function transcriptText(result: CaseResult): string {
  return result.transcript.map((event) => formatEvent(event, { colour: false, timestamps: true })).join('\n');
}

function testcase(result: CaseResult): string {
  const time = ((result.durationMs ?? 0) / 1000).toFixed(3);
  const attributes = `name="${xmlEscape(result.case.title)}" classname="${xmlEscape(result.case.id)}" time="${time}"`;
  const reason = xmlEscape(result.reason);
  let status = '';
  if (result.verdict === 'fail') status = `<failure message="${reason}" type="fail">${reason}</failure>`;
  // An accepted address trick is no pass: a failure of its own type, so a dashboard shows it and a reader can tell
  // it from a proven relay.
  else if (result.verdict === 'needs-review')
    status = `<failure message="needs review: ${reason}" type="needs-review">${reason}</failure>`;
  else if (result.verdict === 'error' || result.verdict === 'inconclusive') {
    status = `<error message="${reason}" type="${result.verdict}">${reason}</error>`;
  } else if (result.verdict === 'skipped') status = `<skipped message="${reason}"/>`;
  else if (result.verdict === 'cancelled') status = `<skipped message="cancelled: ${reason}"/>`;
  const out = [`verdict: ${result.verdict}`, `reason: ${result.reason}`];
  if (result.warning) out.push(`warning: ${result.warning}`);
  if (result.outcome) out.push(`outcome: ${result.outcome.outcome} at ${result.outcome.stage}`);
  if (result.local) out.push(`source address: ${result.local}`);
  out.push('', transcriptText(result));
  return `    <testcase ${attributes}>${status}<system-out>${xmlEscape(out.join('\n'))}</system-out></testcase>`;
}

function counts(results: readonly CaseResult[]) {
  const count = (...verdicts: string[]) => results.filter((result) => verdicts.includes(result.verdict)).length;
  return `tests="${results.length}" failures="${count('fail', 'needs-review')}" errors="${count('error', 'inconclusive')}" skipped="${count('skipped', 'cancelled')}"`;
}

function property(name: string, value: string | number): string {
  return `      <property name="${name}" value="${xmlEscape(String(value))}"/>`;
}

/** The run's headline and coverage, the same in every suite; and the suite's own (one server's cases). */
function properties(run: RunRecord, results: readonly CaseResult[]): string[] {
  const whole = coverage(run);
  // A server's suite of a partial run stays partial: its cases are some of the plan's.
  const own = {
    cases: [...results],
    cancelled: run.cancelled,
    ...(run.selection ? { selection: { caseIds: results.map((result) => result.case.id), of: run.selection.of } } : {}),
  };
  return [
    '    <properties>',
    property('relay-tester.headline', headline(run)),
    // The version that ran the cases, as in the run file.
    property('relay-tester.version', run.toolVersion),
    property('relay-tester.cases', whole.total),
    property('relay-tester.decided', whole.decided),
    property('relay-tester.needs-review', whole.needsReview),
    property('relay-tester.complete', String(whole.complete)),
    property('relay-tester.cancelled', String(run.cancelled)),
    ...(run.selection
      ? [property('relay-tester.partial', `${run.selection.caseIds.length} of ${run.selection.of}`)]
      : []),
    property('relay-tester.exit-status', runExitStatus(run)),
    property('relay-tester.server-headline', headline(own)),
    '    </properties>',
  ];
}

export function junitXml(run: RunRecord): string {
  const servers = [...new Set(run.cases.map((result) => result.case.server))];
  const suites = servers.map((server) => {
    const results = run.cases.filter((result) => result.case.server === server);
    const time = results.reduce((sum, result) => sum + (result.durationMs ?? 0), 0) / 1000;
    return [
      `  <testsuite name="${xmlEscape(server)}" ${counts(results)} time="${time.toFixed(3)}" timestamp="${run.startedAt.slice(0, 19)}" hostname="${xmlEscape(run.hostName)}">`,
      ...properties(run, results),
      ...results.map(testcase),
      '  </testsuite>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlEscape(`Relay Tester: ${run.planName}`)}" ${counts(run.cases)}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

// The before/after report: which cases changed between two runs of a plan, regressions first.
import { notRunText, type Comparison } from '../../shared/compare.js';
import { comparisonSummary } from '../../shared/compareText.js';
import { REPORT_CSP, type ReportOptions } from '../../shared/report.js';
import { headline } from '../../shared/coverage.js';
import type { RunRecord } from '../../shared/run.js';
import { ChangeTable } from '../history/ChangeTable.js';
import { verdictTone } from './RunReport.js';

function RunColumn({ label, run }: { label: string; run: RunRecord }) {
  return (
    <div>
      <h3>{label}</h3>
      <dl className="facts">
        <dt>Started</dt>
        <dd>{run.startedAt}</dd>
        <dt>Host</dt>
        <dd>{run.hostName}</dd>
        <dt>Plan hash</dt>
        <dd>
          <code>{run.planHash}</code>
        </dd>
        <dt>Verdict</dt>
        <dd>{headline(run)}</dd>
      </dl>
    </div>
  );
}

export function CompareReport(props: {
  before: RunRecord;
  after: RunRecord;
  comparison: Comparison;
  options: ReportOptions;
  styles: string;
}) {
  const { before, after, comparison, options, styles } = props;
  const regressions = comparison.changes.filter((change) => change.kind === 'regressed').length;
  const tone = regressions > 0 ? 'fail' : verdictTone(after);
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta httpEquiv="Content-Security-Policy" content={REPORT_CSP} />
        <title>{`Relay Tester comparison: ${after.planName}`}</title>
        <style>{styles}</style>
      </head>
      <body>
        <main>
          <h1>Relay Tester comparison: {after.planName}</h1>
          <p className="muted">Generated {options.generatedAt}.</p>
          <p className={`verdict-line verdict-${tone}`} id="verdict">
            {comparisonSummary(comparison)}
          </p>
          {notRunText(comparison) ? <p className="muted">{notRunText(comparison)}.</p> : null}
          {comparison.samePlan ? null : (
            <p className="warning">The two runs are of different plans (their plan hashes differ).</p>
          )}
          <RunColumn label="Before" run={before} />
          <RunColumn label="After" run={after} />
          <h2>Changed cases</h2>
          {comparison.changes.length === 0 ? (
            <p>Every case behaved the same in both runs.</p>
          ) : (
            <ChangeTable changes={comparison.changes} />
          )}
        </main>
      </body>
    </html>
  );
}

// The report of one run, for a reviewer without the app: the verdict first, then what was tested, from where, as
// whom, what the server answered. Built from the app's own pieces (StatusMark, headline, formatEvent); React
// escapes every server text, and the page carries no script at all.
import { headline, headlineTone } from '../../shared/coverage.js';
import type { CaseResult, RunRecord } from '../../shared/run.js';
import { REPORT_CSP, type ReportOptions } from '../../shared/report.js';
import { describeTls, formatEvent } from '../../shared/transcriptFormat.js';
import { VERDICTS } from '../../shared/verdict.js';
import { serverPolicyWords } from '../../shared/policyWords.js';
import { StatusMark } from '../matrix/StatusMark.js';

export function verdictTone(run: Pick<RunRecord, 'cases' | 'cancelled'>): 'good' | 'fail' | 'unsure' {
  return headlineTone(run);
}

function transcriptText(result: CaseResult): string {
  return result.transcript.map((event) => formatEvent(event, { colour: false, timestamps: true })).join('\n');
}

function Facts({ run }: { run: RunRecord }) {
  return (
    <dl className="facts">
      <dt>Plan</dt>
      <dd>{run.planName}</dd>
      <dt>Plan hash (SHA-256)</dt>
      <dd>
        <code>{run.planHash}</code>
      </dd>
      <dt>Started</dt>
      <dd>{run.startedAt}</dd>
      <dt>Finished</dt>
      <dd>
        {run.finishedAt}
        {run.cancelled ? ' (cancelled: partial results)' : ''}
      </dd>
      <dt>Run from host</dt>
      <dd>{run.hostName}</dd>
      <dt>Relay Tester</dt>
      <dd>version {run.toolVersion}</dd>
      <dt>Run id</dt>
      <dd>
        <code>{run.id}</code>
      </dd>
    </dl>
  );
}

function Policy({ run }: { run: RunRecord }) {
  const { plan } = run;
  return (
    <>
      <dl className="facts">
        <dt>Local domains</dt>
        <dd>{plan.domains.local.join(', ')}</dd>
        <dt>External domain</dt>
        <dd>{plan.domains.external}</dd>
        <dt>Sender (unauthenticated)</dt>
        <dd>{plan.sender}</dd>
        <dt>Accounts</dt>
        <dd>{plan.accounts.join(', ') || 'none'}</dd>
        <dt>Sources</dt>
        <dd>{plan.sources.join(', ')}</dd>
      </dl>
      <table>
        <thead>
          <tr>
            <th>Server</th>
            <th>Address</th>
            <th>TLS</th>
            <th>Banner</th>
            <th>Relay restrictions (computers)</th>
            <th>May relay after authenticating</th>
            <th>Connection control</th>
          </tr>
        </thead>
        <tbody>
          {plan.servers.map((server) => (
            <tr key={server.name}>
              <td>{server.name}</td>
              <td>
                {server.host}:{server.port}
              </td>
              <td>
                {server.tls}
                {server.certificateSha256
                  ? ' (pinned certificate)'
                  : server.allowInvalidCertificate
                    ? ' (any certificate accepted)'
                    : ''}
              </td>
              <td>{server.banner ?? '—'}</td>
              <PolicyCells server={server} />
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** A server's relay and connection settings in Exchange System Manager's words. */
function PolicyCells({ server }: { server: RunRecord['plan']['servers'][number] }) {
  const words = serverPolicyWords(server);
  return (
    <>
      <td>{words.relayComputers}</td>
      <td>{words.relayAccounts}</td>
      <td>{words.connection}</td>
    </>
  );
}

function Matrix({ results }: { results: readonly CaseResult[] }) {
  return (
    <table>
      <thead>
        <tr>
          <th>Verdict</th>
          <th>Case</th>
          <th>Source (local address or vantage point)</th>
          <th>Account</th>
          <th>Expected</th>
          <th>Server decided</th>
          <th>Reason</th>
        </tr>
      </thead>
      <tbody>
        {results.map((result) => (
          <tr key={result.case.id} id={`row-${result.case.id}`}>
            <td>
              <StatusMark status={result.verdict} />
            </td>
            <td>{result.case.title}</td>
            <td>
              {result.case.source ?? '—'}
              {result.local ? ` (${result.local})` : ''}
              {result.vantage ? ` (via ${result.vantage})` : ''}
            </td>
            <td>
              {result.case.account ?? '—'}
              {result.case.wrongPassword ? ' (wrong password)' : ''}
            </td>
            <td>{result.case.expect}</td>
            <td>
              {result.outcome
                ? `${result.outcome.outcome}${result.outcome.code ? ` (${result.outcome.code}${result.outcome.enhancedCode ? ` ${result.outcome.enhancedCode}` : ''})` : ''}`
                : '—'}
            </td>
            <td>
              {result.reason}
              {result.warning ? <div className="warning">Warning: {result.warning}</div> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CaseDetails({ result, expanded }: { result: CaseResult; expanded: boolean }) {
  return (
    <details className="case" open={expanded}>
      <summary>
        <StatusMark status={result.verdict} /> {result.case.title}
      </summary>
      <dl className="facts">
        <dt>Case id</dt>
        <dd>
          <code>{result.case.id}</code>
        </dd>
        <dt>Why expected</dt>
        <dd>{result.case.because}</dd>
        <dt>Reason</dt>
        <dd>{result.reason}</dd>
        {result.local ? (
          <>
            <dt>Local source address</dt>
            <dd>{result.local}</dd>
          </>
        ) : null}
        {result.vantage ? (
          <>
            <dt>Vantage point</dt>
            <dd>
              {result.vantage}
              {result.via ? ` (${result.via})` : ''}
            </dd>
          </>
        ) : null}
        {result.tls ? (
          <>
            <dt>TLS and certificate</dt>
            <dd>{describeTls(result.tls)}</dd>
          </>
        ) : null}
        {result.messageId ? (
          <>
            <dt>Test message</dt>
            <dd>Message-ID &lt;{result.messageId}&gt;</dd>
          </>
        ) : null}
      </dl>
      {result.transcript.length > 0 ? (
        <pre className="transcript">{transcriptText(result)}</pre>
      ) : (
        <p className="muted">No dialog: {result.reason}</p>
      )}
    </details>
  );
}

export function RunReport({ run, options, styles }: { run: RunRecord; options: ReportOptions; styles: string }) {
  const sourcesUsed = run.sources;
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta httpEquiv="Content-Security-Policy" content={REPORT_CSP} />
        <title>{`Relay Tester report: ${run.planName}`}</title>
        <style>{styles}</style>
      </head>
      <body>
        <main>
          <h1>Relay Tester report: {run.planName}</h1>
          <p className="muted">
            Generated {options.generatedAt} from the run of {run.startedAt}.
          </p>
          <p className={`verdict-line verdict-${verdictTone(run)}`} id="verdict">
            {headline(run)}
          </p>
          <ul className="counts" aria-label="Verdict counts">
            {VERDICTS.map((verdict) => (
              <li key={verdict}>
                {verdict}: <strong>{run.summary[verdict]}</strong>
              </li>
            ))}
          </ul>
          <h2>The run</h2>
          <Facts run={run} />
          <h2>Source addresses</h2>
          <table>
            <thead>
              <tr>
                <th>Source in the plan</th>
                <th>Local address or vantage point used</th>
              </tr>
            </thead>
            <tbody>
              {sourcesUsed.map((binding) => (
                <tr key={binding.source}>
                  <td>{binding.source}</td>
                  <td>
                    {binding.vantage
                      ? `vantage point ${binding.vantage} (${binding.via ?? ''})`
                      : (binding.local ?? `not runnable here: ${binding.reason ?? 'no local address'}`)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>The policy as tested</h2>
          <Policy run={run} />
          <h2>Matrix</h2>
          <Matrix results={run.cases.filter((result) => result.case.kind !== 'trick')} />
          {run.cases.some((result) => result.case.kind === 'trick') ? (
            <section className="trick-block" id="address-tricks">
              <h2>Address tricks</h2>
              <p className="muted">
                The recipient forms open-relay scanners try (percent hack, bang path, source route, nmap
                smtp-open-relay's tests), each in its own session. Refused passes; an accepted trick that may be a local
                mailbox needs review (see each reason for how to confirm); one that names the external destination, or
                that the lab proves it would forward, fails.
              </p>
              <Matrix results={run.cases.filter((result) => result.case.kind === 'trick')} />
            </section>
          ) : null}
          <h2>Dialogs</h2>
          <p className="muted">
            Each case's SMTP dialog; passwords and AUTH payloads are redacted, server text is shown with control
            characters made visible.
          </p>
          {run.cases.map((result) => (
            <CaseDetails key={result.case.id} result={result} expanded={options.expanded ?? false} />
          ))}
        </main>
      </body>
    </html>
  );
}

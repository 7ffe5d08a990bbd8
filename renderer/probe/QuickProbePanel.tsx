// The "Quick probe" tab: the Telnet replacement in one form. Host, port, TLS, source or vantage point, account and
// mechanism, MAIL FROM, RCPT TO and EHLO name → one live dialog in the terminal with its outcome; the same probe as a
// `relay-tester probe` or `swaks` line, and "add to plan as a case".
import { useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { errorMessage } from '../../shared/errorMessage.js';
import type { CommandRequest, RelayTesterApi } from '../../shared/ipc.js';
import type { TestCase } from '../../shared/matrix.js';
import { EXPECTATIONS, type Expectation, type Plan } from '../../shared/plan.js';
import { outcomeLine } from '../../shared/probe.js';
import { relayTesterCommand, swaksCommand, type CommandLine } from '../../shared/probeCommand.js';
import type { SourceBinding } from '../../shared/run.js';
import { AUTH_MECHANISMS, TLS_MODES } from '../../shared/session.js';
import { PasswordConsentDialog } from '../dialogs/PasswordConsentDialog.js';
import { usePasswordConsent } from '../app/usePasswordConsent.js';
import type { TerminalLook } from '../transcript/terminalOptions.js';
import type { TerminalControls, TerminalView } from '../transcript/terminalView.js';
import { XtermView } from '../transcript/XtermView.js';
import { addProbeAsCase, planServerFor, suggestedExpectation } from './probeCase.js';
import {
  EMPTY_FORM,
  VANTAGE_PREFIX,
  formFromCase,
  formFromPlan,
  readForm,
  type FormProblems,
  type ProbeForm,
} from './probeForm.js';
import { useProbe } from './useProbe.js';

export interface QuickProbePanelProps {
  api: RelayTesterApi;
  /** The open plan as edited (possibly invalid) and, when valid, as checked. */
  rawPlan: unknown;
  plan?: Plan;
  planPath?: string;
  sources: readonly SourceBinding[];
  /** The case selected in the matrix, for "Probe this case". */
  selectedCase?: TestCase;
  look: TerminalLook;
  /** Changes the open plan (the editor's undo and unsaved marker apply). */
  onPlanChange: (change: (plan: unknown) => unknown) => void;
  onNotice: (text: string, kind?: 'info' | 'error') => void;
  TerminalView?: TerminalView;
}

const TLS_LABELS: Record<(typeof TLS_MODES)[number], string> = {
  auto: 'STARTTLS when offered (auto)',
  starttls: 'STARTTLS required',
  implicit: 'TLS from the first byte (port 465)',
  none: 'None: plain text',
};

const EXPECTATION_LABELS: Record<Expectation, string> = {
  relay: 'relay (accepted)',
  deny: 'deny (refused)',
  'reject-at-connect': 'reject at connect',
  'auth-fail': 'authentication fails',
  banner: 'banner',
  report: 'report only',
};

function Problem({ id, text }: { id: string; text: string | undefined }) {
  return text ? (
    <div className="field-error" id={id}>
      {text}
    </div>
  ) : null;
}

function CommandBox({ title, line, onCopy }: { title: string; line: CommandLine; onCopy: () => void }) {
  const id = `probe-command-${title.replace(/\W+/g, '-').toLowerCase()}`;
  // The visible title names the command; the Copy button's name says which one it copies.
  return (
    <div className="probe-command">
      <div className="probe-command-head">
        <span>{title}</span>
        <button type="button" onClick={onCopy} aria-label={`Copy the ${title} command`}>
          Copy
        </button>
      </div>
      <pre className="mono" data-testid={id}>
        {line.command}
      </pre>
      {line.notes.map((note) => (
        <div key={note} className="field-hint">
          {note}
        </div>
      ))}
    </div>
  );
}

export function QuickProbePanel(props: QuickProbePanelProps) {
  const { api, plan, sources, selectedCase, look, onNotice } = props;
  const Terminal = props.TerminalView ?? XtermView;
  const controlsRef = useRef<TerminalControls | null>(null);
  const [form, setForm] = useState<ProbeForm>(() => (plan ? formFromPlan(plan) : EMPTY_FORM));
  const [password, setPassword] = useState('');
  const [problems, setProblems] = useState<FormProblems>({});
  const [expectChoice, setExpectChoice] = useState<Expectation | ''>('');
  const [addServer, setAddServer] = useState(false);
  // The probe's own consent question, worded for a probe (the run's lives in App).
  const consent = usePasswordConsent();
  const probe = useProbe(api, consent.ask);
  const { state } = probe;

  const read = useMemo(() => readForm(form), [form]);
  const vantagePoint = (name: string | undefined) =>
    name === undefined ? undefined : plan?.vantagePoints?.find((point) => point.name === name);
  /** The local address a plan source binds to here: what the command lines must name (the CLI takes an address). */
  const localFor = (source: string | undefined) =>
    source === undefined ? undefined : (sources.find((binding) => binding.source === source)?.local ?? source);
  const commands = useMemo(() => {
    if (!('settings' in read)) return undefined;
    const settings = { ...read.settings };
    const local = localFor(settings.source);
    if (local) settings.source = local;
    const point = vantagePoint(settings.vantage);
    return { relayTester: relayTesterCommand(settings, point), swaks: swaksCommand(settings, point) };
    // localFor and vantagePoint read only `sources` and `plan`.
  }, [read, sources, plan]);

  function set<K extends keyof ProbeForm>(key: K, value: ProbeForm[K]) {
    setForm((previous) => ({ ...previous, [key]: value }));
    setProblems((previous) => ({ ...previous, [key]: undefined }));
  }

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    if (state.running) return;
    if ('problems' in read) {
      setProblems(read.problems);
      const first = Object.keys(read.problems)[0];
      document.getElementById(`probe-${first}`)?.focus();
      return;
    }
    setProblems({});
    const { settings } = read;
    const request: CommandRequest<'startProbe'> = {
      host: settings.host,
      port: settings.port,
      tls: settings.tls,
      helo: settings.helo,
      from: settings.from,
      to: settings.to,
    };
    if (settings.certificate.mode === 'pin') request.certificate = { pinSha256: settings.certificate.sha256 };
    if (settings.certificate.mode === 'allow-invalid') request.certificate = { allowInvalid: true };
    if (settings.source) request.source = settings.source;
    if (settings.vantage) {
      request.vantage = settings.vantage;
      request.plan = props.rawPlan;
      if (props.planPath) request.planPath = props.planPath;
    }
    if (settings.account) request.account = settings.account;
    if (settings.mechanism) request.mechanism = settings.mechanism;
    // The typed password goes with this probe only, and the field is cleared: it is kept nowhere.
    if (settings.account && password !== '') request.password = password;
    if (plan?.settings?.timeoutSeconds) request.timeoutSeconds = plan.settings.timeoutSeconds;
    setPassword('');
    setExpectChoice('');
    setAddServer(false);
    await probe.start(request, settings);
  }

  function onFormKey(event: KeyboardEvent<HTMLFormElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void submit();
    }
  }

  async function copy(line: CommandLine, what: string) {
    try {
      await navigator.clipboard.writeText(line.command);
      onNotice(`Copied the ${what} command.`);
    } catch (error) {
      onNotice(`Could not copy: ${errorMessage(error)}`, 'error');
    }
  }

  const suggestion = state.outcome ? suggestedExpectation(state.outcome.outcome) : undefined;
  const expectation = expectChoice !== '' ? expectChoice : suggestion;
  const probed = state.settings;
  const needsServer = probed !== undefined && planServerFor(props.rawPlan, probed.host, probed.port) === undefined;

  function addToPlan() {
    if (!probed || !expectation) return;
    const source = probed.vantage ? vantagePoint(probed.vantage)?.serves[0] : probed.source;
    const result = addProbeAsCase(props.rawPlan, {
      settings: probed,
      ...(source ? { source } : {}),
      expect: expectation,
      addServer,
    });
    if ('problem' in result) onNotice(`Not added: ${result.problem}.`, 'error');
    else if ('needsServer' in result)
      onNotice(
        `Not added: the plan has no server at ${result.needsServer}. Tick "Also add the server" first.`,
        'error',
      );
    else {
      props.onPlanChange(() => result.plan);
      const also = result.changes.length > 0 ? ` Also ${result.changes.join('; ')}.` : '';
      const count = result.caseIds.length === 1 ? 'a case' : `${result.caseIds.length} cases`;
      onNotice(`Added ${count} expecting "${expectation}" to the plan (not saved yet).${also}`);
    }
  }

  const outcomeTone = state.outcome
    ? state.outcome.outcome === 'recipient-accepted'
      ? 'accepted'
      : ['recipient-rejected', 'sender-rejected', 'rejected-at-connect', 'auth-failed'].includes(state.outcome.outcome)
        ? 'refused'
        : 'other'
    : undefined;
  const field = (key: keyof ProbeForm) => ({
    id: `probe-${key}`,
    'aria-invalid': problems[key] ? true : undefined,
    'aria-describedby': problems[key] ? `probe-${key}-problem` : undefined,
  });
  const planSources = plan?.sources ?? [];
  const points = plan?.vantagePoints ?? [];
  const sourceIsOther =
    form.source !== '' && !form.source.startsWith(VANTAGE_PREFIX) && !planSources.includes(form.source);

  return (
    <div className="quick-probe">
      <div className="probe-side">
        <h2 id="probe-heading">Quick probe</h2>
        <p className="field-hint">
          One SMTP dialog, like Telnet or swaks: nothing is delivered (the probe stops after RCPT TO).
        </p>
        <div className="probe-fill">
          {plan ? (
            <button type="button" onClick={() => setForm(formFromPlan(plan))}>
              Fill from the plan
            </button>
          ) : null}
          {plan && selectedCase ? (
            <button type="button" onClick={() => setForm(formFromCase(plan, selectedCase, sources))}>
              Probe the selected case: {selectedCase.title}
            </button>
          ) : null}
        </div>
        <form
          className="probe-form"
          aria-labelledby="probe-heading"
          onSubmit={(event) => void submit(event)}
          onKeyDown={onFormKey}
          noValidate
        >
          <div className="probe-grid">
            <div className="field probe-wide">
              <label htmlFor="probe-host">Server host</label>
              <input
                {...field('host')}
                type="text"
                value={form.host}
                spellCheck={false}
                onChange={(event) => set('host', event.target.value)}
              />
              <Problem id="probe-host-problem" text={problems.host} />
            </div>
            <div className="field">
              <label htmlFor="probe-port">Port</label>
              <input
                {...field('port')}
                type="text"
                inputMode="numeric"
                value={form.port}
                onChange={(event) => set('port', event.target.value)}
              />
              <Problem id="probe-port-problem" text={problems.port} />
            </div>
            <div className="field">
              <label htmlFor="probe-tls">TLS</label>
              <select
                {...field('tls')}
                value={form.tls}
                onChange={(event) => set('tls', event.target.value as ProbeForm['tls'])}
              >
                {TLS_MODES.map((mode) => (
                  <option key={mode} value={mode}>
                    {TLS_LABELS[mode]}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="probe-certificate">Certificate</label>
              <select
                {...field('certificate')}
                value={form.certificate}
                onChange={(event) => set('certificate', event.target.value as ProbeForm['certificate'])}
              >
                <option value="verify">Verify against the system’s CAs</option>
                <option value="pin">Trust this fingerprint (pinned)</option>
                <option value="allow-invalid">Accept any certificate</option>
              </select>
            </div>
            {form.certificate === 'pin' ? (
              <div className="field probe-wide">
                <label htmlFor="probe-pinSha256">SHA-256 fingerprint</label>
                <input
                  {...field('pinSha256')}
                  type="text"
                  className="mono"
                  value={form.pinSha256}
                  spellCheck={false}
                  onChange={(event) => set('pinSha256', event.target.value)}
                />
                <Problem id="probe-pinSha256-problem" text={problems.pinSha256} />
              </div>
            ) : null}
            <div className="field probe-wide">
              <label htmlFor="probe-source-choice">Connect from</label>
              <select
                id="probe-source-choice"
                value={sourceIsOther ? 'other' : form.source}
                onChange={(event) => set('source', event.target.value === 'other' ? ' ' : event.target.value)}
              >
                <option value="">This machine (its default address)</option>
                {planSources.map((source) => {
                  const binding = sources.find((candidate) => candidate.source === source);
                  const note = binding?.vantage
                    ? ` (vantage point ${binding.vantage})`
                    : binding?.local && binding.local !== source
                      ? ` (as ${binding.local})`
                      : binding && !binding.local
                        ? ' (not available here)'
                        : '';
                  return (
                    <option key={source} value={binding?.vantage ? `${VANTAGE_PREFIX}${binding.vantage}` : source}>
                      Plan source {source}
                      {note}
                    </option>
                  );
                })}
                {points.map((point) => (
                  <option key={point.name} value={`${VANTAGE_PREFIX}${point.name}`}>
                    Vantage point {point.name}
                  </option>
                ))}
                <option value="other">Another address of this machine…</option>
              </select>
            </div>
            {sourceIsOther ? (
              <div className="field probe-wide">
                <label htmlFor="probe-source">Source address</label>
                <input
                  {...field('source')}
                  type="text"
                  value={form.source.trim()}
                  spellCheck={false}
                  placeholder="e.g. 127.0.0.5"
                  onChange={(event) => set('source', event.target.value === '' ? ' ' : event.target.value)}
                />
                <Problem id="probe-source-problem" text={problems.source} />
              </div>
            ) : null}
            <div className="field">
              <label htmlFor="probe-account">Account (empty: no login)</label>
              <input
                {...field('account')}
                type="text"
                list="probe-accounts"
                value={form.account}
                spellCheck={false}
                autoComplete="off"
                onChange={(event) => set('account', event.target.value)}
              />
              <datalist id="probe-accounts">
                {(plan?.accounts ?? []).map((account) => (
                  <option key={account} value={account} />
                ))}
              </datalist>
              <Problem id="probe-account-problem" text={problems.account} />
            </div>
            <div className="field">
              <label htmlFor="probe-mechanism">AUTH mechanism</label>
              <select
                {...field('mechanism')}
                value={form.mechanism}
                disabled={form.account.trim() === ''}
                onChange={(event) => set('mechanism', event.target.value as ProbeForm['mechanism'])}
              >
                <option value="">Best offered</option>
                {AUTH_MECHANISMS.map((mechanism) => (
                  <option key={mechanism} value={mechanism}>
                    {mechanism.toUpperCase()}
                  </option>
                ))}
              </select>
              <Problem id="probe-mechanism-problem" text={problems.mechanism} />
            </div>
            <div className="field probe-wide">
              <label htmlFor="probe-password">Password for this probe only (optional)</label>
              <input
                id="probe-password"
                type="password"
                value={password}
                autoComplete="off"
                disabled={form.account.trim() === ''}
                aria-describedby="probe-password-hint"
                onChange={(event) => setPassword(event.target.value)}
              />
              <div className="field-hint" id="probe-password-hint">
                Never kept. Empty: the account’s password from Passwords (asked first when it is not allowed for this
                server).
              </div>
            </div>
            <div className="field probe-wide">
              <label htmlFor="probe-from">MAIL FROM</label>
              <input
                {...field('from')}
                type="text"
                value={form.from}
                spellCheck={false}
                placeholder="empty: the null sender <>"
                onChange={(event) => set('from', event.target.value)}
              />
              <Problem id="probe-from-problem" text={problems.from} />
            </div>
            <div className="field probe-wide">
              <label htmlFor="probe-to">RCPT TO (one or more, separated by commas)</label>
              <input
                {...field('to')}
                type="text"
                value={form.to}
                spellCheck={false}
                onChange={(event) => set('to', event.target.value)}
              />
              <Problem id="probe-to-problem" text={problems.to} />
            </div>
            <div className="field probe-wide">
              <label htmlFor="probe-helo">EHLO name</label>
              <input
                {...field('helo')}
                type="text"
                value={form.helo}
                spellCheck={false}
                onChange={(event) => set('helo', event.target.value)}
              />
              <Problem id="probe-helo-problem" text={problems.helo} />
            </div>
          </div>
          <div className="probe-actions">
            <button type="submit" className="primary" disabled={state.running} aria-keyshortcuts="Control+Enter">
              Probe
            </button>
            <span className="field-hint">Ctrl+Enter in the form</span>
            {state.running ? (
              <button type="button" onClick={() => void probe.cancel()}>
                Cancel probe
              </button>
            ) : null}
          </div>
        </form>

        <section className="probe-section" aria-labelledby="probe-commands-heading">
          <h3 id="probe-commands-heading">Copy as command</h3>
          {commands ? (
            <>
              <CommandBox
                title="relay-tester"
                line={commands.relayTester}
                onCopy={() => void copy(commands.relayTester, 'relay-tester')}
              />
              <CommandBox title="swaks" line={commands.swaks} onCopy={() => void copy(commands.swaks, 'swaks')} />
            </>
          ) : (
            <p className="field-hint">Fill in the form to see the commands.</p>
          )}
        </section>

        <section className="probe-section" aria-labelledby="probe-add-heading">
          <h3 id="probe-add-heading">Add to plan as a case</h3>
          {probed && (state.outcome || state.error) && !state.running ? (
            <div className="probe-add">
              <div className="field">
                <label htmlFor="probe-expect">The plan expects</label>
                <select
                  id="probe-expect"
                  value={expectation ?? ''}
                  onChange={(event) => setExpectChoice(event.target.value as Expectation)}
                >
                  {expectation ? null : <option value="">Choose…</option>}
                  {EXPECTATIONS.map((item) => (
                    <option key={item} value={item}>
                      {EXPECTATION_LABELS[item]}
                      {item === suggestion ? ' — what the server did' : ''}
                    </option>
                  ))}
                </select>
              </div>
              {needsServer ? (
                <label className="toggle">
                  <input type="checkbox" checked={addServer} onChange={(event) => setAddServer(event.target.checked)} />
                  Also add the server {probed.host}:{probed.port} to the plan (it has none there)
                </label>
              ) : null}
              <button
                type="button"
                onClick={addToPlan}
                disabled={!expectation || (needsServer && !addServer) || props.rawPlan === undefined}
              >
                Add to plan as a case
              </button>
            </div>
          ) : (
            <p className="field-hint">Probe first: the case takes the probe’s settings.</p>
          )}
        </section>
      </div>

      <section className="probe-dialog" aria-labelledby="probe-dialog-heading">
        <h2 id="probe-dialog-heading">SMTP dialog</h2>
        <div className="probe-status" role="status" aria-live="polite">
          {state.running ? (
            <span className="status status-running">Probing {probed ? `${probed.host}:${probed.port}` : ''}…</span>
          ) : state.outcome ? (
            <div className={`probe-outcome probe-outcome-${outcomeTone}`} data-testid="probe-outcome">
              <span className="probe-outcome-word">
                {outcomeTone === 'accepted' ? '✓ Accepted' : outcomeTone === 'refused' ? '✗ Refused' : '! Not decided'}
              </span>{' '}
              <span className="mono">{outcomeLine(state.outcome)}</span>
              <div className="field-hint">
                {state.vantage
                  ? `from vantage point ${state.vantage}`
                  : state.local
                    ? `from ${state.local}`
                    : 'from this machine'}
              </div>
            </div>
          ) : state.error ? (
            <div className="field-error" data-testid="probe-error">
              {state.error}
            </div>
          ) : (
            <span className="field-hint">Press Probe to see the dialog here.</span>
          )}
        </div>
        <Terminal
          transcriptKey={state.probeId ?? 'none'}
          events={state.events}
          look={look}
          controlsRef={controlsRef}
          label="Quick probe dialog"
        />
      </section>
      {consent.question ? (
        <PasswordConsentDialog
          purpose="probe"
          question={consent.question}
          onAnswer={consent.answer}
          onClose={consent.close}
        />
      ) : null}
    </div>
  );
}

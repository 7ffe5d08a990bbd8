// The plan editor: name, domains, sender, accounts (with passwords), sources, servers and run settings. Every
// change goes to the raw plan at once; problems from checkPlan and warnings from planWarnings appear in plain
// words beside their fields and, all together, at the top. A new plan opens with the guided start.
import { memo, useDeferredValue, useState } from 'react';
import type { PlanProblem } from '../../shared/plan.js';
import { accountNames, getAt, isBlankPlan, isRecord, listAt, pathText } from '../plan/planEdit.js';
import { AccountsField } from './AccountsField.js';
import { AddressListField } from './AddressListField.js';
import { focusField } from './focusField.js';
import { GuidedStart } from './GuidedStart.js';
import { PasswordPanel, type PasswordPanelProps } from './PasswordPanel.js';
import type { PlanEditing } from './planEditing.js';
import { FieldProblems, ProblemSummary } from './ProblemList.js';
import { ServerEditor } from './ServerEditor.js';
import { StringListField } from './StringListField.js';
import { TextField } from './TextField.js';
import { VantagePointsEditor, type VantagePointsEditorProps } from './VantagePointsEditor.js';

export interface PlanEditorProps {
  editing: PlanEditing;
  passwords: Omit<PasswordPanelProps, 'accounts'>;
  vantage: Omit<VantagePointsEditorProps, 'editing'>;
}

const NEW_SERVER = { name: '', host: '', port: 25, tls: 'auto', relay: { mode: 'only', users: [], hosts: [] } };

function showProblem(path: string) {
  focusField(path);
}

/** The editor is mounted once per document (keyed by it in App), so a new blank plan opens with the guide. */
export function PlanEditor(props: PlanEditorProps) {
  // A large plan's first render is long (hundreds of inputs): it runs as a deferred render, which React splits into
  // short tasks, after a one-line placeholder (docs/large-plans.md).
  const ready = useDeferredValue(true, false);
  if (!ready) {
    return (
      <div className="plan-editor">
        <p role="status">Opening the plan…</p>
      </div>
    );
  }
  return <PlanEditorContent {...props} />;
}

function PlanEditorContent({ editing, passwords, vantage }: PlanEditorProps) {
  const { plan, problems } = editing;
  const [guide, setGuide] = useState(() => isBlankPlan(plan));
  if (!isRecord(plan)) {
    return (
      <div className="plan-editor">
        <ProblemSummary problems={problems} onShow={showProblem} />
        <p>This file does not hold a plan object. Start a new plan, or open another file.</p>
      </div>
    );
  }
  const servers = listAt(plan, ['servers']);
  const rootProblems: PlanProblem[] = problems.filter((problem) => problem.path === '$');
  const keptPassword = (account: string) => passwords.bindings.has(account) || passwords.labAccounts.has(account);
  return (
    <div className="plan-editor">
      {guide ? <GuidedStart problems={problems} onClose={() => setGuide(false)} /> : null}
      <ProblemSummary problems={problems} warnings={editing.warnings} plan={plan} onShow={showProblem} />
      <FieldProblems problems={rootProblems} path="$" />
      <section className="editor-section" aria-labelledby="plan-general">
        <h3 id="plan-general">Plan</h3>
        <div className="field-grid">
          <TextField editing={editing} path={['name']} label="Plan name" placeholder="Relay policy of corp.example" />
          <TextField
            editing={editing}
            path={['sender']}
            label="Sender (MAIL FROM of unauthenticated cases)"
            placeholder="helpdesk@corp.example"
          />
          <TextField
            editing={editing}
            path={['domains', 'external']}
            label="External domain (the relay target)"
            placeholder="external.example"
          />
        </div>
        <StringListField
          editing={editing}
          path={['domains', 'local']}
          label="Local domains (the servers accept mail for these)"
          itemLabel="local domain"
          placeholder="corp.example"
        />
        <FieldProblems problems={problems} warnings={editing.warnings} path={pathText(['domains'])} />
      </section>
      <section className="editor-section" aria-labelledby="plan-accounts">
        <h3 id="plan-accounts">Accounts</h3>
        <AccountsField editing={editing} keptPasswords={keptPassword} />
        <PasswordPanel accounts={accountNames(plan)} {...passwords} />
      </section>
      <section className="editor-section" aria-labelledby="plan-sources">
        <h3 id="plan-sources">Sources</h3>
        <AddressListField
          editing={editing}
          path={['sources']}
          label="Client addresses to test from"
          itemLabel="source"
          hint="Cases connect from a local address inside each source; the matrix shows which address serves it, or why none does."
        />
      </section>
      <section className="editor-section" aria-labelledby="plan-vantage">
        <h3 id="plan-vantage">Vantage points</h3>
        <p className="field-hint">
          Machines in other networks that cases run from (over SSH or a SOCKS5 proxy), so the server sees their address.
        </p>
        <VantagePointsEditor editing={editing} {...vantage} />
      </section>
      <section className="editor-section" aria-labelledby="plan-servers">
        <h3 id="plan-servers">Servers</h3>
        {servers.map((_, index) => (
          <ServerEditor key={index} editing={editing} index={index} />
        ))}
        <button
          type="button"
          className="add"
          disabled={editing.disabled}
          onClick={() => editing.set(['servers', servers.length], { ...NEW_SERVER })}
        >
          + Add server
        </button>
        <FieldProblems problems={problems} warnings={editing.warnings} path={pathText(['servers'])} />
      </section>
      <RunSettings editing={editing} />
    </div>
  );
}

/** Plan-wide settings of a run: the timeout of each stage, sessions at once, DATA and greylisting retries. */
const RunSettings = memo(function RunSettings({ editing }: { editing: PlanEditing }) {
  const data = ['settings', 'data'];
  return (
    <section className="editor-section" aria-labelledby="plan-settings">
      <h3 id="plan-settings">Run settings</h3>
      <div className="field-grid">
        <TextField
          editing={editing}
          path={['settings', 'timeoutSeconds']}
          label="Timeout of each stage, in seconds"
          numeric
          optional
          placeholder="15"
          hint="Connect, greeting and every reply; default 15."
        />
        <TextField
          editing={editing}
          path={['settings', 'concurrency']}
          label="Sessions at once per server"
          numeric
          optional
          placeholder="4"
          hint="From 1 to 32; default 4."
        />
        <TextField
          editing={editing}
          path={['settings', 'retryGreylistSeconds']}
          label="Retry after greylisting, in seconds"
          numeric
          optional
          placeholder="off"
          hint="A case expected to be accepted that got 450/451 at RCPT is tried again after this long, at most twice."
        />
      </div>
      <label className="toggle">
        <input
          type="checkbox"
          data-path={pathText(data)}
          disabled={editing.disabled}
          checked={getAt(editing.plan, data) === true}
          onChange={(event) => editing.set(data, event.target.checked ? true : undefined)}
        />
        Send a test message (DATA) after an accepted RCPT
      </label>
      <FieldProblems problems={editing.problems} warnings={editing.warnings} path={pathText(['settings'])} />
    </section>
  );
});

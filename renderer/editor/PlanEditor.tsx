// The plan editor: name, domains, sender, accounts (with passwords), sources and servers. Every change goes to
// the raw plan at once; problems from checkPlan appear beside their fields and, all together, at the top.
import type { PlanProblem } from '../../shared/plan.js';
import { accountNames, isRecord, listAt, pathText } from '../plan/planEdit.js';
import { fieldFor } from '../plan/problems.js';
import { AddressListField } from './AddressListField.js';
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

const NEW_SERVER = { name: '', host: '', port: 25, tls: 'auto', relay: { users: [], hosts: [] } };

function showProblem(path: string) {
  const field = fieldFor(document, path);
  if (!field) return;
  field.scrollIntoView?.({ block: 'center' });
  const focusable = field.matches('input, select, textarea, button')
    ? field
    : field.querySelector<HTMLElement>('input, select, button');
  focusable?.focus();
}

export function PlanEditor({ editing, passwords, vantage }: PlanEditorProps) {
  const { plan, problems } = editing;
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
  return (
    <div className="plan-editor">
      <ProblemSummary problems={problems} onShow={showProblem} />
      <FieldProblems problems={rootProblems} path="$" />
      <section className="editor-section" aria-labelledby="plan-general">
        <h3 id="plan-general">Plan</h3>
        <div className="field-grid">
          <TextField editing={editing} path={['name']} label="Name" placeholder="Relay policy of corp.example" />
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
        <FieldProblems problems={problems} path={pathText(['domains'])} />
      </section>
      <section className="editor-section" aria-labelledby="plan-accounts">
        <h3 id="plan-accounts">Accounts</h3>
        <StringListField
          editing={editing}
          path={['accounts']}
          label="Accounts to test as"
          itemLabel="account"
          placeholder="alice"
        />
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
        <FieldProblems problems={problems} path={pathText(['servers'])} />
      </section>
    </div>
  );
}

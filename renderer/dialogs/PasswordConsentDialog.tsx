// Asked before a run sends a kept password to a server it is not bound to: each account and server, to allow
// this once, always (the password's servers grow) or not at all. Deny is preselected; closing the dialog starts
// nothing. Main checks the answer against the question it asked (see startRun in shared/ipc.ts).
import { useState, type FormEvent } from 'react';
import type { ConsentQuestion } from '../../shared/ipc.js';
import type { ConsentDecision } from '../../shared/passwordBinding.js';
import { makeVisible } from '../../shared/text.js';
import { Modal, SubmitOrCancel } from './Modal.js';

export interface ConsentAnswer {
  account: string;
  server: string;
  decision: ConsentDecision;
}

const CHOICES: { decision: ConsentDecision; label: string }[] = [
  { decision: 'once', label: 'Allow for this run' },
  { decision: 'always', label: 'Allow always' },
  { decision: 'deny', label: 'Deny' },
];

/** What asks: a run of a plan (the default) or a quick probe; the dialog's words follow. */
export type ConsentPurpose = 'run' | 'probe';

export function PasswordConsentDialog({
  question,
  onAnswer,
  onClose,
  purpose = 'run',
}: {
  question: ConsentQuestion;
  onAnswer: (answers: ConsentAnswer[]) => void;
  onClose: () => void;
  purpose?: ConsentPurpose;
}) {
  const probe = purpose === 'probe';
  const [decisions, setDecisions] = useState<ConsentDecision[]>(() => question.uses.map(() => 'deny'));
  function submit(event: FormEvent) {
    event.preventDefault();
    onAnswer(
      question.uses.map((use, index) => ({
        account: use.account,
        server: use.server,
        decision: decisions[index] ?? 'deny',
      })),
    );
  }
  return (
    <Modal title="Send passwords to new servers?" onClose={onClose}>
      <form onSubmit={submit} aria-label="Password consent">
        <p>
          {probe
            ? 'This probe would send a kept password to a server it was not entered for: allow only servers you know.'
            : 'This plan would send kept passwords to servers they were not entered for. A plan from someone else can point an account at a server that collects passwords: allow only servers you know.'}
        </p>
        {question.uses.map((use, index) => (
          <fieldset
            key={`${use.account} ${use.server}`}
            className="consent-use"
            aria-label={`${makeVisible(use.account)}'s password to ${use.server}`}
          >
            <legend>
              <strong>{makeVisible(use.account)}</strong>’s password to <code>{use.server}</code>
            </legend>
            {CHOICES.map((choice) => (
              <label key={choice.decision} className="consent-choice">
                <input
                  type="radio"
                  name={`consent-${index}`}
                  checked={decisions[index] === choice.decision}
                  onChange={() =>
                    setDecisions((current) => current.map((value, at) => (at === index ? choice.decision : value)))
                  }
                />
                {probe && choice.decision === 'once' ? 'Allow for this probe' : choice.label}
              </label>
            ))}
          </fieldset>
        ))}
        <p className="field-hint">
          {probe
            ? 'Denied: the probe does not start and nothing is sent.'
            : 'Cases whose password is denied are skipped with the reason; the others run.'}
        </p>
        <SubmitOrCancel submit={probe ? 'Probe' : 'Run'} onCancel={onClose} />
      </form>
    </Modal>
  );
}

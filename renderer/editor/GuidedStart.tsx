// The guided start of a new plan: four steps (server, policy, accounts, sources), each taking the keyboard to the
// fields it is about and counting what is still to fix there. It only moves focus; the fields write the plan.
import { useEffect, useRef, useState } from 'react';
import type { PlanProblem } from '../../shared/plan.js';
import { problemsUnder } from '../plan/problems.js';
import { focusField } from './focusField.js';

export interface GuideStep {
  title: string;
  text: string;
  /** The field focused when the step is chosen. */
  focus: string;
  /** Where its problems are counted. */
  paths: readonly string[];
}

export const GUIDE_STEPS: readonly GuideStep[] = [
  {
    title: 'Server',
    text: 'Name the plan and the server, then say where the server is: its host, port (25 for SMTP, 587 for submission, 465 with implicit TLS) and TLS. Give the local domains the server accepts mail for, an external domain to try relaying to, and the sender of unauthenticated tests.',
    focus: '$.name',
    paths: [
      '$.name',
      '$.domains',
      '$.sender',
      '$.servers[0].name',
      '$.servers[0].host',
      '$.servers[0].port',
      '$.servers[0].tls',
    ],
  },
  {
    title: 'Policy',
    text: 'As on the Access tab in Exchange System Manager: Relay restrictions (which computers may relay: "Only the list below" or "All except the list below"), whether every account that signs in may relay, and Connection control (which computers may connect at all).',
    focus: '$.servers[0].relay.mode',
    paths: ['$.servers[0].relay', '$.servers[0].connect'],
  },
  {
    title: 'Accounts',
    text: 'Add the accounts to test as, e.g. one member of the group with Relay permission and one that is not. Tick the ones with Relay permission under the server. Passwords are set here too, and never written into the plan.',
    focus: '$.accounts',
    paths: ['$.accounts', '$.servers[0].relay.users'],
  },
  {
    title: 'Sources',
    text: 'Add the client addresses to test from: a computer on the relay list, one that must be refused, and one refused at connect if connection control lists any. The matrix then shows every case the policy implies.',
    focus: '$.sources',
    paths: ['$.sources'],
  },
];

export function GuidedStart({ problems, onClose }: { problems: readonly PlanProblem[]; onClose: () => void }) {
  const [current, setCurrent] = useState(0);
  const step = GUIDE_STEPS[current]!;
  const first = useRef<HTMLButtonElement>(null);
  // New was pressed to start here: the keyboard starts at the first step, not on the toolbar.
  useEffect(() => first.current?.focus(), []);

  function go(index: number) {
    setCurrent(index);
    focusField(GUIDE_STEPS[index]!.focus);
  }

  const toFix = (guide: GuideStep) => new Set(guide.paths.flatMap((path) => problemsUnder(problems, path))).size;
  const last = current === GUIDE_STEPS.length - 1;
  return (
    <nav className="guided-start" aria-labelledby="guided-start-title">
      <div className="guided-start-head">
        <h3 id="guided-start-title">Guided start</h3>
        <ol className="guide-steps">
          {GUIDE_STEPS.map((guide, index) => {
            const count = toFix(guide);
            return (
              <li key={guide.title}>
                <button
                  type="button"
                  className="guide-step"
                  ref={index === 0 ? first : undefined}
                  aria-current={index === current ? 'step' : undefined}
                  onClick={() => go(index)}
                >
                  <span className="guide-number">{index + 1}.</span> {guide.title}{' '}
                  <span className="guide-status">{count > 0 ? `(${count} to fix)` : '(ready)'}</span>
                </button>
              </li>
            );
          })}
        </ol>
        <button type="button" className="link-button guide-close" onClick={onClose}>
          Close the guide
        </button>
      </div>
      <div className="guide-body">
        <p className="guide-text" aria-live="polite">
          <strong>
            Step {current + 1} of {GUIDE_STEPS.length}, {step.title}:
          </strong>{' '}
          {step.text}
        </p>
        <div className="guide-actions">
          <button type="button" disabled={current === 0} onClick={() => go(current - 1)}>
            Back
          </button>
          {last ? (
            <button type="button" onClick={onClose}>
              Finish
            </button>
          ) : (
            <button type="button" onClick={() => go(current + 1)}>
              Next: {GUIDE_STEPS[current + 1]!.title}
            </button>
          )}
        </div>
      </div>
    </nav>
  );
}

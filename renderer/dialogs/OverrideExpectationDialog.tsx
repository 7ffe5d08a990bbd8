// "Override expectation…": the one place a case's expectation is changed outside the policy. It writes (or removes)
// the case's entry in plan.cases, so the override is in the plan, saved and reviewed with it.
import { useState, type FormEvent } from 'react';
import { EXPECTATION_PHRASES, type TestCase } from '../../shared/matrix.js';
import { EXPECTATIONS, type Expectation } from '../../shared/plan.js';
import { makeVisible } from '../../shared/text.js';
import { Modal, SubmitOrCancel } from './Modal.js';

export interface OverrideExpectationDialogProps {
  testCase: TestCase;
  /** The plan overrides this case's expectation now. */
  overridden: boolean;
  /** What the policy alone expects (known when the case is overridden). */
  derived?: Expectation;
  onSet: (expect: Expectation) => void;
  onReset: () => void;
  onClose: () => void;
}

export function OverrideExpectationDialog(props: OverrideExpectationDialogProps) {
  const { testCase, overridden, derived, onClose } = props;
  const [chosen, setChosen] = useState<Expectation>(testCase.expect);
  function submit(event: FormEvent) {
    event.preventDefault();
    props.onSet(chosen);
    onClose();
  }
  const title = makeVisible(testCase.title);
  return (
    <Modal title="Override the expectation" onClose={onClose}>
      <form onSubmit={submit} className="override-form">
        <p className="override-case">{title}</p>
        <p className="field-hint">
          {overridden
            ? `The plan overrides this case${derived ? `; the policy alone says it ${EXPECTATION_PHRASES[derived]}` : ''}.`
            : `From the policy: ${makeVisible(testCase.because)}.`}{' '}
          An override is saved in the plan’s cases.
        </p>
        <fieldset>
          <legend>This case</legend>
          {EXPECTATIONS.map((expectation) => (
            <label key={expectation} className="override-choice">
              <input
                type="radio"
                name="expectation"
                value={expectation}
                checked={chosen === expectation}
                onChange={() => setChosen(expectation)}
              />{' '}
              {EXPECTATION_PHRASES[expectation]}
              {derived === expectation || (!overridden && testCase.expect === expectation) ? ' (the policy’s)' : ''}
            </label>
          ))}
        </fieldset>
        {overridden ? (
          <p>
            <button
              type="button"
              onClick={() => {
                props.onReset();
                onClose();
              }}
            >
              Use the policy’s expectation
            </button>
          </p>
        ) : null}
        <SubmitOrCancel submit="Set expectation" disabled={chosen === testCase.expect} onCancel={onClose} />
      </form>
    </Modal>
  );
}

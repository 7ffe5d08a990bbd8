// "Open…" in the browser: the plan files of the workspace folder (listPlans).
import { useEffect, useState } from 'react';
import type { RelayTesterApi } from '../../shared/ipc.js';
import { Modal } from './Modal.js';

export function OpenPlanDialog({
  api,
  workspace,
  onOpen,
  onClose,
}: {
  api: RelayTesterApi;
  workspace: string;
  onOpen: (path: string) => void;
  onClose: () => void;
}) {
  const [plans, setPlans] = useState<{ path: string; name: string }[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let current = true;
    api.listPlans({}).then(
      (list) => current && setPlans(list),
      (failure: Error) => current && setError(failure.message),
    );
    return () => {
      current = false;
    };
  }, [api]);
  return (
    <Modal title="Open a plan" onClose={onClose}>
      <p className="field-hint">Plans in the workspace folder {workspace}</p>
      {error ? <p className="field-error">{error}</p> : null}
      {!plans && !error ? <p>Reading the folder…</p> : null}
      {plans && plans.length === 0 ? (
        <p>No plan files in the workspace folder yet. Save a plan to create one.</p>
      ) : null}
      {plans && plans.length > 0 ? (
        <ul className="plan-list">
          {plans.map((plan) => (
            <li key={plan.path}>
              <button type="button" className="plan-choice" onClick={() => onOpen(plan.path)}>
                <strong>{plan.name}</strong>
                <span className="row-note">{plan.path}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="modal-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Modal>
  );
}

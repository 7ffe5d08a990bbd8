// "Open…" in the browser: every JSON file of the workspace folder (listPlans), the plans to open and, for each file
// that is not a valid plan, why not; and a file from anywhere else, picked here or dropped onto the window, which
// the core copies into the workspace (importPlan) before it opens.
import { useEffect, useState, type ChangeEvent } from 'react';
import type { PlanListing, RelayTesterApi } from '../../shared/ipc.js';
import type { PlanFileKind } from '../../shared/planFileCheck.js';
import { ensureVisible } from '../../shared/text.js';
import { Modal } from './Modal.js';

/** What kind of file cannot open, in the user's words (the reasons say the rest). */
const KIND_LABELS: Record<Exclude<PlanFileKind, 'plan'>, string> = {
  'invalid-plan': 'a plan with problems',
  'run-file': 'a run file',
  'not-a-plan': 'not a plan',
  'not-json': 'not JSON',
  'too-large': 'too large',
  unreadable: 'unreadable',
};

function isOpenable(listing: PlanListing): boolean {
  return listing.kind === undefined || listing.kind === 'plan';
}

function UnopenableFile({ listing, onOpen }: { listing: PlanListing; onOpen: (path: string) => void }) {
  // File names and reasons come from files anyone may have put there: shown with control characters visible.
  const fileName = ensureVisible(listing.fileName ?? listing.name);
  const reasons = (listing.reasons ?? []).map(ensureVisible);
  const more = (listing.problemCount ?? reasons.length) - reasons.length;
  const kind = listing.kind && listing.kind !== 'plan' ? KIND_LABELS[listing.kind] : 'cannot open';
  return (
    <li className="unopenable-file">
      <div className="unopenable-name">
        <strong>{fileName}</strong> <span className="unopenable-kind">({kind})</span>
      </div>
      <ul className="unopenable-reasons">
        {reasons.map((reason, index) => (
          <li key={index}>{reason}</li>
        ))}
        {more > 0 ? <li>and {more} more problem(s)</li> : null}
      </ul>
      {listing.kind === 'invalid-plan' ? (
        <button type="button" onClick={() => onOpen(listing.path)}>
          Open {fileName} to fix its problems
        </button>
      ) : null}
    </li>
  );
}

export function OpenPlanDialog({
  api,
  workspace,
  onOpen,
  onImport,
  onClose,
}: {
  api: RelayTesterApi;
  workspace: string;
  onOpen: (path: string) => void;
  /** A file picked from anywhere: copied into the workspace, then opened. */
  onImport?: (file: File) => void;
  onClose: () => void;
}) {
  const [plans, setPlans] = useState<PlanListing[] | undefined>();
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
  const openable = plans?.filter(isOpenable) ?? [];
  const unopenable = plans?.filter((listing) => !isOpenable(listing)) ?? [];

  function picked(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file && onImport) onImport(file);
  }

  return (
    <Modal title="Open a plan" onClose={onClose}>
      <p className="field-hint">Plans in the workspace folder {workspace}</p>
      {error ? <p className="field-error">{error}</p> : null}
      {!plans && !error ? <p>Reading the folder…</p> : null}
      {plans && openable.length === 0 ? (
        <p>No plan files in the workspace folder yet. Save a plan to create one.</p>
      ) : null}
      {openable.length > 0 ? (
        <ul className="plan-list">
          {openable.map((plan) => (
            <li key={plan.path}>
              <button type="button" className="plan-choice" onClick={() => onOpen(plan.path)}>
                <strong>{ensureVisible(plan.name)}</strong>
                <span className="row-note">{ensureVisible(plan.path)}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {unopenable.length > 0 ? (
        <section className="unopenable" aria-labelledby="unopenable-heading">
          <h3 id="unopenable-heading">
            {unopenable.length === 1
              ? '1 file cannot open as a plan'
              : `${unopenable.length} files cannot open as plans`}
          </h3>
          <ul className="unopenable-list">
            {unopenable.map((listing) => (
              <UnopenableFile key={listing.path} listing={listing} onOpen={onOpen} />
            ))}
          </ul>
        </section>
      ) : null}
      {onImport ? (
        <div className="plan-import">
          <label>
            Open a plan file from elsewhere
            <input type="file" accept=".json,application/json" onChange={picked} />
          </label>
          <p className="field-hint">
            It is copied into the workspace folder (never over a file already there) and opened from there. You can also
            drop a plan file onto the window.
          </p>
        </div>
      ) : null}
      <div className="modal-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Modal>
  );
}

/** Shown while files are dragged over the window. */
export function DropOverlay() {
  return (
    <div className="drop-overlay" role="status">
      Drop a plan file to copy it into the workspace and open it
    </div>
  );
}

// "Save As…" in the browser: a file name in the workspace folder (the host writes only there).
import { useState, type FormEvent } from 'react';
import { Modal, SubmitOrCancel } from './Modal.js';

export function SaveAsDialog({
  workspace,
  suggested,
  onSave,
  onClose,
}: {
  workspace: string;
  suggested: string;
  onSave: (fileName: string) => void;
  onClose: () => void;
}) {
  const [name, setName] = useState(suggested);
  const valid = /^[^/\\\0]+$/.test(name.trim()) && name.trim() !== '.json';
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!valid) return;
    const trimmed = name.trim();
    onSave(trimmed.endsWith('.json') ? trimmed : `${trimmed}.json`);
  }
  return (
    <Modal title="Save the plan as" onClose={onClose}>
      <form onSubmit={submit}>
        <label htmlFor="save-as-name">File name in {workspace}</label>
        <input
          id="save-as-name"
          type="text"
          value={name}
          spellCheck={false}
          onChange={(event) => setName(event.target.value)}
        />
        {!valid ? <p className="field-error">A file name, without folders.</p> : null}
        <SubmitOrCancel submit="Save" disabled={!valid} onCancel={onClose} />
      </form>
    </Modal>
  );
}

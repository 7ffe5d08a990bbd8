// Moving the keyboard to the field of a plan path: from the problem summary and from the guided start.
import { fieldFor } from '../plan/problems.js';
import { EXPAND_EVENT } from './StringListField.js';

/** Scrolls to the control that edits `path` (or the nearest one above it) and focuses it; false if none is shown. */
export function focusField(path: string, root: ParentNode = document): boolean {
  let field = fieldFor(root, path);
  if (!field) return false;
  // An entry beyond a long list's first ones is not rendered: the list shows all its entries, then the entry is found.
  if (field.dataset.path !== path && field.dataset.hiddenEntries) {
    field.dispatchEvent(new Event(EXPAND_EVENT));
    field = fieldFor(root, path) ?? field;
  }
  field.scrollIntoView?.({ block: 'center' });
  const focusable = field.matches('input, select, textarea, button')
    ? field
    : field.querySelector<HTMLElement>('input, select, textarea, button');
  focusable?.focus();
  return focusable !== null;
}

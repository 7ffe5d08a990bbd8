// Moving the keyboard to the field of a plan path: from the problem summary and from the guided start.
import { fieldFor } from '../plan/problems.js';

/** Scrolls to the control that edits `path` (or the nearest one above it) and focuses it; false if none is shown. */
export function focusField(path: string, root: ParentNode = document): boolean {
  const field = fieldFor(root, path);
  if (!field) return false;
  field.scrollIntoView?.({ block: 'center' });
  const focusable = field.matches('input, select, textarea, button')
    ? field
    : field.querySelector<HTMLElement>('input, select, textarea, button');
  focusable?.focus();
  return focusable !== null;
}

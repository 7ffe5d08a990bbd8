// Labels of saved runs ("before the firewall change"), kept in one sidecar file per runs folder rather than in the
// run files: a run file stays exactly as it was recorded, and a label can be changed without rewriting it. The
// file starts with a dot, so listRuns never takes it for a run; it is written atomically.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ensureVisible, hasInvisible } from '../../shared/text.js';
import { writeJsonAtomic } from './atomicFile.js';

export const LABELS_FILE = '.labels.json';
/** Long enough for a sentence, short enough for a table cell. */
export const MAX_LABEL_LENGTH = 200;

const labelsSchema = z.object({
  relayTesterLabels: z.literal(1),
  labels: z.record(z.string().max(300), z.string().max(MAX_LABEL_LENGTH)),
});

/** A label as typed, trimmed, or the reason it cannot be one (in the user's words). */
export function checkLabel(label: string): { ok: true; label: string } | { ok: false; problem: string } {
  const trimmed = label.trim();
  if (trimmed.length > MAX_LABEL_LENGTH)
    return { ok: false, problem: `A run label can be at most ${MAX_LABEL_LENGTH} characters long.` };
  if (hasInvisible(trimmed))
    return { ok: false, problem: 'A run label cannot contain control characters (such as a line break or a tab).' };
  return { ok: true, label: trimmed };
}

/** The labels of the runs in `folder` by run file name, every one made visible (the file may come from anyone).
 * A missing or unreadable labels file means no labels: labels are a convenience, never a reason to fail. */
export async function readLabels(folder: string): Promise<Map<string, string>> {
  try {
    const parsed = labelsSchema.safeParse(JSON.parse(await fs.readFile(path.join(folder, LABELS_FILE), 'utf8')));
    if (!parsed.success) return new Map();
    return new Map(Object.entries(parsed.data.labels).map(([name, label]) => [name, ensureVisible(label)]));
  } catch {
    return new Map();
  }
}

/** Sets (or, with an empty label, removes) the label of the run file `name` in `folder`. */
export async function writeLabel(folder: string, name: string, label: string): Promise<void> {
  const labels = await readLabels(folder);
  if (label) labels.set(name, label);
  else labels.delete(name);
  await writeJsonAtomic(path.join(folder, LABELS_FILE), {
    relayTesterLabels: 1,
    labels: Object.fromEntries([...labels].sort(([a], [b]) => a.localeCompare(b))),
  });
}

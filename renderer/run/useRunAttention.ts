// What a run does to the user's attention: when it starts, focus moves to the run summary (whose headline is a
// live region, so the start and the end are announced); when it ends, focus is never left on nothing or on a
// button the end disabled. A long run (LONG_RUN_MS or more) that ends also changes the document title until the
// user comes back, and shows a system notification when the window is hidden and the user asked for one.
import { useEffect, useRef, type RefObject } from 'react';
import { headline } from '../../shared/coverage.js';
import { ensureVisible } from '../../shared/text.js';
import type { RunState } from './runState.js';

/** A run at least this long is "long": its end is worth a notification. */
export const LONG_RUN_MS = 10_000;

export interface RunAttentionOptions {
  /** Whether the user asked for a system notification (and the browser permits it). */
  notify: boolean;
  planName: string;
  /** The clock; tests give their own. */
  now?: () => number;
}

function lostFocus(): boolean {
  const active = document.activeElement;
  if (!active || active === document.body) return true;
  return (active as HTMLButtonElement).disabled === true;
}

/** The line a notification and the title show for a finished run. */
export function finishedText(run: RunState): string {
  if (run.failure) return `The run failed: ${run.failure}`;
  if (!run.record) return 'The run finished.';
  return headline(run.record);
}

export function useRunAttention(
  run: RunState | undefined,
  summaryRef: RefObject<HTMLElement | null>,
  options: RunAttentionOptions,
) {
  const { notify, planName } = options;
  const now = options.now ?? (() => performance.now());
  const clock = useRef(now);
  clock.current = now;
  const started = useRef<{ run: RunState; at: number } | undefined>(undefined);
  const baseTitle = useRef<string | undefined>(undefined);

  const active = run !== undefined && run.phase !== 'finished';
  // A run that never started (consent refused, plan refused) leaves nothing behind.
  useEffect(() => {
    if (!run) started.current = undefined;
  }, [run]);
  // The start: focus goes to the summary, once per run (the "starting" state and the started run are one run).
  useEffect(() => {
    if (!active || started.current) return;
    started.current = { run, at: clock.current() };
    baseTitle.current ??= document.title;
    summaryRef.current?.focus();
  }, [active, run, summaryRef]);

  useEffect(() => {
    if (!run || run.phase !== 'finished' || !started.current) return;
    const elapsed = clock.current() - started.current.at;
    started.current = undefined;
    if (lostFocus()) summaryRef.current?.focus();
    if (elapsed < LONG_RUN_MS) return;
    const text = ensureVisible(finishedText(run));
    const base = baseTitle.current ?? document.title;
    document.title = `${run.failure ? 'Run failed' : 'Run finished'} · ${base}`;
    // Back to the plain title once the user is back.
    const restore = () => {
      document.title = base;
      window.removeEventListener('focus', restore);
      window.removeEventListener('pointerdown', restore);
      window.removeEventListener('keydown', restore);
    };
    window.addEventListener('focus', restore);
    window.addEventListener('pointerdown', restore);
    window.addEventListener('keydown', restore);
    if (notify && document.visibilityState === 'hidden' && 'Notification' in window) {
      try {
        new window.Notification(`Relay Tester: ${ensureVisible(planName)}`, { body: text, tag: 'relay-tester-run' });
      } catch {
        // Some browsers allow notifications only from a service worker; the title and the notice still tell.
      }
    }
  }, [run, summaryRef, notify, planName]);
}

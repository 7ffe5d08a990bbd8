// The desktop app's menu and, in the browser, the keyboard shortcuts the menu's accelerators would give: both call
// the same actions as the toolbar.
import { useEffect, useLayoutEffect, useRef } from 'react';
import type { AppInfo, MenuAction, RelayTesterApi } from '../../shared/ipc.js';

export type Actions = Record<MenuAction, () => void>;

export function useMenuAndShortcuts(api: RelayTesterApi, face: AppInfo['face'] | undefined, actions: Actions) {
  // The latest actions, so the listeners are added once and still call what the last render holds; the ref is
  // updated after the render is committed, never during it.
  const latest = useRef(actions);
  useLayoutEffect(() => {
    latest.current = actions;
  });

  useEffect(() => api.on('menu', (action) => latest.current[action]?.()), [api]);

  useEffect(() => {
    if (face !== 'browser') return; // the desktop app's menu has these accelerators
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      const key = event.key.toLowerCase();
      if (key === 's') {
        event.preventDefault();
        latest.current[event.shiftKey ? 'save-as' : 'save']();
      } else if (key === 'o' && !event.shiftKey) {
        event.preventDefault();
        latest.current.open();
      } else if (key === 'enter') {
        // Ctrl+Enter runs the plan from anywhere, a text field included; with Shift, the failed cases again.
        event.preventDefault();
        latest.current[event.shiftKey ? 'rerun-failed' : 'run']();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [face]);
}

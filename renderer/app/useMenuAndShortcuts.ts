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
    if (face === undefined) return;
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      const key = event.key.toLowerCase();
      if (key === 'enter') {
        // Ctrl+Enter runs the plan from anywhere, a text field included; with Shift, the failed cases again. A form
        // with Ctrl+Enter of its own (the Quick probe) handles it first and prevents the default. The desktop menu
        // only shows these keys (registerAccelerator: false), so they reach the page there too.
        if (event.defaultPrevented) return;
        event.preventDefault();
        latest.current[event.shiftKey ? 'rerun-failed' : 'run']();
      } else if (face !== 'browser') {
        return; // the desktop app's menu has the other accelerators
      } else if (key === 's') {
        event.preventDefault();
        latest.current[event.shiftKey ? 'save-as' : 'save']();
      } else if (key === 'o' && !event.shiftKey) {
        event.preventDefault();
        latest.current.open();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [face]);
}

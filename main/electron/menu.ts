// The desktop app's menu as data: every action goes to the page, which runs the same code as its buttons.
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuAction } from '../../shared/ipc.js';

export function menuTemplate(
  send: (action: MenuAction) => void,
  recent: readonly string[],
  openRecent: (file: string) => void,
  platform = process.platform,
): MenuItemConstructorOptions[] {
  const item = (label: string, action: MenuAction, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => send(action),
  });
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      item('New Plan', 'new', 'CmdOrCtrl+N'),
      item('Open…', 'open', 'CmdOrCtrl+O'),
      {
        label: 'Open Recent',
        submenu: recent.length
          ? recent.map((path) => ({ label: path, click: () => openRecent(path) }))
          : [{ label: 'No recent plans', enabled: false }],
      },
      { type: 'separator' },
      item('Save', 'save', 'CmdOrCtrl+S'),
      item('Save As…', 'save-as', 'CmdOrCtrl+Shift+S'),
      { type: 'separator' },
      item('Export Report…', 'export', 'CmdOrCtrl+E'),
      { type: 'separator' },
      platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const run: MenuItemConstructorOptions = {
    label: 'Run',
    // Ctrl+Enter and Ctrl+Shift+Enter are shown but left to the page (useMenuAndShortcuts), so that a form with
    // Ctrl+Enter of its own (the Quick probe) keeps it; the earlier Ctrl+R stays a working, hidden accelerator.
    submenu: [
      { ...item('Run Plan', 'run', 'CmdOrCtrl+Enter'), registerAccelerator: false },
      { ...item('Run Plan', 'run', 'CmdOrCtrl+R'), visible: false, acceleratorWorksWhenHidden: true },
      { ...item('Re-run Failed Cases', 'rerun-failed', 'CmdOrCtrl+Shift+Enter'), registerAccelerator: false },
      item('Cancel Run', 'cancel', 'CmdOrCtrl+.'),
    ],
  };
  const template: MenuItemConstructorOptions[] = [
    file,
    { role: 'editMenu' },
    run,
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  if (platform === 'darwin') template.unshift({ role: 'appMenu' });
  return template;
}

// The desktop window's security settings (Electron's security checklist), as plain data and small functions so
// they are tested without Electron: isolation and sandbox on, Node off, nothing navigates, nothing opens, no
// permission is granted.
import type { BrowserWindowConstructorOptions, WebContents } from 'electron';
import { APP_ORIGIN } from './ipcWiring.js';

/**
 * Creates the app's window. The settings are written out here, where the window is made, so that reviewers and
 * electronegativity read them in one place; `BrowserWindow` is passed in to keep this file free of electron.
 */
export function createSecureWindow<T>(
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => T,
  preload: string,
): T {
  return new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'Relay Tester',
    show: false,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    },
  });
}

export const START_URL = `${APP_ORIGIN}/index.html`;

type ContentsLike = Pick<WebContents, 'on' | 'setWindowOpenHandler'> & {
  session: Pick<WebContents['session'], 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>;
};

/** Blocks navigation, new windows, webviews and every permission request for one window's contents. */
export function lockDown(contents: ContentsLike): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  contents.session.setPermissionCheckHandler(() => false);
}

// The Electron main process: the only module that imports electron at runtime. It wires the window, the app://
// protocol, the menu and IPC to the same service the browser host uses; everything else lives behind it.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, safeStorage, shell } from 'electron';
import { DESKTOP_CONTENT_SECURITY_POLICY } from '../../shared/contentSecurityPolicy.js';
import { createService, type Service } from '../api/service.js';
import { startAppLab, type AppLab } from '../lab/labLink.js';
import { FOLDER_MODE, writeJsonAtomic } from '../store/atomicFile.js';
import { projectRoot } from '../version.js';
import { registerIpc, sendEvent } from './ipcWiring.js';
import { menuTemplate } from './menu.js';
import { createDesktopPasswordStore } from './safeStoragePasswords.js';
import { createSecureWindow, lockDown, START_URL } from './windowPolicy.js';

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
app.enableSandbox();

const rendererRoot = path.join(projectRoot(), 'dist', 'renderer');
const preload = path.join(projectRoot(), 'dist', 'main', 'electron', 'preload.cjs');

/** Serves dist/renderer under app://relay-tester/ with the CSP, and nothing outside it. */
function serveRenderer(): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    let file: string;
    try {
      file = path.resolve(rendererRoot, decodeURIComponent(url.pathname).slice(1) || 'index.html');
    } catch {
      return new Response('malformed address', { status: 400 }); // a bad %-escape, as in GET /%
    }
    if (url.host !== 'relay-tester' || !file.startsWith(`${rendererRoot}${path.sep}`)) {
      return new Response('not found', { status: 404 });
    }
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', DESKTOP_CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

/** Prints report HTML with Electron's own Chromium, in a hidden window that runs no script. */
async function printPdf(html: string): Promise<Uint8Array> {
  const printer = new BrowserWindow({
    show: false,
    webPreferences: {
      javascript: false,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  try {
    await printer.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
    return await printer.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
  } finally {
    printer.destroy();
  }
}

async function loadRecent(file: string): Promise<string[]> {
  try {
    const recent: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
    return Array.isArray(recent)
      ? recent.filter((entry): entry is string => typeof entry === 'string').slice(0, 10)
      : [];
  } catch {
    return [];
  }
}

async function createWindow(): Promise<void> {
  const userData = app.getPath('userData');
  const workspace = path.join(app.getPath('documents'), 'Relay Tester');
  await fs.mkdir(workspace, { recursive: true, mode: FOLDER_MODE });
  const recentFile = path.join(userData, 'recent-plans.json');
  let recent = await loadRecent(recentFile);
  const window = createSecureWindow(BrowserWindow, preload);
  const contents = window.webContents;
  const passwords = await createDesktopPasswordStore(safeStorage, path.join(userData, 'passwords.json'));
  // The first start opens the demo plan against the built-in lab (secure preset), running beside the app.
  const lab: AppLab | undefined = await startAppLab('secure').catch((error: Error) => {
    console.error(`the built-in lab could not start: ${error.message}`);
    return undefined;
  });
  const refreshMenu = () =>
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        menuTemplate(
          (action) => sendEvent(contents, 'menu', action),
          recent,
          (file) => {
            service.grant(file);
            sendEvent(contents, 'openRecent', { path: file });
          },
        ),
      ),
    );
  const service: Service = createService({
    face: 'electron',
    workspace,
    passwords,
    lab: lab?.link,
    emit: (event, payload) => sendEvent(contents, event, payload),
    dialogs: {
      async openPlan() {
        const result = await dialog.showOpenDialog(window, {
          properties: ['openFile'],
          filters: [{ name: 'Relay Tester plans', extensions: ['json'] }],
        });
        return result.canceled ? undefined : result.filePaths[0];
      },
      async savePlan(suggestedName) {
        const result = await dialog.showSaveDialog(window, {
          defaultPath: path.join(workspace, suggestedName),
          filters: [{ name: 'Relay Tester plans', extensions: ['json'] }],
        });
        return result.canceled ? undefined : result.filePath;
      },
      async saveReport(suggestedName, format) {
        const filters = [
          format === 'pdf'
            ? { name: 'PDF report', extensions: ['pdf'] }
            : { name: 'HTML report', extensions: ['html'] },
        ];
        const result = await dialog.showSaveDialog(window, {
          defaultPath: path.join(workspace, suggestedName),
          filters,
        });
        return result.canceled ? undefined : result.filePath;
      },
    },
    printPdf,
    reveal: (file) => shell.showItemInFolder(file),
    onPlanFile(file) {
      recent = [file, ...recent.filter((entry) => entry !== file)].slice(0, 10);
      app.addRecentDocument(file);
      void writeJsonAtomic(recentFile, recent);
      refreshMenu();
    },
  });
  for (const file of recent) service.grant(file);
  const unregister = registerIpc(ipcMain, service.handlers);
  refreshMenu();
  // Unsaved changes: the page refuses to unload while dirty; ask the user before letting it go.
  contents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(window, {
      type: 'question',
      buttons: ['Discard changes', 'Keep editing'],
      defaultId: 1,
      cancelId: 1,
      message: 'The plan has unsaved changes.',
      detail: 'Close anyway and lose them?',
    });
    if (choice === 0) event.preventDefault();
  });
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    unregister();
    void service.close().then(() => lab?.stop());
  });
  await window.loadURL(START_URL);
}

app.on('web-contents-created', (_event, contents) => lockDown(contents));
app.on('window-all-closed', () => app.quit());
app
  .whenReady()
  .then(async () => {
    serveRenderer();
    await createWindow();
  })
  .catch((error: unknown) => {
    // Without a window there is nothing left to show: say why and end rather than linger invisibly.
    console.error(`Relay Tester could not start: ${error instanceof Error ? error.message : String(error)}`);
    app.exit(1);
  });

// The desktop glue without Electron: fakes of ipcMain, ipcRenderer and contextBridge stand in for the binary
// this build environment cannot download.
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES, EVENT_NAMES } from '../../shared/ipc.js';
import type { Handlers } from '../../main/api/dispatch.js';
import { registerIpc, isTrustedFrame } from '../../main/electron/ipcWiring.js';
import { menuTemplate } from '../../main/electron/menu.js';
import { createDesktopPasswordStore } from '../../main/electron/safeStoragePasswords.js';
import { createSecureWindow, lockDown } from '../../main/electron/windowPolicy.js';
import { temporaryFolder } from '../support/cli.js';
import { ROOT } from '../support/testbed.js';

const require = createRequire(import.meta.url);
// The preload is CommonJS (`export =`): this ESM test can name its type only through import().
// eslint-disable-next-line @typescript-eslint/consistent-type-imports
type Preload = typeof import('../../main/electron/preload.cjs');
const preload = require(path.join(ROOT, 'dist/main/electron/preload.cjs')) as Preload;
/** Electron's BrowserWindow options, read off createSecureWindow: only main/electron imports electron. */
type WindowOptions = ConstructorParameters<Parameters<typeof createSecureWindow>[0]>[0];

function fakeIpcMain() {
  const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>();
  return {
    handlers,
    handle: (channel: string, listener: (event: unknown, payload: unknown) => Promise<unknown>) =>
      void handlers.set(channel, listener),
    removeHandler: (channel: string) => void handlers.delete(channel),
  };
}

const trusted = { senderFrame: { url: 'app://relay-tester/index.html' } };

describe('ipcMain wiring', () => {
  const calls: unknown[] = [];
  const handlers = Object.fromEntries(
    COMMAND_NAMES.map((name) => [name, async (request: unknown) => (calls.push([name, request]), { handled: name })]),
  ) as unknown as Handlers;

  it('registers one handler per command and removes them again', () => {
    const ipcMain = fakeIpcMain();
    const unregister = registerIpc(ipcMain as never, handlers);
    expect([...ipcMain.handlers.keys()].sort()).toEqual(COMMAND_NAMES.map((name) => `relay-tester:${name}`).sort());
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('passes a valid message from the app page to the service', async () => {
    const ipcMain = fakeIpcMain();
    registerIpc(ipcMain as never, handlers);
    const result = await ipcMain.handlers.get('relay-tester:cancelRun')!(trusted, { runId: 'r1' });
    expect(result).toEqual({ ok: true, result: { handled: 'cancelRun' } });
  });

  it('refuses an invalid message before the service sees it', async () => {
    const ipcMain = fakeIpcMain();
    registerIpc(ipcMain as never, handlers);
    calls.length = 0;
    const result = await ipcMain.handlers.get('relay-tester:setPassword')!(trusted, {
      account: 'alice',
      password: 7,
      extra: true,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    const unknownField = await ipcMain.handlers.get('relay-tester:loadRun')!(trusted, { file: 'a.json', evil: 1 });
    expect(unknownField).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(calls).toEqual([]);
  });

  it('refuses messages from any other page or frame', async () => {
    const ipcMain = fakeIpcMain();
    registerIpc(ipcMain as never, handlers);
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://other/index.html', 'not a url']) {
      const result = await ipcMain.handlers.get('relay-tester:getAppInfo')!({ senderFrame: { url } }, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(isTrustedFrame(null)).toBe(false);
  });
});

describe('the preload', () => {
  function fakeIpcRenderer() {
    const listeners = new Map<string, Set<(event: unknown, payload: unknown) => void>>();
    return {
      listeners,
      invoke: vi.fn(async (channel: string, request: unknown) =>
        channel.endsWith('loadRun')
          ? { ok: false, error: { code: 'not-found', message: 'no such run' } }
          : { ok: true, result: { channel, request } },
      ),
      on: (channel: string, listener: (event: unknown, payload: unknown) => void) => {
        listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener));
      },
      removeListener: (channel: string, listener: (event: unknown, payload: unknown) => void) => {
        listeners.get(channel)?.delete(listener);
      },
    };
  }

  it('exposes one named method per command and nothing generic', () => {
    const exposed: Record<string, unknown> = {};
    preload.exposeApi(
      { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
      fakeIpcRenderer() as never,
    );
    const api = exposed.relayTester as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...COMMAND_NAMES, 'on'].sort());
    expect(api).not.toHaveProperty('invoke');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('unwraps results and turns errors into exceptions', async () => {
    const ipc = fakeIpcRenderer();
    const api = preload.buildApi(ipc as never);
    await expect(api.cancelRun({ runId: 'x' })).resolves.toEqual({
      channel: 'relay-tester:cancelRun',
      request: { runId: 'x' },
    });
    await expect(api.loadRun({ file: 'x.json' })).rejects.toThrow('no such run');
  });

  it('on() delivers the payload without the Electron event and returns its unsubscribe', () => {
    const ipc = fakeIpcRenderer();
    const api = preload.buildApi(ipc as never);
    const received: unknown[] = [];
    const unsubscribe = api.on('menu', (action) => received.push(action));
    for (const listener of ipc.listeners.get('relay-tester:event:menu')!) listener({ sender: 'secret' }, 'run');
    expect(received).toEqual(['run']);
    unsubscribe();
    expect(ipc.listeners.get('relay-tester:event:menu')!.size).toBe(0);
    expect(() => api.on('nonsense' as never, () => {})).toThrow(/unknown event/);
  });

  it('forwards every event of the contract, the quick probe’s progress among them', () => {
    const ipc = fakeIpcRenderer();
    const api = preload.buildApi(ipc as never);
    expect(EVENT_NAMES).toContain('probeProgress');
    for (const event of EVENT_NAMES) {
      const received: unknown[] = [];
      api.on(event, (payload) => received.push(payload));
      for (const listener of ipc.listeners.get(`relay-tester:event:${event}`)!) listener({}, [event]);
      expect(received).toEqual([[event]]);
    }
  });
});

describe('the window', () => {
  it('runs the page isolated and sandboxed, without Node', () => {
    class FakeWindow {
      constructor(readonly options: WindowOptions) {}
    }
    const preferences = createSecureWindow(FakeWindow, '/x/preload.cjs').options.webPreferences!;
    expect(preferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    });
  });

  it('blocks navigation, new windows, webviews and permission requests', () => {
    const events = new Map<string, (event: { preventDefault: () => void }) => void>();
    let openHandler: (() => { action: string }) | undefined;
    let permission: ((contents: unknown, name: string, callback: (granted: boolean) => void) => void) | undefined;
    let check: (() => boolean) | undefined;
    lockDown({
      on: ((name: string, listener: (event: { preventDefault: () => void }) => void) =>
        events.set(name, listener)) as never,
      setWindowOpenHandler: ((handler: () => { action: string }) => (openHandler = handler)) as never,
      session: {
        setPermissionRequestHandler: ((handler: typeof permission) => (permission = handler)) as never,
        setPermissionCheckHandler: ((handler: typeof check) => (check = handler)) as never,
      },
    });
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const preventDefault = vi.fn();
      events.get(name)!({ preventDefault });
      expect(preventDefault).toHaveBeenCalled();
    }
    expect(openHandler!()).toEqual({ action: 'deny' });
    const granted = vi.fn();
    permission!(null, 'clipboard-read', granted);
    expect(granted).toHaveBeenCalledWith(false);
    expect(check!()).toBe(false);
  });

  it('has the menu the issue asks for', () => {
    const labels = JSON.stringify(
      menuTemplate(
        () => {},
        ['/plans/a.json'],
        () => {},
        'linux',
      ),
    );
    for (const label of [
      'New Plan',
      'Open…',
      'Open Recent',
      '/plans/a.json',
      'Save',
      'Save As…',
      'Run Plan',
      'Cancel Run',
      'Export Report…',
    ]) {
      expect(labels).toContain(label);
    }
  });
});

describe('passwords in the desktop app', () => {
  const fakeSafeStorage = (backend: string) => ({
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => backend,
    encryptString: (text: string) => Buffer.from(`enc:${Buffer.from(text).toString('hex')}`),
    decryptString: (data: Buffer) => Buffer.from(data.toString().slice(4), 'hex').toString(),
  });

  it('with only the basic_text backend, keeps passwords in memory and says so', async () => {
    if (process.platform !== 'linux') return;
    const folder = await temporaryFolder();
    const file = path.join(folder, 'passwords.json');
    const store = await createDesktopPasswordStore(fakeSafeStorage('basic_text'), file);
    await store.set('alice', 'Canary-Password-1', ['mail.corp.test:587']);
    expect(store.storage.kind).toBe('memory');
    expect(store.storage.note).toMatch(/in memory for this session/);
    await expect(fs.access(file)).rejects.toThrow();
  });

  it('with a real keyring, persists only ciphertext, with the servers each password is bound to, readable by the user alone', async () => {
    const folder = await temporaryFolder();
    const file = path.join(folder, 'passwords.json');
    const store = await createDesktopPasswordStore(fakeSafeStorage('gnome_libsecret'), file);
    await store.set('alice', 'Canary-Password-1', ['mail.corp.test:587']);
    await store.set('bob', 'Canary-Password-2', ['127.0.0.1:2525']);
    expect(await store.bind('bob', ['127.0.0.1:2525', '[::1]:25'])).toBe(true);
    expect(await store.bind('zoe', ['127.0.0.1:2525'])).toBe(false);
    const text = await fs.readFile(file, 'utf8');
    expect(text).not.toContain('Canary-Password-1');
    expect(text).not.toContain('mail.corp.test'); // the binding is encrypted with the password
    expect((await fs.stat(file)).mode & 0o077).toBe(0);
    const reopened = await createDesktopPasswordStore(fakeSafeStorage('gnome_libsecret'), file);
    expect(reopened.get('alice')).toEqual({ password: 'Canary-Password-1', servers: ['mail.corp.test:587'] });
    expect(reopened.get('bob')).toEqual({ password: 'Canary-Password-2', servers: ['127.0.0.1:2525', '[::1]:25'] });
    await reopened.forget('alice');
    const again = await createDesktopPasswordStore(fakeSafeStorage('gnome_libsecret'), file);
    expect(again.known()).toEqual(['bob']);
  });

  it('keeps a password saved before bindings existed bound to no server, so its first use asks', async () => {
    const folder = await temporaryFolder();
    const file = path.join(folder, 'passwords.json');
    const safeStorage = fakeSafeStorage('gnome_libsecret');
    await fs.writeFile(
      file,
      JSON.stringify({ alice: safeStorage.encryptString('Canary-Password-1').toString('base64') }),
      { mode: 0o600 },
    );
    const store = await createDesktopPasswordStore(safeStorage, file);
    expect(store.get('alice')).toEqual({ password: 'Canary-Password-1', servers: [] });
  });
});

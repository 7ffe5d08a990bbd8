// The preload: the renderer's only door to the core. It exposes a small named API (one method per command of
// shared/ipc.ts, plus `on` that returns its unsubscribe) through contextBridge. Sandboxed preloads cannot load
// local modules, so this file stands alone; the list below is checked against the contract at compile time.
import type { ContextBridge, IpcRenderer, IpcRendererEvent } from 'electron';
import type { CommandName, EventName, RelayTesterApi } from '../../shared/ipc.js';

const CHANNEL_PREFIX = 'relay-tester:';

const COMMANDS = [
  'getAppInfo',
  'newPlan',
  'listPlans',
  'openPlan',
  'importPlan',
  'savePlan',
  'inspectPlan',
  'setPassword',
  'bindPassword',
  'forgetPassword',
  'passwordStatus',
  'startRun',
  'cancelRun',
  'startProbe',
  'cancelProbe',
  'listRuns',
  'loadRun',
  'compareRuns',
  'deleteRun',
  'labelRun',
  'exportReport',
  'fetchHostKey',
  'downloadReport',
  'revealFile',
] as const satisfies readonly CommandName[];
// Compile-time check that the list above names every command of the contract.
type Missing = Exclude<CommandName, (typeof COMMANDS)[number]>;
const everyCommand: Missing extends never ? true : Missing = true;
void everyCommand;

const EVENTS = ['runProgress', 'probeProgress', 'menu', 'openRecent'] as const satisfies readonly EventName[];

type Result = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } };

function buildApi(ipcRenderer: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): RelayTesterApi {
  const api: Record<string, unknown> = {};
  for (const command of COMMANDS) {
    api[command] = async (request: unknown) => {
      const result = (await ipcRenderer.invoke(`${CHANNEL_PREFIX}${command}`, request ?? {})) as Result;
      if (!result.ok) throw new Error(result.error.message);
      return result.result;
    };
  }
  api.on = (event: EventName, listener: (payload: unknown) => void) => {
    if (!(EVENTS as readonly string[]).includes(event)) throw new Error(`unknown event ${String(event)}`);
    const channel = `${CHANNEL_PREFIX}event:${event}`;
    // The Electron event object (with its sender) never reaches the page.
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  };
  return Object.freeze(api) as RelayTesterApi;
}

function exposeApi(
  contextBridge: Pick<ContextBridge, 'exposeInMainWorld'>,
  ipcRenderer: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>,
): void {
  contextBridge.exposeInMainWorld('relayTester', buildApi(ipcRenderer));
}

if (process.versions.electron) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const electron = require('electron') as { contextBridge: ContextBridge; ipcRenderer: IpcRenderer };
  exposeApi(electron.contextBridge, electron.ipcRenderer);
}

export = { buildApi, exposeApi };

// The desktop app's half of the IPC contract: one ipcMain handler per command, each refusing any sender that is
// not the app's own page and validating the payload before the service sees it. No runtime import of electron,
// so it is tested with a fake ipcMain.
import type { IpcMain, IpcMainInvokeEvent, WebFrameMain } from 'electron';
import { COMMAND_NAMES, type EventName, type EventPayloads } from '../../shared/ipc.js';
import { dispatch, type DispatchResult, type Handlers } from '../api/dispatch.js';

export const CHANNEL_PREFIX = 'relay-tester:';
export const APP_ORIGIN = 'app://relay-tester';

/** Only the app's own top-level page may call the service (Electron security checklist: validate the sender). */
export function isTrustedFrame(frame: Pick<WebFrameMain, 'url'> | null | undefined): boolean {
  if (!frame) return false;
  try {
    const url = new URL(frame.url);
    return `${url.protocol}//${url.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

export type IpcMainLike = Pick<IpcMain, 'handle' | 'removeHandler'>;

export function registerIpc(ipcMain: IpcMainLike, handlers: Handlers): () => void {
  for (const command of COMMAND_NAMES) {
    ipcMain.handle(
      `${CHANNEL_PREFIX}${command}`,
      async (event: IpcMainInvokeEvent, payload: unknown): Promise<DispatchResult> => {
        if (!isTrustedFrame(event.senderFrame)) {
          return {
            ok: false,
            error: { code: 'forbidden', message: `${command}: refused a message from an untrusted sender` },
          };
        }
        return dispatch(handlers, command, payload);
      },
    );
  }
  return () => {
    for (const command of COMMAND_NAMES) ipcMain.removeHandler(`${CHANNEL_PREFIX}${command}`);
  };
}

export interface WebContentsLike {
  send(channel: string, payload: unknown): void;
  isDestroyed(): boolean;
}

export function sendEvent<E extends EventName>(contents: WebContentsLike, event: E, payload: EventPayloads[E]): void {
  if (!contents.isDestroyed()) contents.send(`${CHANNEL_PREFIX}event:${event}`, payload);
}

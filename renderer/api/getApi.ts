// Which face the renderer runs in: the Electron preload exposes `window.relayTester`; in a browser the same API
// comes over the host's WebSocket, which admits this page by its HttpOnly session cookie (the page never sees it).
import type { RelayTesterApi } from '../../shared/ipc.js';
import { createSocketApi, type ConnectionMonitor } from './socketApi.js';

declare global {
  interface Window {
    /** Set by the Electron preload through contextBridge. */
    relayTester?: RelayTesterApi;
  }
}

export interface ApiConnection {
  api: RelayTesterApi;
  /** Only the WebSocket transport can drop; Electron IPC lives as long as the window. */
  connection?: ConnectionMonitor;
}

/** The host's WebSocket address for a page served by it; the browser adds the session cookie itself. */
export function socketUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/api`;
}

let connected: ApiConnection | undefined;

export function connectApi(): ApiConnection {
  if (connected) return connected;
  if (window.relayTester) {
    connected = { api: window.relayTester };
  } else {
    const socket = createSocketApi(socketUrl(window.location));
    connected = { api: socket.api, connection: socket.connection };
  }
  return connected;
}

export function getApi(): RelayTesterApi {
  return connectApi().api;
}

// Which face the renderer runs in: the Electron preload exposes `window.relayTester`; in a browser the same API
// comes over the host's WebSocket, with the per-launch token from the page address.
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

/** The token from `?token=…` or `#token=…` of the page address. */
export function tokenFrom(location: Pick<Location, 'search' | 'hash'>): string | undefined {
  const fromQuery = new URLSearchParams(location.search).get('token');
  if (fromQuery) return fromQuery;
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  return fromHash ?? undefined;
}

/** The host's WebSocket address for a page served by it. */
export function socketUrl(location: Pick<Location, 'protocol' | 'host' | 'search' | 'hash'>): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const token = tokenFrom(location) ?? '';
  return `${scheme}://${location.host}/api?token=${encodeURIComponent(token)}`;
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

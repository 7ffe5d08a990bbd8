// The RelayTesterApi over the browser host's WebSocket, in the Envelope format of shared/ipc.ts: each command is a
// request with an id answered by one response; runProgress and menu arrive as events. No reconnect: when the
// connection drops, pending calls fail and the UI says so (the host's session is per launch anyway).
import {
  COMMAND_NAMES,
  EVENT_NAMES,
  type ApiError,
  type CommandName,
  type Envelope,
  type EventName,
  type EventPayloads,
  type RelayTesterApi,
} from '../../shared/ipc.js';

export type ConnectionState = { state: 'connecting' } | { state: 'open' } | { state: 'closed'; reason: string };

/** What a transport can say about itself; the Electron preload has no such thing. */
export interface ConnectionMonitor {
  current(): ConnectionState;
  onChange(listener: (state: ConnectionState) => void): () => void;
}

/** A command refused or failed on the other side; `code` is the ApiError code. */
export class ApiCallError extends Error {
  readonly code: ApiError['code'] | 'disconnected';

  constructor(code: ApiError['code'] | 'disconnected', message: string) {
    super(message);
    this.name = 'ApiCallError';
    this.code = code;
  }
}

/** The part of the DOM WebSocket this client uses, so tests can hand it a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
}

export interface SocketApi {
  api: RelayTesterApi;
  connection: ConnectionMonitor;
  close(): void;
}

const OPEN = 1;

interface Pending {
  command: CommandName;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function createSocketApi(
  url: string,
  openSocket: (url: string) => SocketLike = (to) => new WebSocket(to),
): SocketApi {
  const socket = openSocket(url);
  const pending = new Map<number, Pending>();
  const queued: string[] = [];
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = { state: 'connecting' };
  let nextId = 1;

  function setState(next: ConnectionState): void {
    state = next;
    for (const listener of stateListeners) listener(next);
  }

  function failAll(message: string): void {
    for (const [id, call] of pending) {
      pending.delete(id);
      call.reject(new ApiCallError('disconnected', `${call.command}: ${message}`));
    }
  }

  socket.onopen = () => {
    setState({ state: 'open' });
    for (const message of queued.splice(0)) socket.send(message);
  };
  socket.onclose = (event) => {
    const reason =
      state.state === 'connecting'
        ? 'could not connect to Relay Tester (is `relay-tester ui` still running, and was this page opened from the address it printed?)'
        : `the connection to Relay Tester was closed${event.reason ? ` (${event.reason})` : ''}`;
    setState({ state: 'closed', reason });
    queued.length = 0;
    failAll(reason);
  };
  socket.onerror = () => {
    // The close event that always follows carries the news.
  };
  socket.onmessage = (event) => {
    let envelope: unknown;
    try {
      envelope = JSON.parse(String(event.data));
    } catch {
      return;
    }
    if (!isRecord(envelope)) return;
    if (envelope.kind === 'response' && typeof envelope.id === 'number') {
      const call = pending.get(envelope.id);
      if (!call) return;
      pending.delete(envelope.id);
      const response = envelope as Extract<Envelope, { kind: 'response' }>;
      if (response.ok) call.resolve(response.result);
      else {
        const error: Record<string, unknown> = isRecord(response.error) ? response.error : {};
        const code = typeof error.code === 'string' ? (error.code as ApiError['code']) : 'failed';
        const message = typeof error.message === 'string' ? error.message : `${call.command} failed`;
        call.reject(new ApiCallError(code, message));
      }
    } else if (envelope.kind === 'event' && EVENT_NAMES.includes(envelope.event as EventName)) {
      for (const listener of listeners.get(envelope.event as EventName) ?? []) listener(envelope.payload as never);
    }
  };

  function call(command: CommandName, payload: unknown): Promise<unknown> {
    if (state.state === 'closed')
      return Promise.reject(new ApiCallError('disconnected', `${command}: ${state.reason}`));
    const id = nextId++;
    const message = JSON.stringify({ kind: 'request', id, command, payload: payload ?? {} } satisfies Envelope);
    return new Promise((resolve, reject) => {
      pending.set(id, { command, resolve, reject });
      if (socket.readyState === OPEN) socket.send(message);
      else queued.push(message);
    });
  }

  const commands = Object.fromEntries(COMMAND_NAMES.map((name) => [name, (payload: unknown) => call(name, payload)]));
  const api = {
    ...commands,
    on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  } as RelayTesterApi;

  return {
    api,
    connection: {
      current: () => state,
      onChange(listener) {
        stateListeners.add(listener);
        return () => stateListeners.delete(listener);
      },
    },
    close() {
      socket.close(1000, 'closed by the page');
    },
  };
}

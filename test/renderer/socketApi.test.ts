// The browser's RelayTesterApi over the host's WebSocket (Envelope format of shared/ipc.ts), against a fake socket.
import { describe, expect, it } from 'vitest';
import { socketUrl } from '../../renderer/api/getApi.js';
import { ApiCallError, createSocketApi, type SocketLike } from '../../renderer/api/socketApi.js';
import type { Envelope } from '../../shared/ipc.js';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: Envelope[] = [];
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.drop('');
  }
  open() {
    this.readyState = 1;
    this.onopen?.({} as Event);
  }
  receive(envelope: Envelope | string) {
    this.onmessage?.({ data: typeof envelope === 'string' ? envelope : JSON.stringify(envelope) } as MessageEvent);
  }
  drop(reason: string) {
    this.readyState = 3;
    this.onclose?.({ code: 1006, reason } as CloseEvent);
  }
}

function connect() {
  const socket = new FakeSocket();
  let url = '';
  const client = createSocketApi('ws://127.0.0.1:4000/api', (to) => {
    url = to;
    return socket;
  });
  return { socket, client, url: () => url };
}

describe('the WebSocket client', () => {
  it('connects to the host that served the page, with no secret in the address (the cookie goes by itself)', () => {
    expect(socketUrl({ protocol: 'http:', host: '127.0.0.1:4000' })).toBe('ws://127.0.0.1:4000/api');
    expect(socketUrl({ protocol: 'http:', host: 'localhost:4000' })).toBe('ws://localhost:4000/api');
  });

  it('sends requests with ids once open and resolves each with its response', async () => {
    const { socket, client } = connect();
    const info = client.api.getAppInfo({});
    const plans = client.api.listPlans({});
    expect(socket.sent).toHaveLength(0);
    socket.open();
    expect(socket.sent).toEqual([
      { kind: 'request', id: 1, command: 'getAppInfo', payload: {} },
      { kind: 'request', id: 2, command: 'listPlans', payload: {} },
    ]);
    socket.receive({ kind: 'response', id: 2, ok: true, result: [{ path: '/w/a.json', name: 'A' }] });
    socket.receive({ kind: 'response', id: 1, ok: true, result: { version: '1' } });
    await expect(plans).resolves.toEqual([{ path: '/w/a.json', name: 'A' }]);
    await expect(info).resolves.toEqual({ version: '1' });
  });

  it('rejects with the ApiError code and message', async () => {
    const { socket, client } = connect();
    socket.open();
    const saving = client.api.savePlan({ plan: {} });
    socket.receive({
      kind: 'response',
      id: 1,
      ok: false,
      error: { code: 'forbidden', message: '/etc/x.json is outside the workspace' },
    });
    await expect(saving).rejects.toMatchObject({ code: 'forbidden', message: '/etc/x.json is outside the workspace' });
  });

  it('delivers events to subscribers until they unsubscribe, and ignores junk', () => {
    const { socket, client } = connect();
    socket.open();
    const seen: unknown[] = [];
    const stop = client.api.on('menu', (action) => seen.push(action));
    socket.receive({ kind: 'event', event: 'menu', payload: 'run' });
    socket.receive('not json');
    socket.receive({ kind: 'event', event: 'nonsense' as never, payload: 1 });
    stop();
    socket.receive({ kind: 'event', event: 'menu', payload: 'save' });
    expect(seen).toEqual(['run']);
  });

  it('fails pending calls and reports the state when the connection drops', async () => {
    const { socket, client } = connect();
    const states: string[] = [];
    client.connection.onChange((state) => states.push(state.state));
    socket.open();
    const pending = client.api.startRun({ plan: {} });
    socket.drop('host stopped');
    await expect(pending).rejects.toBeInstanceOf(ApiCallError);
    await expect(pending).rejects.toMatchObject({ code: 'disconnected' });
    expect(states).toEqual(['open', 'closed']);
    const state = client.connection.current();
    expect(state.state === 'closed' && state.reason).toContain('host stopped');
    await expect(client.api.listPlans({})).rejects.toMatchObject({ code: 'disconnected' });
  });

  it('says it could not connect when the socket never opened', () => {
    const { socket, client } = connect();
    socket.drop('');
    const state = client.connection.current();
    expect(state.state === 'closed' && state.reason).toMatch(/could not connect/);
  });
});

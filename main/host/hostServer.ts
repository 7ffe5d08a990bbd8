// The browser host: the renderer served over HTTP on 127.0.0.1 and the service over a WebSocket, guarded by a
// random per-launch token and by Host and Origin checks (so neither another site nor DNS rebinding reaches it).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Envelope, EventName, EventPayloads } from '../../shared/ipc.js';
import { dispatch, type Handlers } from '../api/dispatch.js';
import { securityHeaders, serveStatic } from './staticFiles.js';

export interface HostOptions {
  port: number;
  /** Folder of the built renderer (dist/renderer). */
  rendererRoot: string;
  token?: string;
}

export interface Host {
  url: string;
  port: number;
  token: string;
  attach(handlers: Handlers): void;
  broadcast<E extends EventName>(event: E, payload: EventPayloads[E]): void;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startHost(options: HostOptions): Promise<Host> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const root = path.resolve(options.rendererRoot);
  let handlers: Handlers | undefined;
  const server = http.createServer((request, response) => {
    if (!hostAllowed(request.headers.host)) {
      response.writeHead(421, securityHeaders()).end('misdirected request');
      return;
    }
    void serveStatic(root, request, response);
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  let port = 0;
  const hostAllowed = (host: string | undefined) => host === `127.0.0.1:${port}` || host === `localhost:${port}`;

  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://host');
    const origin = request.headers.origin;
    const originAllowed = origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
    if (url.pathname !== '/api' || !hostAllowed(request.headers.host) || !originAllowed || !sameToken(url.searchParams.get('token'), token)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (client) => sockets.emit('connection', client));
  });

  sockets.on('connection', (client: WebSocket) => {
    client.on('message', async (data) => {
      let envelope: Partial<Extract<Envelope, { kind: 'request' }>>;
      try {
        envelope = JSON.parse(String(data));
      } catch {
        client.close(1003, 'not JSON');
        return;
      }
      if (envelope?.kind !== 'request' || !Number.isSafeInteger(envelope.id)) {
        client.close(1003, 'not a request');
        return;
      }
      const result = handlers
        ? await dispatch(handlers, envelope.command, envelope.payload)
        : { ok: false as const, error: { code: 'failed' as const, message: 'the service is starting' } };
      if (client.readyState === client.OPEN) client.send(JSON.stringify({ kind: 'response', id: envelope.id, ...result }));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: options.port }, resolve);
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    attach(next) {
      handlers = next;
    },
    broadcast(event, payload) {
      const message = JSON.stringify({ kind: 'event', event, payload } satisfies Envelope);
      for (const client of sockets.clients) if (client.readyState === client.OPEN) client.send(message);
    },
    async close() {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// The browser host: the renderer served over HTTP on 127.0.0.1 and the service over a WebSocket. Only the page
// that spent the launch's one-time code holds the session cookie the WebSocket demands; Host and Origin checks
// keep other sites and DNS rebinding out. Every request gets an answer and no handler's failure ends the process:
// the lab and unsaved runs live in it.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Envelope, EventName, EventPayloads } from '../../shared/ipc.js';
import { makeVisible } from '../../shared/text.js';
import { dispatch, type Handlers } from '../api/dispatch.js';
import { peerIsSameUser } from './peerUser.js';
import { createSessionGate } from './sessionGate.js';
import { securityHeaders, serveStatic } from './staticFiles.js';
import { errorMessage } from '../../shared/errorMessage.js';

export interface HostOptions {
  port: number;
  /** Folder of the built renderer (dist/renderer). */
  rendererRoot: string;
  /** Where the host reports what it refused or what failed (default: stderr). */
  log?: (line: string) => void;
}

export interface Host {
  /** The address to open: it carries the one-time code, which works once. */
  url: string;
  port: number;
  attach(handlers: Handlers): void;
  broadcast<E extends EventName>(event: E, payload: EventPayloads[E]): void;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

const USED_CODE_PAGE = `<!doctype html><meta charset="utf-8"><title>Relay Tester</title>
<h1>This address has already been used</h1>
<p>The code in a Relay Tester address works once, to sign in the first browser that opens it. If you did not open
it before, another program may have: stop <code>relay-tester ui</code> (Ctrl+C) and start it again.</p>`;

/** The request target as a URL, or undefined for one that does not parse (e.g. `GET http://[`). */
function parseRequestUrl(target: string | undefined): URL | undefined {
  try {
    return new URL(target ?? '/', 'http://host');
  } catch {
    return undefined;
  }
}

export async function startHost(options: HostOptions): Promise<Host> {
  const root = path.resolve(options.rendererRoot);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let handlers: Handlers | undefined;
  let port = 0;
  const hostAllowed = (host: string | undefined) => host === `127.0.0.1:${port}` || host === `localhost:${port}`;

  async function answer(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const host = request.headers.host;
    if (!hostAllowed(host)) {
      response.writeHead(421, securityHeaders()).end('misdirected request');
      return;
    }
    const socketOrigin = `ws://${host}`;
    const url = parseRequestUrl(request.url);
    if (!url) {
      response.writeHead(400, securityHeaders(socketOrigin)).end('malformed address');
      return;
    }
    // Only a GET spends the code: a HEAD (a link preview, a prefetch check) must not sign anyone in.
    if (url.pathname === '/' && url.searchParams.has('code') && request.method === 'GET') {
      // Another user on this machine may have read the code from the browser's arguments before it was spent.
      if (!(await peerIsSameUser(request.socket))) {
        log('relay-tester ui: refused the sign-in address from a process of another user on this machine');
        response.writeHead(403, securityHeaders(socketOrigin)).end('forbidden');
        return;
      }
      // The browser that spent the code may open the address again (a second click on the printed link).
      if (gate.admits(request.headers.cookie)) {
        response.writeHead(303, { ...securityHeaders(socketOrigin), Location: '/' }).end();
        return;
      }
      const cookie = gate.exchange(url.searchParams.get('code'));
      if (!cookie) {
        log('relay-tester ui: refused the sign-in address: its code was used before, or is wrong');
        response
          .writeHead(403, { ...securityHeaders(socketOrigin), 'Content-Type': 'text/html; charset=utf-8' })
          .end(USED_CODE_PAGE);
        return;
      }
      // The code leaves the address bar and the history at once: the page itself lives at "/".
      response.writeHead(303, { ...securityHeaders(socketOrigin), Location: '/', 'Set-Cookie': cookie }).end();
      return;
    }
    await serveStatic(root, request, response, socketOrigin);
  }

  function failed(response: http.ServerResponse, what: string, error: unknown): void {
    log(`relay-tester ui: ${makeVisible(what)} failed: ${makeVisible(errorMessage(error))}`);
    if (!response.headersSent) response.writeHead(500, securityHeaders()).end('internal error');
    else response.destroy();
  }

  const server = http.createServer((request, response) => {
    answer(request, response).catch((error: unknown) => failed(response, `${request.method} ${request.url}`, error));
  });
  // A client that resets or speaks garbage: answer 400 when still possible, never let it end the process.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  async function upgrade(request: http.IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    const url = parseRequestUrl(request.url);
    const host = request.headers.host;
    const origin = request.headers.origin;
    // A browser always sends Origin; it must be this host's own page, under the name the page was loaded by.
    const admitted =
      url?.pathname === '/api' &&
      hostAllowed(host) &&
      origin === `http://${host}` &&
      gate.admits(request.headers.cookie) &&
      (await peerIsSameUser(socket));
    if (!admitted) {
      log(`relay-tester ui: refused a WebSocket from origin ${makeVisible(String(origin))}`);
      if (socket.writable) socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    if (socket.destroyed) return;
    sockets.handleUpgrade(request, socket, head, (client) => sockets.emit('connection', client));
  }

  server.on('upgrade', (request: http.IncomingMessage, socket: Socket, head: Buffer) => {
    upgrade(request, socket, head).catch((error: Error) => {
      log(`relay-tester ui: a WebSocket upgrade failed: ${makeVisible(error.message)}`);
      socket.destroy();
    });
  });

  async function onMessage(client: WebSocket, data: unknown): Promise<void> {
    let envelope: Partial<Extract<Envelope, { kind: 'request' }>> | null;
    try {
      envelope = JSON.parse(String(data)) as typeof envelope;
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
    if (client.readyState === client.OPEN)
      client.send(JSON.stringify({ kind: 'response', id: envelope.id, ...result }));
  }

  sockets.on('connection', (client: WebSocket) => {
    // ws reports invalid frames (bad opcode, unmasked, too large) as an 'error' event, then closes; unheard, that
    // event would throw and end the process.
    client.on('error', (error) => log(`relay-tester ui: closed a WebSocket: ${makeVisible(error.message)}`));
    client.on('message', (data) => {
      onMessage(client, data).catch((error: Error) => {
        log(`relay-tester ui: a request failed: ${makeVisible(error.message)}`);
        if (client.readyState === client.OPEN) client.close(1011, 'internal error');
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: options.port }, resolve);
  });
  port = (server.address() as AddressInfo).port;
  const gate = createSessionGate(port);
  server.on('error', (error) => log(`relay-tester ui: ${makeVisible(error.message)}`));

  return {
    url: `http://127.0.0.1:${port}/?code=${gate.code}`,
    port,
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

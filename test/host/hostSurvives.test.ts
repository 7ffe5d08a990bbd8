// Finding 2 of issue 10: one request (`GET /%`) ended the whole `relay-tester ui` process, and with it the lab
// and any unsaved run; a web page could send it with <img src="http://127.0.0.1:PORT/%">. Here the real CLI
// takes that request, then a few thousand random requests, headers and WebSocket frames, and must still answer.
import { promises as fs } from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startCli, temporaryFolder, UI_ADDRESS, type RunningProcess } from '../support/cli.js';

let folder: string;
let cli: RunningProcess | undefined;
let port: number;
let cookie: string;

beforeAll(async () => {
  folder = await temporaryFolder();
  cli = startCli(['ui', '--no-open', '--no-lab', '--port', '0', '--dir', folder]);
  const address = await cli.waitFor(UI_ADDRESS);
  port = Number(new URL(address).port);
  const signIn = await fetch(address, { redirect: 'manual' });
  cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
}, 60_000);

afterAll(async () => {
  await cli?.stop();
  await fs.rm(folder, { recursive: true, force: true });
});

/** Sends raw bytes on a fresh connection; resolves with what came back when the host closes it (or after 2 s). */
function raw(bytes: Buffer | string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(done, 2_000);
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('close', done);
    socket.on('error', done);
    socket.end(bytes);
  });
}

function statusOf(answer: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
}

/** The host is alive and serves: the process runs, the page loads and the signed-in WebSocket answers. */
async function stillServes(): Promise<void> {
  expect(cli!.child.exitCode).toBeNull();
  expect(cli!.child.signalCode).toBeNull();
  expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
  const face = await new Promise<string>((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api`, {
      origin: `http://127.0.0.1:${port}`,
      headers: { cookie },
    });
    socket.once('open', () =>
      socket.send(JSON.stringify({ kind: 'request', id: 1, command: 'getAppInfo', payload: {} })),
    );
    socket.once('message', (data) => {
      resolve(JSON.parse((data as Buffer).toString('utf8')).result.face); // ws hands text frames over as a Buffer
      socket.close();
    });
    socket.once('error', reject);
  });
  expect(face).toBe('browser');
}

// A small seeded generator, so a failing fuzz run can be repeated with the seed it prints.
function generator(seed: number): {
  int(limit: number): number;
  pick<T>(items: readonly T[]): T;
  bytes(length: number): Buffer;
} {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  return {
    int: (limit) => Math.floor(next() * limit),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    bytes: (length) => Buffer.from(Array.from({ length }, () => Math.floor(next() * 256))),
  };
}

const PATH_PIECES = [
  '/',
  '%',
  '%zz',
  '%00',
  '%2e%2e',
  '..',
  '/api',
  '?code=',
  '?code=x',
  '#',
  '\\',
  '//',
  '%c0%af',
  'ä',
  '\u0000',
  ' ',
  '*',
  'http://[',
  'index.html',
  '%%',
  '?',
];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE', 'PATCH', 'BREW', ''];
const HEADER_NAMES = [
  'Host',
  'Origin',
  'Cookie',
  'Upgrade',
  'Connection',
  'Content-Length',
  'Transfer-Encoding',
  'Sec-WebSocket-Key',
  'Sec-WebSocket-Version',
  'X-Y',
  '',
];

describe('the browser host survives any request', () => {
  it('answers GET /% with 400 and keeps serving (the reproduced crash, as a real request)', async () => {
    expect(statusOf(await raw(`GET /% HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`))).toBe(400);
    expect(statusOf(await raw(`GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`))).toBe(
      400,
    );
    expect(statusOf(await raw(`GET /%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`))).toBe(
      400,
    );
    await stillServes();
  });

  it('still answers after thousands of random paths, headers and WebSocket frames', async () => {
    const seed = Date.now() % 1_000_000;
    const random = generator(seed);
    const deadline = Date.now() + 40_000;
    let sent = 0;

    // 2,000 HTTP requests with random methods, paths and headers (sometimes plain random bytes), 25 at a time.
    const requests = Array.from({ length: 2_000 }, () => {
      if (random.int(10) === 0) return random.bytes(1 + random.int(300));
      const target = Array.from({ length: 1 + random.int(6) }, () => random.pick(PATH_PIECES)).join('');
      const headers = Array.from({ length: random.int(6) }, () => {
        const name = random.pick(HEADER_NAMES) || random.bytes(4).toString('latin1');
        const value =
          random.int(3) === 0
            ? random.bytes(random.int(40)).toString('latin1')
            : random.pick([
                `127.0.0.1:${port}`,
                `http://127.0.0.1:${port}`,
                cookie,
                'websocket',
                'Upgrade',
                '-1',
                'chunked',
                'evil.example',
              ]);
        return `${name}: ${value}\r\n`;
      }).join('');
      const host = random.int(4) === 0 ? '' : `Host: 127.0.0.1:${port}\r\n`;
      return Buffer.from(
        `${random.pick(METHODS)} ${target} HTTP/1.1\r\n${host}${headers}Connection: close\r\n\r\n`,
        'latin1',
      );
    });
    for (let start = 0; start < requests.length && Date.now() < deadline; start += 25) {
      await Promise.all(requests.slice(start, start + 25).map((request) => raw(request)));
      sent += Math.min(25, requests.length - start);
    }

    // 300 signed-in WebSockets: random text messages (JSON or not), then random raw bytes as frames.
    for (let round = 0; round < 300 && Date.now() < deadline; round += 1) {
      await new Promise<void>((resolve) => {
        const socket = new WebSocket(`ws://127.0.0.1:${port}/api`, {
          origin: `http://127.0.0.1:${port}`,
          headers: { cookie },
        });
        const finish = () => {
          clearTimeout(timer);
          socket.terminate();
          resolve();
        };
        const timer = setTimeout(finish, 2_000);
        socket.on('error', finish);
        socket.on('close', finish);
        socket.on('open', () => {
          const messages = [
            JSON.stringify({
              kind: 'request',
              id: random.int(10),
              command: random.pick(['getAppInfo', 'openPlan', 'loadRun', 'savePlan', 'nope']),
              payload: { path: random.pick(PATH_PIECES), file: random.int(5) },
            }),
            JSON.stringify({ kind: 'request', id: 1e300, command: 'getAppInfo' }),
            'null',
            '{"__proto__":{"polluted":1},"kind":"request","id":1,"command":"getAppInfo","payload":{}}',
            random.bytes(random.int(100)).toString('latin1'),
          ];
          for (let index = 0; index < 1 + random.int(4); index += 1) socket.send(random.pick(messages));
          // Then bytes that are no valid client frame (unmasked, reserved bits, bad opcodes, bad lengths).
          (socket as unknown as { _socket: net.Socket })._socket.write(random.bytes(2 + random.int(64)));
          sent += 1;
        });
      });
    }

    expect(sent, `fuzz seed ${seed}`).toBeGreaterThan(2_000);
    await stillServes();
  }, 90_000);
});

// A scripted fake SMTP server on 127.0.0.1, port 0 (Go's smtp_test.go shape): each test says what the server
// answers, the server records the exact bytes the client sent, and it tracks every socket so a test can assert
// that nothing was left open. It can stall, trickle bytes, hang up, reset, and speak STARTTLS or implicit TLS.
import net from 'node:net';
import tls from 'node:tls';
import { onTestFinished } from 'vitest';

/** The client closed the connection while the server waited for a line: the usual end of a dialog. */
export class ClientClosed extends Error {
  constructor(detail?: string) {
    super(detail ? `the client closed the connection (${detail})` : 'the client closed the connection');
  }
}

export interface TlsMaterial {
  key: string | Buffer;
  cert: string | Buffer;
}

export interface FakeServerOptions {
  /** Key and certificate for STARTTLS (`connection.startTls`) and for implicit TLS. */
  tls?: TlsMaterial;
  /** Speak TLS from the first byte (SMTPS); needs `tls`. */
  implicitTls?: boolean;
}

export type Handler = (connection: FakeConnection) => Promise<void> | void;

/** One line the client sent, without its line ending, and whether it came over TLS. */
export interface ClientLine {
  text: string;
  tls: boolean;
}

type LineWaiter = { resolve: (line: string) => void; reject: (error: Error) => void };

export class FakeConnection {
  /** Every line the client sent, in order, consumed or not. */
  readonly lines: ClientLine[] = [];
  /** Whether the server ended the connection first (hangUp, reset or an aborted script). */
  closedByServer = false;
  /** SNI the client sent in the STARTTLS or implicit TLS handshake. */
  servername: string | undefined;
  /** Resolves when the connection's socket has closed. */
  readonly closed: Promise<void>;

  private readonly chunks: Buffer[] = [];
  private partial: Buffer = Buffer.alloc(0);
  private readonly unread: string[] = [];
  private waiter: LineWaiter | undefined;
  private isClosed = false;
  private isTls: boolean;
  private timer: NodeJS.Timeout | undefined;
  private readonly onData = (chunk: Buffer) => this.receive(chunk);
  /** The TCP socket under any TLS layer: only it can be reset. */
  private readonly raw: net.Socket;

  constructor(
    private socket: net.Socket,
    private readonly material: TlsMaterial | undefined,
    private readonly track: (socket: net.Socket) => void,
  ) {
    // A TLSSocket keeps the TCP socket it wraps in the undocumented `_parent` (Node 20); a plain socket is its own.
    this.raw = (socket as net.Socket & { _parent?: net.Socket })._parent ?? socket;
    this.isTls = socket instanceof tls.TLSSocket;
    if (socket instanceof tls.TLSSocket)
      this.servername = (socket as tls.TLSSocket & { servername?: string }).servername || undefined;
    socket.on('data', this.onData);
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        this.isClosed = true;
        clearTimeout(this.timer);
        const waiter = this.waiter;
        this.waiter = undefined;
        waiter?.reject(new ClientClosed());
        resolve();
      });
    });
  }

  /** Every byte the client sent (decrypted after STARTTLS), in order. */
  get received(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** The client's bytes as text: compare with the exact dialog, CRLFs included. */
  get receivedText(): string {
    return this.received.toString('utf8');
  }

  get tls(): boolean {
    return this.isTls;
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  /** Writes bytes as they are; resolves once they are handed to the kernel (or the socket is gone). */
  send(data: string | Buffer): Promise<void> {
    if (this.isClosed || this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.write(data, () => resolve());
    });
  }

  /** Writes `data` one byte every `everyMs` milliseconds: a server that keeps the connection busy but never finishes. */
  async trickle(data: string | Buffer, everyMs: number): Promise<void> {
    const bytes = Buffer.from(data);
    for (let index = 0; index < bytes.length && !this.isClosed; index += 1) {
      await this.send(bytes.subarray(index, index + 1));
      await new Promise<void>((resolve) => {
        this.timer = setTimeout(resolve, everyMs);
      });
    }
  }

  /** The next line the client sends, without CRLF. Rejects with ClientClosed if the client closes first. */
  line(): Promise<string> {
    const line = this.unread.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.isClosed) return Promise.reject(new ClientClosed());
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  /** Reads one line and checks it: a string must match exactly, a RegExp must match. */
  async expect(expected: string | RegExp): Promise<string> {
    const line = await this.line();
    const matches = typeof expected === 'string' ? line === expected : expected.test(line);
    if (!matches) throw new Error(`fake server expected client line ${String(expected)}, got ${JSON.stringify(line)}`);
    return line;
  }

  /** Says nothing more; resolves when the client gives up and closes. */
  stall(): Promise<void> {
    return this.closed;
  }

  /** Closes gracefully (FIN) after what was written. */
  hangUp(): void {
    this.closedByServer = true;
    this.socket.end();
  }

  /** Resets the connection (RST): the client sees ECONNRESET. */
  reset(): void {
    this.closedByServer = true;
    this.raw.resetAndDestroy();
  }

  destroy(): void {
    if (!this.isClosed) this.closedByServer = true;
    this.socket.destroy();
  }

  /**
   * Answers STARTTLS with `reply` (plus any bytes a test wants to inject in the same segment) and runs the TLS
   * handshake as the server. Resolves when the handshake completes; rejects if it fails.
   */
  async startTls(reply: string | Buffer = '220 2.0.0 Ready to start TLS\r\n'): Promise<void> {
    if (!this.material) throw new Error('fake server has no TLS key and certificate');
    const raw = this.socket;
    raw.off('data', this.onData);
    await this.send(reply);
    const secure = new tls.TLSSocket(raw, {
      isServer: true,
      secureContext: tls.createSecureContext(this.material),
    });
    this.track(secure);
    this.socket = secure;
    await new Promise<void>((resolve, reject) => {
      // The handshake failing is the client's doing in these tests (it refused us, reset or hung up).
      const onError = (error: Error) => reject(new ClientClosed(`TLS handshake: ${error.message}`));
      secure.once('error', onError);
      secure.once('close', () => reject(new ClientClosed()));
      secure.once('secure', () => {
        secure.off('error', onError);
        resolve();
      });
    });
    this.isTls = true;
    this.servername = (secure as tls.TLSSocket & { servername?: string }).servername || undefined;
    secure.on('data', this.onData);
  }

  private receive(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.partial = this.partial.length === 0 ? chunk : Buffer.concat([this.partial, chunk]);
    let newline: number;
    while ((newline = this.partial.indexOf(0x0a)) !== -1) {
      const end = newline > 0 && this.partial[newline - 1] === 0x0d ? newline - 1 : newline;
      const text = this.partial.subarray(0, end).toString('utf8');
      this.partial = this.partial.subarray(newline + 1);
      this.lines.push({ text, tls: this.isTls });
      const waiter = this.waiter;
      if (waiter) {
        this.waiter = undefined;
        waiter.resolve(text);
      } else {
        this.unread.push(text);
      }
    }
  }
}

export interface FakeServer {
  readonly host: string;
  readonly port: number;
  /** Every connection accepted so far, in order. */
  readonly connections: readonly FakeConnection[];
  /** Sockets (plain and TLS) not yet closed. */
  readonly openSockets: number;
  /** The `index`-th connection, once it arrives. */
  connection(index?: number): Promise<FakeConnection>;
  /** Resolves once no socket is open (at once if none is). */
  allClosed(): Promise<void>;
  /** Destroys what is left, stops listening and throws the first error a handler raised. */
  close(): Promise<void>;
}

/** Starts a fake server; each accepted connection runs `handler`. */
export async function startFakeServer(handler: Handler, options: FakeServerOptions = {}): Promise<FakeServer> {
  const open = new Set<net.Socket>();
  const connections: FakeConnection[] = [];
  const errors: unknown[] = [];
  const connectionWaiters: (() => void)[] = [];
  let closeWaiters: (() => void)[] = [];

  const track = (socket: net.Socket): void => {
    open.add(socket);
    socket.on('error', () => {}); // resets and EPIPEs are part of what these tests provoke
    socket.once('close', () => {
      open.delete(socket);
      if (open.size === 0) {
        const waiters = closeWaiters;
        closeWaiters = [];
        for (const resolve of waiters) resolve();
      }
    });
  };

  const accept = (socket: net.Socket): void => {
    const connection = new FakeConnection(socket, options.tls, track);
    connections.push(connection);
    for (const wake of connectionWaiters.splice(0)) wake();
    Promise.resolve()
      .then(() => handler(connection))
      .catch((error: unknown) => {
        if (error instanceof ClientClosed) return;
        errors.push(error);
        connection.destroy();
      });
  };

  let server: net.Server;
  if (options.implicitTls) {
    if (!options.tls) throw new Error('implicit TLS needs a key and certificate');
    server = tls.createServer({ ...options.tls }, accept);
    server.on('connection', track);
    server.on('secureConnection', track);
    server.on('tlsClientError', () => {}); // the client refusing our certificate is a case under test
  } else {
    server = net.createServer((socket) => {
      track(socket);
      accept(socket);
    });
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;

  return {
    host: '127.0.0.1',
    port,
    connections,
    get openSockets() {
      return open.size;
    },
    connection(index = 0) {
      return new Promise((resolve) => {
        const check = () => {
          const connection = connections[index];
          if (connection) resolve(connection);
          else connectionWaiters.push(check);
        };
        check();
      });
    },
    allClosed() {
      if (open.size === 0) return Promise.resolve();
      return new Promise((resolve) => closeWaiters.push(resolve));
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (errors.length > 0) throw errors[0];
    },
  };
}

/** Starts a fake server that is closed (and its handler errors reported) when the current test finishes. */
export async function fakeServer(handler: Handler, options: FakeServerOptions = {}): Promise<FakeServer> {
  const server = await startFakeServer(handler, options);
  onTestFinished(() => server.close());
  return server;
}

/** One turn of a script: the client line expected (exact string or pattern) and the bytes answered. */
export type Turn = readonly [expected: string | RegExp, reply: string | Buffer];

/**
 * A handler that sends `greeting`, then plays `turns` in order. A line the script did not expect fails the test
 * (reported when the server closes) and ends the connection.
 */
export function script(greeting: string | Buffer, turns: readonly Turn[]): Handler {
  return async function scripted(connection: FakeConnection): Promise<void> {
    await connection.send(greeting);
    for (const [expected, reply] of turns) {
      await connection.expect(expected);
      await connection.send(reply);
    }
    const extra = await connection.line();
    throw new Error(`fake server got an unscripted client line ${JSON.stringify(extra)}`);
  };
}

/** The usual opening of a plaintext ESMTP server: a greeting and an EHLO with the given keywords. */
export function ehloReply(keywords: readonly string[], name = 'fake.test'): string {
  const lines = [name, ...keywords];
  return lines.map((line, index) => `250${index === lines.length - 1 ? ' ' : '-'}${line}\r\n`).join('');
}

/**
 * Answers the rest of a relay test the way a closed relay does: MAIL and RSET accepted, RCPT refused, QUIT
 * answered; anything else is quoted back as unrecognised, as Sendmail does.
 */
export async function refuseRelay(connection: FakeConnection): Promise<void> {
  for (;;) {
    const line = await connection.line();
    const verb = line.slice(0, 4).toUpperCase();
    if (verb === 'MAIL' || verb === 'RSET') await connection.send('250 2.0.0 Ok\r\n');
    else if (verb === 'RCPT') await connection.send('554 5.7.1 Relay access denied\r\n');
    else if (verb === 'QUIT') await connection.send('221 2.0.0 Bye\r\n');
    else await connection.send(`500 5.5.1 Command unrecognized: "${line}"\r\n`);
  }
}

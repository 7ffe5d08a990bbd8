// One SMTP connection: the socket, its reply reader, the named deadlines and the transcript. It owns the socket:
// every exit path goes through close(), which clears timers and destroys the socket.
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { Reply } from '../../shared/reply.js';
import type { CertificateCheck, FailureKind, Stage, TlsDetails } from '../../shared/session.js';
import { ReplyReadError, ReplyReader } from './replyReader.js';
import { describeCertificate, judgeCertificate } from './certificate.js';
import type { Transcript } from './transcript.js';
import type { Tunnel } from './tunnel.js';
import { errorMessage } from '../../shared/errorMessage.js';

export class SessionError extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly stage: Stage,
    message: string,
  ) {
    super(message);
  }
}

export interface OpenOptions {
  host: string;
  port: number;
  source?: string;
  implicitTls: boolean;
  certificate: CertificateCheck;
  servername?: string;
  connectMs: number;
  /** Open the connection from a vantage point instead of from this machine. */
  via?: Tunnel;
}

export class SmtpConnection {
  private socket: Duplex | undefined;
  private reader: ReplyReader;
  private abortError: SessionError | undefined;
  /** Removes the listeners `attach` added, and only those (STARTTLS hands the socket to TLS). */
  private detach: (() => void) | undefined;
  tlsActive = false;
  tlsDetails: TlsDetails | undefined;
  local: { address: string; port: number } | undefined;

  constructor(
    private readonly transcript: Transcript,
    private readonly signal?: AbortSignal,
  ) {
    this.reader = this.newReader();
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  private readonly onAbort = (): void => {
    this.abortError = new SessionError('cancelled', 'connect', 'cancelled by the user');
    this.reader.fail(this.abortError);
    this.socket?.destroy();
  };

  private newReader(): ReplyReader {
    return new ReplyReader((line) => this.transcript.server(line, this.tlsActive));
  }

  async open(options: OpenOptions): Promise<void> {
    this.throwIfAborted('connect');
    if (options.via) return this.openVia(options.via, options);
    const socket = net.connect({ host: options.host, port: options.port, localAddress: options.source });
    this.socket = socket;
    socket.setNoDelay(true);
    await this.waitFor(socket, 'connect', 'connect', options.connectMs, (error) =>
      error
        ? new SessionError('connect', 'connect', connectErrorText(error, options))
        : new SessionError('timeout', 'connect', `connect timeout: no TCP connection within ${options.connectMs} ms`),
    );
    this.local = { address: socket.localAddress ?? '', port: socket.localPort ?? 0 };
    this.transcript.emit({
      type: 'connect',
      local: this.local.address,
      localPort: this.local.port,
      remote: socket.remoteAddress ?? options.host,
      remotePort: socket.remotePort ?? options.port,
      tls: options.implicitTls,
    });
    if (options.implicitTls) {
      await this.handshake(socket, options.certificate, options.servername, options.host, options.connectMs, 'connect');
      return;
    }
    this.attach(socket);
  }

  private async openVia(via: Tunnel, options: OpenOptions): Promise<void> {
    this.transcript.note('info', `connecting via ${via.describe}`);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new SessionError('timeout', 'connect', `connect timeout: no tunnel within ${options.connectMs} ms`)),
        options.connectMs,
      );
    });
    const opening = via.open(options.host, options.port, this.signal);
    let stream: Duplex;
    try {
      stream = await Promise.race([opening, deadline]);
    } catch (error) {
      // A tunnel that opens after the deadline is closed at once rather than left dangling.
      void opening.then(
        (late) => late.destroy(),
        () => {},
      );
      if (error instanceof SessionError) throw error;
      this.throwIfAborted('connect');
      throw new SessionError('connect', 'connect', errorMessage(error));
    } finally {
      clearTimeout(timer);
    }
    this.socket = stream;
    this.throwIfAborted('connect');
    // Which machine the connection really comes from, as verified: e.g. the SSH host key it presented.
    this.transcript.note('info', `via ${via.describe}${via.hostKey ? ` (host key ${via.hostKey})` : ''}`);
    this.local = { address: via.seenFrom ?? '', port: 0 };
    this.transcript.emit({
      type: 'connect',
      local: via.seenFrom ?? 'vantage point',
      localPort: 0,
      remote: options.host,
      remotePort: options.port,
      tls: options.implicitTls,
    });
    if (options.implicitTls) {
      await this.handshake(stream, options.certificate, options.servername, options.host, options.connectMs, 'connect');
      return;
    }
    this.attach(stream);
  }

  /** Upgrades the connection in place (RFC 3207): bytes received before the handshake are dropped. */
  async startTls(certificate: CertificateCheck, servername: string | undefined, host: string, timeoutMs: number) {
    const plain = this.socket!;
    // Only our own listeners go: Node's (the socket's end-of-stream handling) stay with the socket.
    this.detach?.();
    this.detach = undefined;
    const dropped = this.reader.discard();
    if (dropped > 0) {
      this.transcript.note(
        'warning',
        `discarded ${dropped} bytes the server sent before TLS started (RFC 3207 §4.2: possible command injection)`,
      );
    }
    this.reader = this.newReader();
    await this.handshake(plain, certificate, servername, host, timeoutMs, 'tls');
  }

  private async handshake(
    plain: Duplex,
    certificate: CertificateCheck,
    servername: string | undefined,
    host: string,
    timeoutMs: number,
    stage: Stage,
  ): Promise<void> {
    // Verification is judged after the handshake (not by rejectUnauthorized) so the reason can be reported.
    const secure = tls.connect({ socket: plain, servername, host, rejectUnauthorized: false });
    this.socket = secure;
    await this.waitFor(secure, 'secureConnect', stage, timeoutMs, (error) =>
      error
        ? new SessionError('tls', stage, `TLS handshake failed: ${error.message}`)
        : new SessionError('timeout', stage, `TLS handshake timeout after ${timeoutMs} ms`),
    );
    this.acceptTls(secure, certificate, stage);
    this.attach(secure);
  }

  private acceptTls(socket: tls.TLSSocket, certificate: CertificateCheck, stage: Stage): void {
    const details = describeCertificate(socket);
    const verdict = judgeCertificate(details, certificate);
    details.trust = verdict.trust;
    this.tlsDetails = details;
    this.tlsActive = true;
    this.transcript.emit({ type: 'tls', details });
    if (verdict.trust === 'refused') throw new SessionError('tls', stage, verdict.reason);
    if (verdict.trust !== 'verified') this.transcript.note('warning', verdict.reason);
  }

  private attach(socket: Duplex): void {
    const reader = this.reader;
    const onData = (chunk: Buffer) => reader.push(chunk);
    const onEnd = () => reader.end();
    const onError = (error: Error) => reader.fail(new ReplyReadError('closed', `connection error: ${error.message}`));
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('close', onEnd);
    socket.on('error', onError);
    this.detach = () => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      socket.off('error', onError);
    };
  }

  /** Sends one command line. `shown` is what the transcript records (secrets already masked by the caller). */
  send(wire: string, shown: string): void {
    this.transcript.client(shown, this.tlsActive);
    this.socket!.write(`${wire}\r\n`);
  }

  /** Whether the server sent anything although no command was pending: a pipelining violation or an injection. */
  hasUnsolicitedData(): boolean {
    return this.reader.holdsUnread;
  }

  /** The code of the unsolicited reply waiting to be read, complete or still arriving, when known. */
  unsolicitedCode(): number | undefined {
    return this.reader.unreadCode;
  }

  /**
   * Reads one complete reply before an absolute deadline: trickled bytes do not extend it (docs/reliability.md §2).
   */
  async reply(stage: Stage, timeoutMs: number, deadlineName = 'reply'): Promise<Reply> {
    this.throwIfAborted(stage);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.reader.cancelRead();
        reject(new SessionError('timeout', stage, `${deadlineName} timeout: no complete reply within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.reader.read(), deadline]);
    } catch (error) {
      if (this.abortError) throw new SessionError('cancelled', stage, 'cancelled by the user');
      if (error instanceof ReplyReadError) {
        throw new SessionError(error.kind, stage, `${error.message} (waiting for the ${stage} reply)`);
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Destroys the socket at once and stops listening for cancellation; always leaves nothing open. */
  close(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
    const socket = this.socket;
    if (!socket || socket.destroyed) return;
    socket.destroy();
  }

  private throwIfAborted(stage: Stage): void {
    if (this.signal?.aborted) throw new SessionError('cancelled', stage, 'cancelled by the user');
  }

  private waitFor(
    socket: Duplex,
    event: string,
    stage: Stage,
    timeoutMs: number,
    failure: (error?: Error) => SessionError,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const finish = (error?: SessionError) => {
        clearTimeout(timer);
        socket.off(event, onReady);
        socket.off('error', onError);
        socket.off('close', onClose);
        this.signal?.removeEventListener('abort', onAbort);
        if (error) {
          socket.destroy();
          reject(error);
        } else resolve();
      };
      const onReady = () => finish();
      const onError = (error: Error) => finish(failure(error));
      const onClose = () => finish(failure(new Error('connection closed')));
      const onAbort = () => finish(new SessionError('cancelled', stage, 'cancelled by the user'));
      const timer = setTimeout(() => finish(failure()), timeoutMs);
      socket.once(event, onReady);
      socket.once('error', onError);
      socket.once('close', onClose);
      this.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function connectErrorText(error: NodeJS.ErrnoException, options: OpenOptions): string {
  const target = `${options.host}:${options.port}`;
  switch (error.code) {
    case 'ECONNREFUSED':
      return `connection refused by ${target}`;
    case 'EADDRNOTAVAIL':
      return `cannot use source address ${options.source ?? '(default)'}: it is not an address of this machine`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `no route to ${target}`;
    case 'ENOTFOUND':
      return `host name ${options.host} not found`;
    default:
      return `cannot connect to ${target}: ${error.message}`;
  }
}

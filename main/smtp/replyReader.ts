// Turns the bytes of a socket into SMTP replies, one at a time, with every limit that keeps a hostile server from
// exhausting memory (docs/reliability.md §3, §4). Lines end in CRLF; a bare LF is tolerated. Each complete line is
// reported as it arrives so the transcript is live even while a long multi-line reply is still coming.
import { REPLY_LIMITS, ReplyAssembler, type Reply } from '../../shared/reply.js';

export class ReplyReadError extends Error {
  constructor(
    readonly kind: 'protocol' | 'closed',
    message: string,
  ) {
    super(message);
  }
}

type Waiter = { resolve: (reply: Reply) => void; reject: (error: Error) => void };

const decoder = new TextDecoder('utf-8', { fatal: false });

export class ReplyReader {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly assembler = new ReplyAssembler();
  private readonly ready: Reply[] = [];
  /** Wire bytes of each reply in `ready`, and of the lines of the reply still being assembled. */
  private readonly readyBytes: number[] = [];
  private assemblingBytes = 0;
  private failure: Error | undefined;
  private waiter: Waiter | undefined;

  constructor(private readonly onLine: (line: string) => void) {}

  /** Bytes of a line still arriving (no line end yet). */
  get partialLineBytes(): number {
    return this.buffer.length;
  }

  /** Complete lines of a multi-line reply still being assembled. */
  get partialReplyLines(): number {
    return this.assembler.pendingLines.length;
  }

  /** Whether anything was received that no read has taken yet: a reply, part of one, or part of a line. */
  get holdsUnread(): boolean {
    return this.ready.length > 0 || this.partialReplyLines > 0 || this.partialLineBytes > 0;
  }

  /** Whether a complete reply was received that nobody asked for yet. */
  get hasUnreadReply(): boolean {
    return this.ready.length > 0;
  }

  /** The code of the first reply received but not asked for yet, complete or still arriving, when known. */
  get unreadCode(): number | undefined {
    const ready = this.ready[0];
    if (ready) return ready.code;
    if (this.assembler.pendingCode !== undefined) return this.assembler.pendingCode;
    const lead = /^[1-5]\d\d/.exec(this.buffer.subarray(0, 3).toString('latin1'));
    return lead ? Number(lead[0]) : undefined;
  }

  push(chunk: Buffer): void {
    if (this.failure) return;
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let newline: number;
    while (!this.failure && (newline = this.buffer.indexOf(0x0a)) !== -1) {
      const end = newline > 0 && this.buffer[newline - 1] === 0x0d ? newline - 1 : newline;
      if (end > REPLY_LIMITS.maxLineBytes) {
        this.fail(new ReplyReadError('protocol', `reply line too long (over ${REPLY_LIMITS.maxLineBytes} bytes)`));
        return;
      }
      const line = decoder.decode(this.buffer.subarray(0, end));
      this.buffer = this.buffer.subarray(newline + 1);
      this.acceptLine(line, false, newline + 1);
    }
    if (!this.failure && this.buffer.length > REPLY_LIMITS.maxLineBytes) {
      this.fail(
        new ReplyReadError('protocol', `reply line too long (over ${REPLY_LIMITS.maxLineBytes} bytes without CRLF)`),
      );
    }
  }

  /** The server closed the connection: a last line without CRLF still counts (e.g. "421 …" then close). */
  end(): void {
    if (this.failure) return;
    if (this.buffer.length > 0) {
      const line = decoder.decode(this.buffer).replace(/\r$/, '');
      const bytes = this.buffer.length;
      this.buffer = Buffer.alloc(0);
      this.acceptLine(line, true, bytes);
    }
    if (!this.failure) this.fail(new ReplyReadError('closed', 'connection closed by the server'));
  }

  /** Stops reading; any pending and future read fails with `error`. */
  fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.buffer = Buffer.alloc(0);
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(error);
  }

  /** Drops every byte and reply received so far and returns how many bytes were dropped (STARTTLS, RFC 3207 §4.2). */
  discard(): number {
    const dropped = this.buffer.length + this.assemblingBytes + this.readyBytes.reduce((sum, bytes) => sum + bytes, 0);
    this.buffer = Buffer.alloc(0);
    this.assembler.reset();
    this.assemblingBytes = 0;
    this.ready.length = 0;
    this.readyBytes.length = 0;
    return dropped;
  }

  /** The next complete reply. Rejects when the connection closes or the server breaks the protocol. */
  read(): Promise<Reply> {
    const reply = this.ready.shift();
    if (reply) {
      this.readyBytes.shift();
      return Promise.resolve(reply);
    }
    if (this.failure) return Promise.reject(this.failure);
    if (this.waiter) return Promise.reject(new Error('ReplyReader.read called twice'));
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  /** Forgets a pending read (after its deadline passed) without failing the reader. */
  cancelRead(): void {
    this.waiter = undefined;
  }

  /** `bytes` is the line's length on the wire, line ending included. */
  private acceptLine(line: string, unterminated: boolean, bytes: number): void {
    this.onLine(line);
    this.assemblingBytes += bytes;
    const progress = this.assembler.feed(line, unterminated);
    if (progress.kind === 'error') {
      this.fail(new ReplyReadError('protocol', progress.reason));
    } else if (progress.kind === 'done') {
      const replyBytes = this.assemblingBytes;
      this.assemblingBytes = 0;
      const waiter = this.waiter;
      if (waiter) {
        this.waiter = undefined;
        waiter.resolve(progress.reply);
      } else {
        this.ready.push(progress.reply);
        this.readyBytes.push(replyBytes);
      }
    }
  }
}

// One SMTP reply: RFC 5321 §4.2. A reply is one or more lines with the same three-digit code, each but the last
// written "code-text", the last "code text" (or a bare "code"). Enhanced status codes follow RFC 3463.

export interface Reply {
  code: number;
  /** RFC 3463 enhanced status code such as "5.7.1", when the first line carries one. */
  enhancedCode?: string;
  /** The text of each line after the code and separator, as received (not yet made visible). */
  lines: string[];
  /** Set when the last line ended without CRLF because the server closed the connection (e.g. a bare 421). */
  unterminated?: boolean;
}

/** Limits that keep memory bounded against a hostile server (RFC 5321 §4.5.3.1 sets 512 octets per reply line). */
export const REPLY_LIMITS = {
  /** Bytes in one reply line; generous against the RFC's 512 because real servers exceed it. */
  maxLineBytes: 4096,
  /** Lines in one multi-line reply. */
  maxLines: 200,
  /** Bytes in one whole reply. */
  maxReplyBytes: 65536,
} as const;

export type ParsedLine =
  | { kind: 'empty' }
  | { kind: 'line'; code: number; last: boolean; text: string }
  | { kind: 'malformed'; reason: string };

// Any first digit 1-5 and any two digits after it: RFC 5321's grammar narrows the second digit to 0-5, but a reply
// such as a "199" greeting is still a reply to judge (docs/reliability.md §18), not a broken line.
const REPLY_LINE = /^([1-5][0-9][0-9])(?:([ -])(.*))?$/s;
/** How much of a malformed line its error message quotes. */
const QUOTED_CHARS = 80;
const ENHANCED = /^([245])\.(\d{1,3})\.(\d{1,3})(?=\s|$)/;

/** Parses one reply line (without its CRLF). */
export function parseReplyLine(line: string): ParsedLine {
  if (line === '' || /^\s+$/.test(line)) return { kind: 'empty' };
  const match = REPLY_LINE.exec(line);
  if (!match) {
    // The line is quoted as received; whoever shows the reason makes it visible (docs/reliability.md §7).
    const quoted = line.length > QUOTED_CHARS ? `${line.slice(0, QUOTED_CHARS)}…` : line;
    return {
      kind: 'malformed',
      reason: `not an SMTP reply line: "${quoted}" (expected a code 100-599 and a space or hyphen)`,
    };
  }
  return { kind: 'line', code: Number(match[1]), last: match[2] !== '-', text: match[3] ?? '' };
}

/** The RFC 3463 code at the start of `text`, if its class matches the reply code's first digit. */
export function parseEnhancedCode(code: number, text: string): string | undefined {
  const match = ENHANCED.exec(text);
  if (!match || Number(match[1]) !== Math.floor(code / 100)) return undefined;
  return `${match[1]}.${Number(match[2])}.${Number(match[3])}`;
}

export type ReplyProgress = { kind: 'more' } | { kind: 'done'; reply: Reply } | { kind: 'error'; reason: string };

/**
 * Collects reply lines until the final one. Pure: feed it lines, it says whether the reply is complete.
 * Mirrors Go's textproto.ReadResponse: a code that changes inside one reply is a protocol error.
 */
export class ReplyAssembler {
  private code: number | undefined;
  private lines: string[] = [];
  private bytes = 0;

  get pendingLines(): readonly string[] {
    return this.lines;
  }

  /** The code of the multi-line reply being collected, if one has started. */
  get pendingCode(): number | undefined {
    return this.code;
  }

  feed(line: string, unterminated = false): ReplyProgress {
    const parsed = parseReplyLine(line);
    if (parsed.kind === 'empty') return { kind: 'more' }; // stray blank lines are tolerated (docs/reliability.md §8)
    if (parsed.kind === 'malformed') return { kind: 'error', reason: parsed.reason };
    if (this.code !== undefined && parsed.code !== this.code) {
      return {
        kind: 'error',
        reason: `reply code changed inside a multi-line reply (${this.code} then ${parsed.code})`,
      };
    }
    this.code = parsed.code;
    this.lines.push(parsed.text);
    this.bytes += line.length + 2;
    if (parsed.last) {
      const reply: Reply = { code: parsed.code, lines: this.lines };
      const enhanced = parseEnhancedCode(parsed.code, this.lines[0] ?? '');
      if (enhanced) reply.enhancedCode = enhanced;
      if (unterminated) reply.unterminated = true;
      this.reset();
      return { kind: 'done', reply };
    }
    if (this.lines.length >= REPLY_LIMITS.maxLines) {
      return { kind: 'error', reason: `multi-line reply exceeds ${REPLY_LIMITS.maxLines} lines` };
    }
    if (this.bytes > REPLY_LIMITS.maxReplyBytes) {
      return { kind: 'error', reason: `multi-line reply exceeds ${REPLY_LIMITS.maxReplyBytes} bytes` };
    }
    return { kind: 'more' };
  }

  reset(): void {
    this.code = undefined;
    this.lines = [];
    this.bytes = 0;
  }
}

/** The reply's text, lines joined by a space, without the enhanced code of the first line. */
export function replyText(reply: Reply): string {
  return reply.lines
    .map((line) => {
      const match = ENHANCED.exec(line);
      return match ? line.slice(match[0].length).trimStart() : line;
    })
    .join(' ')
    .trim();
}

/** The reply as it appeared on the wire, one string per line, e.g. "250-PIPELINING". */
export function replyWireLines(reply: Reply): string[] {
  return reply.lines.map((line, index) => {
    const last = index === reply.lines.length - 1;
    return line === '' && last ? String(reply.code) : `${reply.code}${last ? ' ' : '-'}${line}`;
  });
}

export function isPositive(reply: Reply): boolean {
  return reply.code >= 200 && reply.code < 400;
}
export function isTransient(reply: Reply): boolean {
  return reply.code >= 400 && reply.code < 500;
}
export function isPermanent(reply: Reply): boolean {
  return reply.code >= 500;
}

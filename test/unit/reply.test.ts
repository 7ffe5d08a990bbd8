// The reply parser (shared/reply.ts) and the byte-level reader (main/smtp/replyReader.ts) over real reply texts
// of Exchange, Postfix and Exim, and over malformed input a hostile server could send.
import { describe, expect, it } from 'vitest';
import {
  REPLY_LIMITS,
  ReplyAssembler,
  isPermanent,
  isPositive,
  isTransient,
  parseEnhancedCode,
  parseReplyLine,
  replyText,
  replyWireLines,
  type Reply,
} from '../../shared/reply.js';
import { makeVisible } from '../../shared/text.js';
import { parseEhlo } from '../../main/smtp/capabilities.js';
import { ReplyReadError, ReplyReader } from '../../main/smtp/replyReader.js';

/** Feeds `wire` (CRLF-separated lines) to an assembler and returns the one reply it makes. */
function assemble(wire: string): Reply {
  const assembler = new ReplyAssembler();
  const lines = wire.split('\r\n');
  if (lines.at(-1) === '') lines.pop();
  for (const [index, line] of lines.entries()) {
    const progress = assembler.feed(line);
    if (progress.kind === 'done') {
      expect(index).toBe(lines.length - 1);
      return progress.reply;
    }
    if (progress.kind === 'error') throw new Error(progress.reason);
  }
  throw new Error('the reply did not end');
}

/** A reader and what it reported: each line as it arrived, and a read() to await. */
function reader() {
  const lines: string[] = [];
  const reading = new ReplyReader((line) => lines.push(line));
  return { reading, lines };
}

const EXCHANGE_2003_EHLO = [
  '250-mail.contoso.com Hello [192.168.1.10]',
  '250-TURN',
  '250-SIZE',
  '250-ETRN',
  '250-PIPELINING',
  '250-DSN',
  '250-ENHANCEDSTATUSCODES',
  '250-8bitmime',
  '250-BINARYMIME',
  '250-CHUNKING',
  '250-VRFY',
  '250-X-EXPS GSSAPI NTLM LOGIN',
  '250-X-EXPS=LOGIN',
  '250-AUTH GSSAPI NTLM LOGIN',
  '250-AUTH=LOGIN',
  '250-X-LINK2STATE',
  '250-XEXCH50',
  '250 OK',
].join('\r\n');

describe('real replies parse into code, enhanced code and text', () => {
  it.each([
    ['550 5.7.1 Unable to relay', 550, '5.7.1', 'Unable to relay'],
    [
      '550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain',
      550,
      '5.7.54',
      'SMTP; Unable to relay recipient in non-accepted domain',
    ],
    ['535 5.7.3 Authentication unsuccessful', 535, '5.7.3', 'Authentication unsuccessful'],
    ['554 5.7.1 <x@external.example>: Relay access denied', 554, '5.7.1', '<x@external.example>: Relay access denied'],
    ['454 4.7.1 <x@external.example>: Relay access denied', 454, '4.7.1', '<x@external.example>: Relay access denied'],
    [
      '554 5.7.1 <unknown[127.0.9.5]>: Client host rejected: Access denied',
      554,
      '5.7.1',
      '<unknown[127.0.9.5]>: Client host rejected: Access denied',
    ],
    ['550 relay not permitted', 550, undefined, 'relay not permitted'],
    [
      '450 4.2.0 <x@example.org>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html',
      450,
      '4.2.0',
      '<x@example.org>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html',
    ],
    ['451 4.7.1 Please try again later', 451, '4.7.1', 'Please try again later'],
    [
      '421 4.3.2 Service not available, closing transmission channel',
      421,
      '4.3.2',
      'Service not available, closing transmission channel',
    ],
    [
      '538 5.7.11 Encryption required for requested authentication mechanism',
      538,
      '5.7.11',
      'Encryption required for requested authentication mechanism',
    ],
    ['530 5.7.0 Must issue a STARTTLS command first', 530, '5.7.0', 'Must issue a STARTTLS command first'],
    [
      '220 mail.contoso.com Microsoft ESMTP MAIL Service, Version: 6.0.3790.3959 ready at  Thu, 6 Dec 2007 10:01:42 +0100',
      220,
      undefined,
      'mail.contoso.com Microsoft ESMTP MAIL Service, Version: 6.0.3790.3959 ready at  Thu, 6 Dec 2007 10:01:42 +0100',
    ],
  ])('%s', (line, code, enhancedCode, text) => {
    const reply = assemble(`${line}\r\n`);
    expect(reply.code).toBe(code);
    expect(reply.enhancedCode).toBe(enhancedCode);
    expect(replyText(reply)).toBe(text);
    expect(replyWireLines(reply)).toEqual([line]);
  });

  it('collects the whole Exchange 2003 EHLO, AUTH=LOGIN included', () => {
    const reply = assemble(EXCHANGE_2003_EHLO);
    expect(reply.code).toBe(250);
    expect(reply.lines).toHaveLength(18);
    expect(replyWireLines(reply).join('\r\n')).toBe(EXCHANGE_2003_EHLO);
    const capabilities = parseEhlo(reply);
    expect(capabilities.authMechanisms).toEqual(['GSSAPI', 'NTLM', 'LOGIN']);
    expect(capabilities.keywords).toHaveProperty('8BITMIME');
    expect(capabilities.keywords.AUTH).toEqual(['GSSAPI', 'NTLM', 'LOGIN']);
    expect(capabilities.startTls).toBe(false);
  });

  it('reads a Postfix EHLO with STARTTLS and AUTH', () => {
    const reply = assemble(
      '250-mail.corp.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-VRFY\r\n250-ETRN\r\n250-STARTTLS\r\n' +
        '250-AUTH PLAIN LOGIN\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n',
    );
    const capabilities = parseEhlo(reply);
    expect(capabilities).toMatchObject({ esmtp: true, startTls: true, authMechanisms: ['PLAIN', 'LOGIN'] });
    expect(capabilities.keywords.SIZE).toEqual(['10240000']);
  });

  it('keeps every line of a multi-line 535 and joins them in the text', () => {
    const reply = assemble(
      '535-5.7.8 Username and Password not accepted. Learn more at\r\n535 5.7.8  https://support.example/?p=BadCredentials\r\n',
    );
    expect(reply.lines).toEqual([
      '5.7.8 Username and Password not accepted. Learn more at',
      '5.7.8  https://support.example/?p=BadCredentials',
    ]);
    expect(replyText(reply)).toBe(
      'Username and Password not accepted. Learn more at https://support.example/?p=BadCredentials',
    );
  });

  it('accepts a bare code and a code with an empty text', () => {
    expect(parseReplyLine('250')).toEqual({ kind: 'line', code: 250, last: true, text: '' });
    expect(parseReplyLine('250 ')).toEqual({ kind: 'line', code: 250, last: true, text: '' });
    expect(parseReplyLine('250-')).toEqual({ kind: 'line', code: 250, last: false, text: '' });
    expect(replyWireLines(assemble('250\r\n'))).toEqual(['250']);
  });

  it('reads a reply whose code is outside the usual set, such as a 199 greeting, as a reply', () => {
    expect(parseReplyLine('199 what')).toEqual({ kind: 'line', code: 199, last: true, text: 'what' });
  });

  it('takes the enhanced code only when its class matches the reply', () => {
    expect(parseEnhancedCode(550, '4.7.1 mismatched')).toBeUndefined();
    expect(parseEnhancedCode(250, '2.1.0 Ok')).toBe('2.1.0');
    expect(parseEnhancedCode(550, '5.07.001 padded')).toBe('5.7.1');
    expect(parseEnhancedCode(550, '5.7.1: no space')).toBeUndefined();
    expect(parseEnhancedCode(550, '5.7.1')).toBe('5.7.1');
    expect(parseEnhancedCode(550, '5.7.1000 too long')).toBeUndefined();
  });

  it('classes replies by their first digit', () => {
    const classes = (code: number) => {
      const reply: Reply = { code, lines: [] };
      return [isPositive(reply), isTransient(reply), isPermanent(reply)];
    };
    expect(classes(250)).toEqual([true, false, false]);
    expect(classes(354)).toEqual([true, false, false]);
    expect(classes(451)).toEqual([false, true, false]);
    expect(classes(554)).toEqual([false, false, true]);
  });
});

describe('malformed replies are errors with the reason, never a hang', () => {
  it.each(['hello', '2x0 ok', '650 ok', '25 short', '2500 ok', '250x', ' 250 leading space'])(
    'refuses %j as not a reply line and quotes it',
    (line) => {
      const parsed = parseReplyLine(line);
      expect(parsed.kind).toBe('malformed');
      if (parsed.kind === 'malformed') expect(parsed.reason).toContain(`"${line}"`);
    },
  );

  it('quotes only the start of a long malformed line', () => {
    const parsed = parseReplyLine(`x${'y'.repeat(5_000)}`);
    expect(parsed.kind === 'malformed' && parsed.reason.length).toBeLessThan(200);
  });

  it('refuses codes that change inside one reply', () => {
    const assembler = new ReplyAssembler();
    expect(assembler.feed('250-a')).toEqual({ kind: 'more' });
    expect(assembler.feed('251 b')).toEqual({
      kind: 'error',
      reason: 'reply code changed inside a multi-line reply (250 then 251)',
    });
  });

  it('tolerates empty and blank lines between reply lines', () => {
    const assembler = new ReplyAssembler();
    expect(assembler.feed('')).toEqual({ kind: 'more' });
    expect(assembler.feed('250-a')).toEqual({ kind: 'more' });
    expect(assembler.feed('   ')).toEqual({ kind: 'more' });
    expect(assembler.feed('250 b')).toMatchObject({ kind: 'done', reply: { code: 250, lines: ['a', 'b'] } });
  });

  it(`stops a multi-line reply at ${REPLY_LIMITS.maxLines} lines`, () => {
    const assembler = new ReplyAssembler();
    let progress = assembler.feed('250-first');
    for (let index = 0; progress.kind === 'more' && index < 10_000; index += 1) progress = assembler.feed('250-more');
    expect(progress).toEqual({ kind: 'error', reason: `multi-line reply exceeds ${REPLY_LIMITS.maxLines} lines` });
    expect(assembler.pendingLines.length).toBe(REPLY_LIMITS.maxLines);
  });

  it(`stops a multi-line reply at ${REPLY_LIMITS.maxReplyBytes} bytes`, () => {
    const assembler = new ReplyAssembler();
    let progress = assembler.feed('250-first');
    let fed = 1;
    while (progress.kind === 'more') {
      progress = assembler.feed(`250-${'z'.repeat(2_000)}`);
      fed += 1;
    }
    expect(progress).toEqual({ kind: 'error', reason: `multi-line reply exceeds ${REPLY_LIMITS.maxReplyBytes} bytes` });
    expect(fed).toBeLessThan(40);
  });
});

describe('the byte reader', () => {
  it('reads CRLF lines, bare LF lines and replies split anywhere across chunks', async () => {
    const { reading, lines } = reader();
    const bytes = Buffer.from('220 fake.test ready\n250-a\r\n250 b\r\n');
    for (const byte of bytes) reading.push(Buffer.from([byte]));
    expect(await reading.read()).toEqual({ code: 220, lines: ['fake.test ready'] });
    expect(await reading.read()).toEqual({ code: 250, lines: ['a', 'b'] });
    expect(lines).toEqual(['220 fake.test ready', '250-a', '250 b']);
  });

  it('keeps a last line without CRLF when the server closes, marked unterminated, then reports the close', async () => {
    const { reading } = reader();
    reading.push(Buffer.from('421 4.3.2 Service shutting down'));
    const pending = reading.read();
    reading.end();
    expect(await pending).toEqual({
      code: 421,
      enhancedCode: '4.3.2',
      lines: ['4.3.2 Service shutting down'],
      unterminated: true,
    });
    await expect(reading.read()).rejects.toMatchObject({ kind: 'closed', message: 'connection closed by the server' });
  });

  it('refuses a 10 kB line, with or without its CRLF, as too long', async () => {
    for (const ending of ['', '\r\n']) {
      const { reading, lines } = reader();
      reading.push(Buffer.from(`250 ${'x'.repeat(10_000)}${ending}`));
      await expect(reading.read()).rejects.toThrow(ReplyReadError);
      await expect(reading.read()).rejects.toThrow(/^reply line too long \(over 4096 bytes/);
      expect(lines).toEqual([]);
      expect(reading.partialLineBytes).toBe(0); // nothing of it is kept in memory
    }
  });

  it('accepts a line of exactly the limit', async () => {
    const { reading } = reader();
    const line = `250 ${'x'.repeat(REPLY_LIMITS.maxLineBytes - 4)}`;
    reading.push(Buffer.from(`${line}\r\n`));
    expect((await reading.read()).lines[0]).toHaveLength(REPLY_LIMITS.maxLineBytes - 4);
  });

  it('refuses a reply whose codes differ, as a protocol error', async () => {
    const { reading } = reader();
    reading.push(Buffer.from('250-a\r\n251 b\r\n'));
    await expect(reading.read()).rejects.toMatchObject({ kind: 'protocol' });
  });

  it('decodes UTF-8 split across chunks, and replaces invalid bytes', async () => {
    const { reading } = reader();
    const bytes = Buffer.from('550 5.1.1 <jürgen@例え.jp>: unknown\r\n');
    const split = bytes.indexOf(0xc3) + 1; // inside the two bytes of ü
    reading.push(bytes.subarray(0, split));
    reading.push(bytes.subarray(split));
    reading.push(Buffer.from([0x35, 0x35, 0x30, 0x20, 0xff, 0xfe, 0x0d, 0x0a]));
    expect(replyText(await reading.read())).toBe('<jürgen@例え.jp>: unknown');
    expect((await reading.read()).lines).toEqual(['\ufffd\ufffd']);
  });

  it('keeps NUL and escape sequences in the data and makeVisible shows them', async () => {
    const { reading, lines } = reader();
    reading.push(Buffer.from('250 a\0b \x1b]52;c;aGVsbG8=\x07 \x1b[2J \x9b6n\r\n'));
    const reply = await reading.read();
    expect(reply.lines[0]).toBe('a\0b \x1b]52;c;aGVsbG8=\x07 \x1b[2J \x9b6n');
    expect(makeVisible(lines[0]!)).toBe('250 a\\0b \\e]52;c;aGVsbG8=\\x07 \\e[2J \\x9b6n');
  });

  it('counts the bytes it discards, not the replies, whether complete, half-assembled or bare-LF', () => {
    const { reading } = reader();
    reading.push(Buffer.from('250-über\n250-two\r\n'));
    // "250-über\n" is 10 bytes (ü is two), "250-two\r\n" 9: a reply still being assembled.
    expect(reading.discard()).toBe(19);
    reading.push(Buffer.from('220 a\r\n220 b\r\n'));
    expect(reading.discard()).toBe(14);
    expect(reading.discard()).toBe(0);
  });

  it('counts bytes of a partial line and lines of a partial reply apart', () => {
    const { reading } = reader();
    expect(reading.holdsUnread).toBe(false);
    reading.push(Buffer.from('250-one\r\n250-two\r\n250 th'));
    expect(reading.partialReplyLines).toBe(2);
    expect(reading.partialLineBytes).toBe(6);
    expect(reading.hasUnreadReply).toBe(false);
    expect(reading.holdsUnread).toBe(true);
  });

  it('drops everything received when discarded (STARTTLS)', async () => {
    const { reading } = reader();
    reading.push(Buffer.from('250-AUTH PLAIN\r\n250 OK\r\n250 partial'));
    expect(reading.hasUnreadReply).toBe(true);
    expect(reading.holdsUnread).toBe(true);
    // Bytes, line endings included: 16 + 8 for the complete reply, 11 for the partial line.
    expect(reading.discard()).toBe(35);
    expect(reading.hasUnreadReply).toBe(false);
    expect(reading.holdsUnread).toBe(false);
    reading.push(Buffer.from('220 fresh\r\n'));
    expect(await reading.read()).toEqual({ code: 220, lines: ['fresh'] });
  });
});

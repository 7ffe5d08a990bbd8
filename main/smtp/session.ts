// The SMTP dialog engine: one session, one command at a time, every byte in the transcript (Go's net/smtp shape:
// send a command, read its reply, decide). Replies are data: a 5xx is often exactly what a relay test wants, so
// only the tester's own faults and broken servers end a session early, and then as a recorded failure.
import { randomUUID } from 'node:crypto';
import { secretForms } from '../../shared/redact.js';
import type { Reply } from '../../shared/reply.js';
import type { Capabilities, Exchange, SessionResult, Stage, TranscriptEvent } from '../../shared/session.js';
import { HELO_CAPABILITIES, parseEhlo } from './capabilities.js';
import { SessionError, SmtpConnection } from './connection.js';
import { chooseMechanism, saslClient } from './sasl/index.js';
import { CANCEL, decodeChallenge, type SaslClient, type SaslLine } from './sasl/mechanism.js';
import { checkSpec, type SessionSpec, type Step } from './sessionSpec.js';
import { Transcript } from './transcript.js';

export interface SessionHooks {
  onEvent?: (event: TranscriptEvent) => void;
  signal?: AbortSignal;
}

/** Challenges answered before the client gives up with "*" (docs/reliability.md §16). */
const MAX_AUTH_ROUNDS = 4;
/**
 * QUIT is a courtesy: the verdict was settled at RCPT (or DATA), so its 221 may not hold up the next case or the
 * run's end. Exim holds its 221 about 200 ms and Postfix's tarpit delays it by seconds; after this grace the
 * session closes anyway (QUIT was sent, so the server sees an orderly end).
 */
export const QUIT_GRACE_MS = 250;

type Flow = 'continue' | 'stop';

/**
 * The server said 421: it is closing the channel (RFC 5321 §3.8). Thrown by the one place that reads replies, so
 * every command, the greeting and an unprompted reply end the same way: recorded, and no further command, not even
 * QUIT.
 */
class ServerClosing extends Error {}

const SERVICE_CLOSING = 421;

/** How one reply is read: which deadline applies and what the record shows it answered. */
interface ReadOptions {
  timeoutMs: number;
  /** The deadline's name in a timeout message ("greeting timeout", "reply timeout"). */
  deadline: 'greeting' | 'reply';
  /** The command it answers, as the transcript shows it. */
  command?: string;
  /** The recipient a RCPT reply is about. */
  recipient?: string;
}

export const NO_STARTTLS_FOR_AUTH =
  'the server offered no STARTTLS; AUTH would send the password in clear (set tls: none for this server if that is intended)';

/** Runs one session to its end. Throws only for invalid input (before connecting); everything else is recorded. */
export async function runSession(spec: SessionSpec, hooks: SessionHooks = {}): Promise<SessionResult> {
  checkSpec(spec);
  const session = new Session(spec, hooks);
  return session.run();
}

class Session {
  private readonly transcript: Transcript;
  private readonly connection: SmtpConnection;
  private readonly exchanges: Exchange[] = [];
  private capabilities: Capabilities | undefined;
  private messageId: string | undefined;
  private acceptedRecipients = 0;
  private readonly startedAt = new Date();

  constructor(
    private readonly spec: SessionSpec,
    hooks: SessionHooks,
  ) {
    const secrets = spec.auth ? secretForms(spec.auth.user, spec.auth.password) : [];
    this.transcript = new Transcript(secrets, hooks.onEvent);
    this.connection = new SmtpConnection(this.transcript, hooks.signal);
  }

  async run(): Promise<SessionResult> {
    let failure: SessionResult['failure'];
    try {
      await this.dialog();
    } catch (error) {
      if (!(error instanceof SessionError)) throw error;
      failure = { kind: error.kind, stage: error.stage, message: this.transcript.scrub(error.message) };
      this.transcript.note('error', `${error.stage}: ${error.message}`);
    } finally {
      this.connection.close();
    }
    this.transcript.emit({ type: 'close', reason: failure ? failure.message : 'session finished' });
    const result: SessionResult = {
      startedAt: this.startedAt.toISOString(),
      durationMs: this.transcript.elapsed(),
      remote: { host: this.spec.host, port: this.spec.port },
      exchanges: this.exchanges,
      events: this.transcript.events,
    };
    if (this.connection.local) result.local = this.connection.local;
    if (failure) result.failure = failure;
    if (this.capabilities) result.capabilities = this.capabilities;
    if (this.connection.tlsDetails) result.tls = this.connection.tlsDetails;
    if (this.messageId) result.messageId = this.messageId;
    return result;
  }

  private async dialog(): Promise<void> {
    try {
      await this.converse();
    } catch (error) {
      if (!(error instanceof ServerClosing)) throw error;
    }
  }

  private async converse(): Promise<void> {
    const { spec } = this;
    await this.connection.open({
      host: spec.host,
      port: spec.port,
      source: spec.source,
      implicitTls: spec.tls === 'implicit',
      certificate: spec.certificate,
      servername: this.servername(),
      connectMs: spec.timeouts.connectMs,
      ...(spec.via ? { via: spec.via } : {}),
    });
    const greeting = await this.read('greeting', { timeoutMs: spec.timeouts.greetingMs, deadline: 'greeting' });
    if (greeting.code !== 220) return this.quit();
    for (const step of spec.steps) {
      if ((await this.perform(step)) === 'stop') return;
    }
  }

  private servername(): string | undefined {
    if (this.spec.servername) return this.spec.servername;
    return /^[\d.]+$|:/.test(this.spec.host) ? undefined : this.spec.host; // SNI carries names, not addresses
  }

  private async perform(step: Step): Promise<Flow> {
    switch (step.kind) {
      case 'ehlo':
        return this.hello();
      case 'starttls':
        return this.startTls();
      case 'auth':
        return this.authenticate();
      case 'mail':
        return this.mail(step.from);
      case 'rcpt':
        return this.recipient(step.to);
      case 'data':
        return this.data();
      case 'rset':
        return this.expect('rset', 'RSET', () => true);
      case 'quit':
        await this.quit();
        return 'stop';
    }
  }

  /** EHLO, or HELO when the server refuses EHLO (RFC 5321 §4.1.4). */
  private async hello(): Promise<Flow> {
    const ehlo = await this.cmd('ehlo', `EHLO ${this.spec.helo}`);
    if (ehlo.code === 250) {
      this.capabilities = parseEhlo(ehlo);
      return 'continue';
    }
    if (ehlo.code < 500) return this.quitAndStop();
    this.transcript.note('info', 'EHLO refused; falling back to HELO');
    const helo = await this.cmd('helo', `HELO ${this.spec.helo}`);
    if (helo.code !== 250) return this.quitAndStop();
    this.capabilities = HELO_CAPABILITIES;
    return 'continue';
  }

  private async startTls(): Promise<Flow> {
    const offered = this.capabilities?.startTls ?? false;
    if (this.connection.tlsActive) return 'continue';
    if (!offered) {
      if (this.spec.tls === 'starttls') {
        throw new SessionError('tls', 'starttls', 'TLS is required but the server does not offer STARTTLS');
      }
      // A man in the middle can strip STARTTLS from the EHLO reply: in auto, credentials never follow in clear.
      // Only an explicit `tls: none` sends AUTH unencrypted (with its warning).
      if (this.spec.auth && this.spec.steps.some((step) => step.kind === 'auth')) {
        await this.quit();
        throw new SessionError('tls', 'starttls', NO_STARTTLS_FOR_AUTH);
      }
      this.transcript.note('warning', 'the server does not offer STARTTLS: the session continues unencrypted');
      return 'continue';
    }
    const reply = await this.cmd('starttls', 'STARTTLS');
    // Never fall back to plaintext once TLS was asked for (docs/reliability.md §13).
    if (reply.code !== 220) return this.quitAndStop();
    await this.connection.startTls(
      this.spec.certificate,
      this.servername(),
      this.spec.host,
      this.spec.timeouts.replyMs,
    );
    this.capabilities = undefined; // nothing learnt before TLS is used after it (RFC 3207 §4.2)
    return this.hello();
  }

  private async authenticate(): Promise<Flow> {
    const auth = this.spec.auth!;
    const capabilities = this.capabilities ?? HELO_CAPABILITIES;
    const choice = chooseMechanism(capabilities, auth.mechanism, this.connection.tlsActive);
    if ('unavailable' in choice) {
      await this.quit();
      throw new SessionError('auth-unavailable', 'auth', choice.unavailable);
    }
    if (!this.connection.tlsActive) {
      this.transcript.note(
        'warning',
        'AUTH on an unencrypted connection: the credentials cross the network readable by anyone on the path',
      );
    }
    const client = saslClient(choice.mechanism, {
      user: auth.user,
      secret: auth.password,
      host: this.spec.host,
      port: this.spec.port,
      ...(auth.ntlm ? { ntlm: auth.ntlm } : {}),
    });
    const initial = client.start();
    let reply: Reply;
    if (initial) {
      this.learn(initial);
      // RFC 4954 §4: an empty initial response is sent as "=".
      const wire = initial.wire === '' ? '=' : initial.wire;
      reply = await this.cmd('auth', {
        wire: `AUTH ${client.name} ${wire}`,
        shown: `AUTH ${client.name} ${initial.shown}`,
      });
    } else {
      reply = await this.cmd('auth', `AUTH ${client.name}`);
    }
    let round = 0;
    while (reply.code === 334) {
      round += 1;
      const answer = this.answerChallenge(client, reply, round);
      this.learn(answer);
      reply = await this.cmd('auth', answer);
      if (answer === CANCEL && reply.code === 334) {
        // RFC 4954 §4: the server MUST answer "*" with 501; one that challenges again would keep us here forever.
        throw new SessionError(
          'protocol',
          'auth',
          'the server sent another AUTH challenge after the client cancelled with "*"',
        );
      }
    }
    return reply.code === 235 ? 'continue' : this.quitAndStop();
  }

  /** The scrubber learns every secret payload, so a server echoing it back cannot carry it into the record. */
  private learn(line: SaslLine): void {
    if (line.secret) this.transcript.learnSecret(line.wire);
  }

  private answerChallenge(client: SaslClient, reply: Reply, round: number): SaslLine {
    if (round > MAX_AUTH_ROUNDS) {
      this.transcript.note('warning', `the server sent more than ${MAX_AUTH_ROUNDS} AUTH challenges; cancelling`);
      return CANCEL;
    }
    const challenge = decodeChallenge(reply.lines.join(''));
    if (challenge === undefined) {
      this.transcript.note('warning', 'the AUTH challenge is not valid base64; cancelling');
      return CANCEL;
    }
    for (const line of client.describe(challenge)) this.transcript.note('info', line);
    return client.next(challenge, round);
  }

  /**
   * MAIL, with the SMTPUTF8 parameter when an address of the envelope is not ASCII (RFC 6531 §3.4). A server
   * that does not offer SMTPUTF8 would mangle or refuse such an address, so the case stops before MAIL.
   */
  private async mail(from: string): Promise<Flow> {
    const addresses = [from, ...this.spec.steps.flatMap((step) => (step.kind === 'rcpt' ? [step.to] : []))];
    const international = addresses.some((address) => /[^\x00-\x7f]/.test(address));
    if (international && !('SMTPUTF8' in (this.capabilities?.keywords ?? {}))) {
      await this.quit();
      throw new SessionError(
        'unsupported',
        'mail',
        'the server does not offer SMTPUTF8, which the non-ASCII addresses of this case need',
      );
    }
    const line = `MAIL FROM:<${from}>${international ? ' SMTPUTF8' : ''}`;
    return this.expect('mail', line, (reply) => reply.code === 250);
  }

  private async recipient(to: string): Promise<Flow> {
    const reply = await this.cmd('rcpt', `RCPT TO:<${to}>`, to);
    if (reply.code === 250 || reply.code === 251) this.acceptedRecipients += 1;
    return 'continue'; // other recipients are still asked about
  }

  /** DATA with a small test message carrying a unique id: the proof that a relay really accepts mail. */
  private async data(): Promise<Flow> {
    if (this.acceptedRecipients === 0) {
      this.transcript.note('info', 'no recipient was accepted: DATA skipped');
      return this.expect('rset', 'RSET', () => true);
    }
    const reply = await this.cmd('data', 'DATA');
    if (reply.code !== 354) return this.expect('rset', 'RSET', () => true);
    const id = `${randomUUID()}@relay-tester.invalid`;
    const mail = this.spec.steps.find((step) => step.kind === 'mail');
    const from = mail?.kind === 'mail' ? mail.from : '';
    const lines = [
      `Message-ID: <${id}>`,
      `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
      `From: <${from}>`,
      `Subject: Relay Tester probe ${id}`,
      'X-Relay-Tester: relay test message, safe to delete',
      '',
      'This message was sent by Relay Tester to prove that the server relays for this client.',
      '.',
    ];
    for (const line of lines) this.connection.send(line, line);
    const accepted = await this.read('message', this.replyOptions({ command: 'DATA (end of message)' }));
    if (accepted.code === 250) this.messageId = id;
    return 'continue';
  }

  /** A command whose refusal ends the dialog politely (QUIT); `ok` says which replies let it go on. */
  private async expect(stage: Stage, line: string, ok: (reply: Reply) => boolean): Promise<Flow> {
    const reply = await this.cmd(stage, line);
    return ok(reply) ? 'continue' : this.quitAndStop();
  }

  private async quitAndStop(): Promise<Flow> {
    await this.quit();
    return 'stop';
  }

  /** QUIT politely; the session's outcome no longer depends on what happens here. */
  private async quit(): Promise<void> {
    try {
      await this.refuseUnprompted('quit');
      this.connection.send('QUIT', 'QUIT');
      const timeoutMs = Math.min(QUIT_GRACE_MS, this.spec.timeouts.replyMs);
      await this.read('quit', { timeoutMs, deadline: 'reply', command: 'QUIT' });
    } catch (error) {
      if (error instanceof ServerClosing) return; // closing anyway (an unprompted 421, or 421 to QUIT): done
      if (!(error instanceof SessionError)) throw error;
      if (error.kind === 'cancelled') throw error;
      const why = error.kind === 'timeout' ? `not within ${QUIT_GRACE_MS} ms` : error.message;
      this.transcript.note('info', `no reply to QUIT (${why}); closing: the verdict does not depend on it`);
    }
  }

  /**
   * Go's net/smtp `cmd`: sends one command, reads its reply and records both. The one path every command takes, so
   * a 421 ends the session here (thrown by `read`) whichever command it answers.
   */
  private async cmd(stage: Stage, line: string | SaslLine, recipient?: string): Promise<Reply> {
    const { wire, shown } = typeof line === 'string' ? { wire: line, shown: line } : line;
    await this.refuseUnprompted(stage);
    this.connection.send(wire, shown);
    return this.read(stage, this.replyOptions({ command: shown, ...(recipient !== undefined ? { recipient } : {}) }));
  }

  private replyOptions(options: Pick<ReadOptions, 'command' | 'recipient'>): ReadOptions {
    return { timeoutMs: this.spec.timeouts.replyMs, deadline: 'reply', ...options };
  }

  /**
   * A server may not speak before it is spoken to (we never pipeline). Data waiting here was sent unasked: an
   * unprompted 421 is read (and so ends the session) as the server closing (RFC 5321 §3.8, docs/reliability.md §10);
   * anything else is refused as possible injection.
   */
  private async refuseUnprompted(stage: Stage): Promise<void> {
    if (!this.connection.hasUnsolicitedData()) return;
    if (this.connection.unsolicitedCode() !== SERVICE_CLOSING) {
      throw new SessionError(
        'protocol',
        stage,
        `the server sent data before the ${stage.toUpperCase()} command was sent (pipelining violation or injection); session aborted`,
      );
    }
    await this.read(stage, this.replyOptions({})); // records the 421 and throws ServerClosing: the session ends here
  }

  /** Reads one reply and records it; a 421 throws ServerClosing once recorded (the one check for it). */
  private async read(stage: Stage, options: ReadOptions): Promise<Reply> {
    const started = this.transcript.elapsed();
    const reply = await this.connection.reply(stage, options.timeoutMs, options.deadline);
    // The record gets the scrubbed text: a server may echo what it received (Sendmail quotes unknown commands),
    // and the record feeds the outcome, run files and reports (docs/reliability.md §19). Decisions use the reply
    // as sent.
    const recorded: Reply = { ...reply, lines: reply.lines.map((line) => this.transcript.scrub(line)) };
    const exchange: Exchange = { stage, reply: recorded };
    if (options.command !== undefined) exchange.command = this.transcript.scrub(options.command);
    if (options.recipient !== undefined) exchange.recipient = options.recipient;
    this.exchanges.push(exchange);
    this.transcript.emit({
      type: 'step',
      stage,
      ms: Math.round((this.transcript.elapsed() - started) * 10) / 10,
      code: reply.code,
    });
    if (reply.code === SERVICE_CLOSING) throw new ServerClosing();
    return reply;
  }
}

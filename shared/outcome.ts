// What the server decided, judged from reply codes alone (RFC 5321 §4.2.1, RFC 3463), never from one vendor's
// wording: "550 5.7.1 Unable to relay" (Exchange), "554 5.7.1 Relay access denied" (Postfix) and
// "550 relay not permitted" (Exim) all mean the same thing.
import { replyText, type Reply } from './reply.js';
import type { Exchange, SessionFailure, SessionResult, Stage } from './session.js';
import { makeVisible } from './text.js';

export type OutcomeKind =
  | 'connect-failed'
  | 'rejected-at-connect'
  | 'tls-failed'
  | 'auth-unavailable'
  /** The case needs an extension the server does not offer (SMTPUTF8): it could not be run as written. */
  | 'unsupported'
  | 'auth-failed'
  | 'sender-rejected'
  | 'recipient-accepted'
  | 'recipient-rejected'
  | 'temporary-failure'
  | 'timeout'
  | 'protocol-error'
  | 'cancelled'
  /** The dialog ended without an envelope (e.g. a banner check) and nothing was refused. */
  | 'connected';

export interface RecipientResult {
  address: string;
  code: number;
  enhancedCode?: string;
  text: string;
}

export interface Outcome {
  outcome: OutcomeKind;
  stage: Stage;
  code?: number;
  enhancedCode?: string;
  /** The deciding server text made visible, or the engine's own explanation when no reply decided. */
  text: string;
  /** A short human gloss where the code has a standard meaning, e.g. "encryption required" for 538. */
  detail?: string;
  recipients?: RecipientResult[];
}

// RFC 4954 §6 and RFC 5321 §4.2.3 meanings that people confuse with "bad password".
const AUTH_DETAILS: Record<number, string> = {
  501: 'authentication cancelled or malformed',
  530: 'authentication required',
  534: 'authentication mechanism is too weak',
  535: 'authentication credentials invalid',
  538: 'encryption required for this authentication mechanism',
  454: 'temporary authentication failure',
};

function fromReply(kind: OutcomeKind, exchange: Exchange, detail?: string): Outcome {
  const outcome: Outcome = {
    outcome: kind,
    stage: exchange.stage,
    code: exchange.reply.code,
    text: makeVisible(replyText(exchange.reply)),
  };
  if (exchange.reply.enhancedCode) outcome.enhancedCode = exchange.reply.enhancedCode;
  if (detail) outcome.detail = detail;
  return outcome;
}

function fromFailure(failure: SessionFailure): Outcome {
  const kinds: Record<SessionFailure['kind'], OutcomeKind> = {
    connect: 'connect-failed',
    timeout: 'timeout',
    closed: 'protocol-error',
    protocol: 'protocol-error',
    tls: 'tls-failed',
    'auth-unavailable': 'auth-unavailable',
    unsupported: 'unsupported',
    cancelled: 'cancelled',
  };
  return { outcome: kinds[failure.kind], stage: failure.stage, text: makeVisible(failure.message) };
}

function recipientResult(exchange: Exchange): RecipientResult {
  const result: RecipientResult = {
    address: exchange.recipient ?? '',
    code: exchange.reply.code,
    text: makeVisible(replyText(exchange.reply)),
  };
  if (exchange.reply.enhancedCode) result.enhancedCode = exchange.reply.enhancedCode;
  return result;
}

function isTransientCode(reply: Reply): boolean {
  return reply.code >= 400 && reply.code < 500;
}

/** Decides the outcome of one session from its exchanges, in order, and its failure if it had one. */
export function classifyOutcome(result: Pick<SessionResult, 'exchanges' | 'failure'>): Outcome {
  const recipients: Exchange[] = [];
  for (const exchange of result.exchanges) {
    const { reply, stage } = exchange;
    // 421 may come in answer to any command, or unprompted: the service is closing (RFC 5321 §3.8). After RCPT
    // was answered, the server has already decided the relay: a 421 at DATA does not undo an accepted recipient.
    if (reply.code === 421) {
      if (recipients.length > 0) break;
      return fromReply('temporary-failure', exchange, 'server closing the connection');
    }
    switch (stage) {
      case 'greeting':
        if (isTransientCode(reply)) return fromReply('temporary-failure', exchange);
        if (reply.code !== 220) return fromReply('rejected-at-connect', exchange);
        break;
      case 'helo':
        if (isTransientCode(reply)) return fromReply('temporary-failure', exchange);
        if (reply.code >= 500) return fromReply('rejected-at-connect', exchange, 'HELO refused');
        break;
      case 'ehlo':
        if (isTransientCode(reply)) return fromReply('temporary-failure', exchange);
        break; // a 5xx here leads to the HELO fallback, judged above
      case 'starttls':
        if (reply.code !== 220) return fromReply('tls-failed', exchange, 'STARTTLS refused');
        break;
      case 'auth':
        if (reply.code === 334 || reply.code === 235) break;
        if (reply.code === 504) return fromReply('auth-unavailable', exchange, 'mechanism not supported');
        if (isTransientCode(reply)) return fromReply('temporary-failure', exchange, AUTH_DETAILS[reply.code]);
        return fromReply('auth-failed', exchange, AUTH_DETAILS[reply.code]);
      case 'mail':
        if (isTransientCode(reply)) return fromReply('temporary-failure', exchange);
        if (reply.code >= 500) return fromReply('sender-rejected', exchange);
        break;
      case 'rcpt':
        recipients.push(exchange);
        break;
      default:
        break; // DATA, RSET and QUIT come after the relay decision and do not change it
    }
  }
  if (recipients.length > 0) return fromRecipients(recipients);
  if (result.failure) return fromFailure(result.failure);
  return { outcome: 'connected', stage: 'quit', text: 'dialog ended without an envelope; nothing was refused' };
}

function fromRecipients(recipients: Exchange[]): Outcome {
  const all = recipients.map(recipientResult);
  const accepted = recipients.find((exchange) => exchange.reply.code === 250 || exchange.reply.code === 251);
  const transient = recipients.find((exchange) => isTransientCode(exchange.reply));
  const rejected = recipients.find((exchange) => exchange.reply.code >= 500);
  let outcome: Outcome;
  if (accepted) outcome = fromReply('recipient-accepted', accepted);
  else if (transient) outcome = fromReply('temporary-failure', transient);
  else if (rejected) outcome = fromReply('recipient-rejected', rejected);
  else outcome = fromReply('protocol-error', recipients[0]!, 'unexpected reply code to RCPT');
  outcome.recipients = all;
  return outcome;
}

// Respecting a real server's limits, as pure decisions the runner applies: what a session's replies say about the
// server (it limits connections, or it greylists), when to try again (jittered exponential backoff within a bounded
// number of tries and waiting time), and how many sessions the server gets at once (additive increase,
// multiplicative decrease, as TCP treats a congested path). No sockets and no timers here.
import type { Expectation } from '../shared/plan.js';
import { replyText } from '../shared/reply.js';
import type { Exchange } from '../shared/session.js';
import { makeVisible } from '../shared/text.js';

/** What one attempt's replies say beyond the case's own question. */
export type Pressure =
  /** The server refused the connection for its own load before judging anything: retry later, with fewer at once. */
  | { kind: 'back-pressure'; reply: string }
  /** A 450/451 at RCPT where acceptance was expected: most likely greylisting (RFC 6647), which a retry passes. */
  | { kind: 'greylisted'; reply: string };

// Exim "421 Too many concurrent SMTP connections", Postfix "421 4.7.0 … too many connections from …", Exchange
// "421 4.3.2 The maximum number of concurrent connections has exceeded a limit", Sendmail "421 … Too many open
// connections" and "452 Too many connections".
const TOO_MANY =
  /too many (?:concurrent |simultaneous |open )?(?:smtp )?(?:connections|sessions)|concurrent connections has exceeded/i;

/** "421 4.7.0 text", made visible: server text on its way to a transcript note. */
function quoted(exchange: Exchange): string {
  const { code, enhancedCode } = exchange.reply;
  return makeVisible(`${code}${enhancedCode ? ` ${enhancedCode}` : ''} ${replyText(exchange.reply)}`.trim());
}

/**
 * Reads one attempt's exchanges. Back-pressure is a 4xx greeting, a 421 before RCPT, or a "too many connections"
 * refusal before RCPT: in each the server closed or refused before it evaluated the case. Greylisting is a 450/451
 * at RCPT, with no recipient accepted, in a case expected to be accepted.
 */
export function pressureOf(expect: Expectation, exchanges: readonly Exchange[]): Pressure | undefined {
  for (const exchange of exchanges) {
    const { code } = exchange.reply;
    if (exchange.stage === 'rcpt') break;
    if (exchange.stage === 'greeting' && code >= 400 && code < 500)
      return { kind: 'back-pressure', reply: quoted(exchange) };
    if (code === 421) return { kind: 'back-pressure', reply: quoted(exchange) };
    if (code >= 400 && TOO_MANY.test(replyText(exchange.reply)))
      return { kind: 'back-pressure', reply: quoted(exchange) };
  }
  if (expect !== 'relay') return undefined;
  const recipients = exchanges.filter((exchange) => exchange.stage === 'rcpt');
  if (recipients.some((exchange) => exchange.reply.code === 250 || exchange.reply.code === 251)) return undefined;
  const deferred = recipients.find((exchange) => exchange.reply.code === 450 || exchange.reply.code === 451);
  return deferred ? { kind: 'greylisted', reply: quoted(deferred) } : undefined;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** The first retry's delay ceiling; each further retry doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** The most time one case may spend backing off, summed over its retries. */
  budgetMs: number;
}

/** Back-pressure retries: up to 8 attempts, 0.5 s doubling to 8 s, at most 60 s of waiting per case. */
export const BACK_PRESSURE_RETRY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  budgetMs: 60_000,
};

/** Greylisting retries when the user opted in: at most two more attempts, each after the chosen delay. */
export const GREYLIST_RETRIES = 2;

/**
 * The wait before retry number `retry` (1 for the first): "equal jitter", half of the doubled ceiling fixed and
 * half random, so that sessions refused together do not come back together and none comes back at once.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: string };

/**
 * After `attempts` attempts that met back-pressure, having already waited `waitedMs` in all: the next delay, or why
 * to stop. The last delay is shortened to what is left of the budget rather than skipped.
 */
export function nextBackPressureRetry(
  attempts: number,
  waitedMs: number,
  policy: RetryPolicy = BACK_PRESSURE_RETRY,
  random: () => number = Math.random,
): RetryDecision {
  if (attempts >= policy.maxAttempts) return { retry: false, reason: `gave up after ${attempts} attempts` };
  const left = policy.budgetMs - waitedMs;
  if (left <= 0)
    return {
      retry: false,
      reason: `gave up after ${attempts} attempts and ${Math.round(waitedMs / 1000)} s of waiting`,
    };
  return { retry: true, delayMs: Math.min(left, backoffDelay(attempts, policy, random)) };
}

/**
 * How many sessions one server gets at once. Starts at the configured concurrency (its ceiling); a success adds
 * 1/limit (so about one more per full window of successes); back-pressure halves it, once per window: refusals of
 * sessions started before the last decrease answer a load that was already reduced, so they do not count again.
 */
export class ConcurrencyLimit {
  private limit: number;
  private epoch = 0;

  constructor(
    readonly ceiling: number,
    readonly floor = 1,
  ) {
    if (!(ceiling >= floor && floor >= 1))
      throw new RangeError(`concurrency ceiling ${ceiling} must be at least ${floor}`);
    this.limit = ceiling;
  }

  /** Sessions allowed at once now. */
  get allowed(): number {
    return Math.max(this.floor, Math.floor(this.limit));
  }

  /** Taken when a session starts; given back with its result. */
  token(): number {
    return this.epoch;
  }

  succeeded(): void {
    this.limit = Math.min(this.ceiling, this.limit + 1 / this.allowed);
  }

  /** Returns whether this refusal lowered the limit (the first of its window). */
  pressed(token: number): boolean {
    if (token < this.epoch) return false;
    this.limit = Math.max(this.floor, Math.floor(this.allowed / 2));
    this.epoch += 1;
    return true;
  }
}

/** A session slot at one server: `token` for ConcurrencyLimit.pressed, `release` exactly once. */
export interface Slot {
  token: number;
  release(result: 'succeeded' | 'pressed' | 'neutral'): void;
}

/**
 * Hands out session slots for one server under its ConcurrencyLimit: first come first served, except that retries
 * go to the front (a case already waited its backoff; sending it to the back of a long queue would stall it).
 */
export class ServerGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: ConcurrencyLimit) {}

  get running(): number {
    return this.active;
  }

  acquire(retry = false): Promise<Slot> {
    return new Promise((resolve) => {
      const grant = () => {
        this.active += 1;
        resolve(this.slot());
      };
      if (this.active < this.limit.allowed && this.waiting.length === 0) grant();
      else if (retry) this.waiting.unshift(grant);
      else this.waiting.push(grant);
    });
  }

  private slot(): Slot {
    const token = this.limit.token();
    let released = false;
    return {
      token,
      release: (result) => {
        if (released) return;
        released = true;
        this.active -= 1;
        if (result === 'succeeded') this.limit.succeeded();
        else if (result === 'pressed') this.limit.pressed(token);
        this.wake();
      },
    };
  }

  private wake(): void {
    while (this.active < this.limit.allowed && this.waiting.length > 0) this.waiting.shift()!();
  }
}

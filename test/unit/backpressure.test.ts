// The runner's respect for a server's limits, as pure decisions: what counts as back-pressure or greylisting, the
// jittered backoff within its bounds, and the per-server concurrency that halves under pressure and creeps back.
import { describe, expect, it } from 'vitest';
import {
  BACK_PRESSURE_RETRY,
  backoffDelay,
  ConcurrencyLimit,
  nextBackPressureRetry,
  pressureOf,
  ServerGate,
  type Slot,
} from '../../main/backpressure.js';
import type { Reply } from '../../shared/reply.js';
import type { Exchange, Stage } from '../../shared/session.js';

function reply(code: number, text: string, enhancedCode?: string): Reply {
  return { code, lines: [enhancedCode ? `${enhancedCode} ${text}` : text], ...(enhancedCode ? { enhancedCode } : {}) };
}

function exchange(stage: Stage, code: number, text: string, enhancedCode?: string): Exchange {
  return { stage, reply: reply(code, text, enhancedCode) };
}

const OPENING = [
  exchange('greeting', 220, 'mx.test ESMTP'),
  exchange('ehlo', 250, 'mx.test'),
  exchange('mail', 250, 'Ok', '2.1.0'),
];

describe('what a session says about the server', () => {
  it('reads a 421 greeting as back-pressure, whatever the case expected', () => {
    const exchanges = [exchange('greeting', 421, 'Too many concurrent SMTP connections; please try again later.')];
    for (const expect_ of ['deny', 'relay', 'banner', 'reject-at-connect'] as const) {
      expect(pressureOf(expect_, exchanges)).toEqual({
        kind: 'back-pressure',
        reply: '421 Too many concurrent SMTP connections; please try again later.',
      });
    }
  });

  it('reads any 4xx greeting, and a 421 or "too many connections" before RCPT, as back-pressure', () => {
    expect(pressureOf('deny', [exchange('greeting', 450, 'busy')])?.kind).toBe('back-pressure');
    expect(pressureOf('deny', [OPENING[0]!, exchange('ehlo', 421, 'Service shutting down', '4.3.2')])).toEqual({
      kind: 'back-pressure',
      reply: '421 4.3.2 Service shutting down',
    });
    expect(pressureOf('deny', [...OPENING.slice(0, 2), exchange('mail', 452, 'Too many connections')])?.kind).toBe(
      'back-pressure',
    );
    // Even as a 5xx: a server refusing for its load has not judged this client (a connect-deny case would pass on it).
    expect(
      pressureOf('reject-at-connect', [
        exchange('greeting', 554, 'The maximum number of concurrent connections has exceeded a limit'),
      ])?.kind,
    ).toBe('back-pressure');
    expect(pressureOf('reject-at-connect', [exchange('greeting', 554, 'Access denied', '5.7.1')])).toBeUndefined();
  });

  it('does not read a refusal at RCPT or a normal dialog as back-pressure', () => {
    expect(pressureOf('deny', [...OPENING, exchange('rcpt', 554, 'Relay access denied', '5.7.1')])).toBeUndefined();
    expect(pressureOf('deny', [...OPENING, exchange('rcpt', 421, 'closing')])).toBeUndefined();
    expect(pressureOf('deny', [...OPENING, exchange('rcpt', 450, 'Greylisted', '4.2.0')])).toBeUndefined();
  });

  it('reads a 450 or 451 at RCPT in a case expected to be accepted as likely greylisting', () => {
    const greylisted = [
      ...OPENING,
      exchange('rcpt', 450, '<x@grey.example>: Recipient address rejected: Greylisted', '4.2.0'),
    ];
    expect(pressureOf('relay', greylisted)).toEqual({
      kind: 'greylisted',
      reply: '450 4.2.0 <x@grey.example>: Recipient address rejected: Greylisted',
    });
    expect(pressureOf('relay', [...OPENING, exchange('rcpt', 451, 'try later', '4.7.1')])?.kind).toBe('greylisted');
    expect(pressureOf('relay', [...OPENING, exchange('rcpt', 452, 'insufficient storage', '4.3.1')])).toBeUndefined();
    expect(pressureOf('relay', [...OPENING, exchange('rcpt', 250, 'Ok', '2.1.5')])).toBeUndefined();
    expect(pressureOf('auth-fail', greylisted)).toBeUndefined();
  });
});

describe('backoff', () => {
  it('doubles its ceiling per retry up to the maximum, with half of it random', () => {
    const low = () => 0;
    const high = () => 0.999999;
    expect([1, 2, 3, 4, 5, 6].map((retry) => backoffDelay(retry, BACK_PRESSURE_RETRY, low))).toEqual([
      250, 500, 1000, 2000, 4000, 4000,
    ]);
    expect([1, 2, 3, 4, 5, 6].map((retry) => backoffDelay(retry, BACK_PRESSURE_RETRY, high))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000,
    ]);
  });

  it('spreads sessions refused together over the window instead of sending them back at once', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(3, BACK_PRESSURE_RETRY)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(1000);
  });

  it('stops after the maximum number of attempts or when the waiting budget is spent', () => {
    expect(nextBackPressureRetry(1, 0, BACK_PRESSURE_RETRY, () => 0)).toEqual({ retry: true, delayMs: 250 });
    expect(nextBackPressureRetry(8, 0)).toEqual({ retry: false, reason: 'gave up after 8 attempts' });
    expect(nextBackPressureRetry(3, 60_000)).toEqual({
      retry: false,
      reason: 'gave up after 3 attempts and 60 s of waiting',
    });
    expect(nextBackPressureRetry(7, 59_000, BACK_PRESSURE_RETRY, () => 1)).toEqual({ retry: true, delayMs: 1_000 });
  });

  it('bounds a case that meets back-pressure every time to its attempts and waiting budget', () => {
    let attempts = 1;
    let waited = 0;
    for (
      let decision = nextBackPressureRetry(attempts, waited);
      decision.retry;
      decision = nextBackPressureRetry(attempts, waited)
    ) {
      waited += decision.delayMs;
      attempts += 1;
    }
    expect(attempts).toBeLessThanOrEqual(BACK_PRESSURE_RETRY.maxAttempts);
    expect(waited).toBeLessThanOrEqual(BACK_PRESSURE_RETRY.budgetMs);
  });
});

describe('per-server concurrency (additive increase, multiplicative decrease)', () => {
  it('halves once per window of refusals and never goes below one', () => {
    const limit = new ConcurrencyLimit(32);
    const token = limit.token();
    expect(limit.pressed(token)).toBe(true);
    expect(limit.allowed).toBe(16);
    // Twenty more sessions of that same window are refused: the load they answer was already halved.
    for (let index = 0; index < 20; index += 1) expect(limit.pressed(token)).toBe(false);
    expect(limit.allowed).toBe(16);
    for (let index = 0; index < 10; index += 1) limit.pressed(limit.token());
    expect(limit.allowed).toBe(1);
  });

  it('grows by about one per window of successes, up to the configured concurrency', () => {
    const limit = new ConcurrencyLimit(8);
    limit.pressed(limit.token());
    expect(limit.allowed).toBe(4);
    for (let index = 0; index < 4; index += 1) limit.succeeded();
    expect(limit.allowed).toBe(5);
    for (let index = 0; index < 100; index += 1) limit.succeeded();
    expect(limit.allowed).toBe(8);
  });

  it('lets no more sessions run at once than allowed, and lets retries go first', async () => {
    const gate = new ServerGate(new ConcurrencyLimit(4));
    const order: string[] = [];
    const slots: Slot[] = [];
    const take = (name: string, retry = false) =>
      gate.acquire(retry).then((slot) => {
        order.push(name);
        slots.push(slot);
        return slot;
      });
    await Promise.all(['a', 'b', 'c', 'd'].map((name) => take(name)));
    const waiting = [take('e'), take('f'), take('retry', true)];
    await Promise.resolve();
    expect(gate.running).toBe(4);
    // One session meets back-pressure: the limit halves to 2, so only the third session to finish frees a slot.
    slots[0]!.release('pressed');
    slots[1]!.release('neutral');
    await Promise.resolve();
    expect(order).toHaveLength(4);
    slots[2]!.release('neutral');
    await Promise.resolve();
    expect(gate.running).toBe(2);
    expect(order).toEqual(['a', 'b', 'c', 'd', 'retry']);
    slots[3]!.release('succeeded');
    slots[4]!.release('succeeded');
    await Promise.all(waiting);
    expect(order.slice(5)).toEqual(['e', 'f']);
    expect(gate.running).toBe(2);
  });
});

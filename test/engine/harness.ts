// Running the engine against a fake server: a spec with short deadlines, the session with its outcome and live
// events, and the check that nothing (socket or timer) was left open afterwards.
import { expect } from 'vitest';
import { classifyOutcome, type Outcome } from '../../shared/outcome.js';
import type { SessionResult, TranscriptEvent } from '../../shared/session.js';
import { runSession } from '../../main/smtp/session.js';
import { defaultSteps, type SessionSpec, type Step } from '../../main/smtp/sessionSpec.js';
import type { FakeServer } from './fakeServer.js';

export const HELO = 'client.test';
export const FROM = 'alice@client.test';
export const TO = 'bob@external.example';

/** A relay test against `port` without TLS, with 2 s deadlines so a bug shows as a quick failure, not a hang. */
export function specFor(port: number, overrides: Partial<SessionSpec> = {}): SessionSpec {
  const tls = overrides.tls ?? 'none';
  const steps: Step[] =
    overrides.steps ?? defaultSteps({ from: FROM, to: [TO], auth: overrides.auth !== undefined, tls });
  return {
    host: '127.0.0.1',
    port,
    tls,
    certificate: { mode: 'verify' },
    helo: HELO,
    timeouts: { connectMs: 2_000, greetingMs: 2_000, replyMs: 2_000 },
    ...overrides,
    steps,
  };
}

export interface Probed {
  result: SessionResult;
  outcome: Outcome;
  /** The events as the live listener received them. */
  live: TranscriptEvent[];
}

export async function probe(spec: SessionSpec, signal?: AbortSignal): Promise<Probed> {
  const live: TranscriptEvent[] = [];
  const result = await runSession(spec, { onEvent: (event) => live.push(event), signal });
  return { result, outcome: classifyOutcome(result), live };
}

/** The transcript lines of one kind, as text. */
export function texts(result: SessionResult, type: 'client' | 'server' | 'note'): string[] {
  return result.events.flatMap((event) => (event.type === type ? [event.text] : []));
}

function activeCount(kind: string): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === kind).length;
}

/** Counts of the resources a session may create, to compare before and after it. */
export function resourceBaseline(): { sockets: number; timers: number } {
  return { sockets: activeCount('TCPSocketWrap'), timers: activeCount('Timeout') };
}

/** Resolves once `condition` holds, checking after each turn of the event loop; false after `limitMs`. */
async function eventually(condition: () => boolean, limitMs: number): Promise<boolean> {
  const end = performance.now() + limitMs;
  while (!condition()) {
    if (performance.now() > end) return false;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return true;
}

/**
 * Waits (at most one second) until the fake server saw every socket close, then until the process holds no more
 * sockets or timers than before the session (a socket's handle closes one loop turn after it is destroyed): the
 * engine disposed of everything it opened.
 */
export async function expectNothingOpen(server: FakeServer, before = { sockets: 0, timers: Infinity }): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<'open'>((resolve) => {
    timer = setTimeout(() => resolve('open'), 1_000);
  });
  const state = await Promise.race([server.allClosed().then(() => 'closed' as const), limit]);
  clearTimeout(timer);
  expect(state, `${server.openSockets} socket(s) still open on the fake server`).toBe('closed');
  await eventually(
    () => activeCount('TCPSocketWrap') <= before.sockets && activeCount('Timeout') <= before.timers,
    1_000,
  );
  expect(activeCount('TCPSocketWrap'), 'TCP sockets held by this process').toBeLessThanOrEqual(before.sockets);
  expect(activeCount('Timeout'), 'timers held by this process').toBeLessThanOrEqual(before.timers);
}

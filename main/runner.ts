// Runs a plan: derives its cases for the addresses this machine can use, drives one SMTP session per case with a
// bounded number at once per server, judges each, and builds the run record. The one runner behind every face.
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import os from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { deriveMatrix, type TestCase } from '../shared/matrix.js';
import { classifyOutcome } from '../shared/outcome.js';
import type { Plan, PlanServer } from '../shared/plan.js';
import { replyText } from '../shared/reply.js';
import {
  caseRan,
  countVerdicts,
  type CaseResult,
  type RunProgress,
  type RunRecord,
  type SkipKind,
  type SourceBinding,
} from '../shared/run.js';
import type { SessionResult, TranscriptEvent } from '../shared/session.js';
import { ensureVisible, makeVisible } from '../shared/text.js';
import { judge, type Judgement } from '../shared/verdict.js';
import {
  ConcurrencyLimit,
  GREYLIST_RETRIES,
  nextBackPressureRetry,
  pressureOf,
  ServerGate,
  type Pressure,
  type RetryPolicy,
} from './backpressure.js';
import { passwordVariable } from './secrets.js';
import { runSession } from './smtp/session.js';
import { buildSessionSpec, type SessionAuth, type SessionSpec } from './smtp/sessionSpec.js';
import type { Tunnel } from './smtp/tunnel.js';
import { bindSources } from './sources.js';
import type { ReverseResolver } from './reverseDns.js';
import { proveSource } from '../shared/vantage.js';
import { VantagePool, type SecretAdvice } from './vantage/vantagePool.js';
import { planHash } from './store/planFile.js';
import { toolVersion } from './version.js';
import { errorMessage } from '../shared/errorMessage.js';

export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_TIMEOUT_SECONDS = 15;

/** An account's password for one server, or why it is not sent there (the app binds passwords to servers). */
export type PasswordLookup = (
  account: string,
  server: { host: string; port: number },
) => { password: string } | { refused: string } | undefined;

export interface RunOptions {
  /** A map gives each account's password for every server of the plan (the CLI: passwords given for this run). */
  passwords: ReadonlyMap<string, string> | PasswordLookup;
  /** Sessions at once per server; the plan's setting, else DEFAULT_CONCURRENCY. */
  concurrency?: number;
  timeoutSeconds?: number;
  data?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
  /** The run's id, when the caller needs it before the run starts (to cancel it). */
  runId?: string;
  /** Already-known source bindings (e.g. shown in the UI before the run); bound afresh when absent. */
  sources?: SourceBinding[];
  /** Retry a greylisted case after this many seconds; the plan's setting, else off. */
  retryGreylistSeconds?: number;
  /** How long to keep retrying a server that refuses for its load; BACK_PRESSURE_RETRY unless given. */
  backPressure?: RetryPolicy;
  /** The plan file's folder: vantage points' key and known_hosts files are relative to it. */
  planDir?: string;
  /** Vantage points' secrets by "vantage:NAME" (key passphrase, SSH or SOCKS5 password). */
  vantageSecrets?: ReadonlyMap<string, string>;
  /** Where the face tells the user to give a missing vantage point secret (the app names its own controls). */
  vantageSecretAdvice?: SecretAdvice;
  /** Reverse DNS for domain sources (tests use their own DNS server); by default the real one. */
  resolver?: ReverseResolver;
}

/** The cases of a plan as this machine would run them, with each source's local address. */
export async function prepareRun(plan: Plan, known?: SourceBinding[], resolver?: ReverseResolver) {
  const extraSources = plan.cases.map((planCase) => planCase.source).filter((source): source is string => !!source);
  const wanted = [...new Set([...plan.sources, ...(plan.accountSource ? [plan.accountSource] : []), ...extraSources])];
  const sources = known ?? (await bindSources(wanted, plan.vantagePoints ?? [], resolver ? { resolver } : {}));
  const addresses = new Map(
    sources.filter((binding) => binding.local).map((binding) => [binding.source, binding.local!]),
  );
  return { sources, matrix: deriveMatrix(plan, addresses) };
}

export async function runPlan(plan: Plan, options: RunOptions): Promise<RunRecord> {
  const runId = options.runId ?? randomUUID();
  const startedAt = new Date().toISOString();
  const { sources, matrix } = await prepareRun(plan, options.sources, options.resolver);
  const bindings = new Map(sources.map((binding) => [binding.source, binding]));
  const cases = matrix.cases;
  const emit = options.onProgress ?? (() => {});
  // Every running session listens for the cancel signal; the default limit of 10 would warn needlessly.
  if (options.signal) setMaxListeners(0, options.signal);
  emit({ type: 'run-started', runId, cases, sources });

  const results = new Map<string, CaseResult>();
  let done = 0;
  const finish = (result: CaseResult) => {
    results.set(result.case.id, result);
    if (caseRan(result)) done += 1;
    emit({ type: 'case-finished', runId, result, done, total: cases.length });
  };
  // Each server gets its own gate: the configured concurrency is a ceiling that back-pressure lowers (backpressure.ts).
  // Cases from a vantage point get a gate of their own per server: the server sees another client there.
  const concurrency = Math.max(1, options.concurrency ?? plan.settings?.concurrency ?? DEFAULT_CONCURRENCY);
  const gates = new Map<string, ServerGate>();
  const gateFor = (testCase: TestCase) => {
    const vantage = testCase.source ? bindings.get(testCase.source)?.vantage : undefined;
    const key = `${testCase.server}\u0000${vantage ?? ''}`;
    if (!gates.has(key)) {
      const ceiling = plan.vantagePoints?.find((point) => point.name === vantage)?.concurrency ?? concurrency;
      gates.set(key, new ServerGate(new ConcurrencyLimit(ceiling)));
    }
    return gates.get(key)!;
  };
  // One tunnel per vantage point for the whole run.
  const pool = await VantagePool.open(
    plan.vantagePoints ?? [],
    options.planDir ?? process.cwd(),
    options.vantageSecrets ?? new Map(),
    options.vantageSecretAdvice,
  );
  try {
    await Promise.all(
      cases.map(async (testCase) =>
        finish(
          withReverseName(
            await runCase(testCase, plan, bindings, options, runId, emit, gateFor(testCase), pool),
            bindings,
          ),
        ),
      ),
    );
  } finally {
    pool.close();
  }

  const ordered = cases.map((testCase) => results.get(testCase.id)!);
  const run: RunRecord = {
    relayTesterRun: 1,
    id: runId,
    planName: plan.name,
    planHash: planHash(plan),
    plan,
    toolVersion: toolVersion(),
    hostName: os.hostname(),
    startedAt,
    finishedAt: new Date().toISOString(),
    cancelled: options.signal?.aborted ?? false,
    sources,
    summary: countVerdicts(ordered),
    cases: ordered,
  };
  emit({ type: 'run-finished', runId, run });
  return run;
}

function skipped(testCase: TestCase, reason: string, skip: SkipKind): CaseResult {
  return { case: testCase, verdict: 'skipped', reason, skip, transcript: [] };
}

/** The session that runs one case, or why it cannot run here. Shared with the benchmark. */
export function sessionSpecFor(
  testCase: TestCase,
  plan: Plan,
  bindings: ReadonlyMap<string, SourceBinding>,
  options: Pick<RunOptions, 'passwords' | 'timeoutSeconds' | 'data'>,
  pool?: VantagePool,
): { spec: SessionSpec; local?: string; vantage?: string } | { skip: string; kind: SkipKind } | { error: string } {
  const server = plan.servers.find((candidate) => candidate.name === testCase.server);
  if (testCase.skip) return { skip: 'skipped by the plan', kind: 'by-plan' };
  if (!server) return { error: `no server is named "${testCase.server}"` };
  if (testCase.unrunnable) return { skip: `not runnable: ${testCase.unrunnable}`, kind: 'not-runnable' };
  const binding = testCase.source ? bindings.get(testCase.source) : undefined;
  const vantage = binding?.vantage ? pool?.get(binding.vantage) : undefined;
  if (binding?.vantage && !vantage) return { error: `vantage point ${binding.vantage} is not open for this run` };
  if (vantage && 'error' in vantage) return { error: `vantage point ${vantage.point.name}: ${vantage.error}` };
  if (testCase.source && !binding?.local && !vantage) {
    return {
      skip: `not runnable here: ${binding?.reason ?? `no local address for ${testCase.source}`}`,
      kind: 'not-runnable-here',
    };
  }
  let auth: SessionAuth | undefined;
  if (testCase.account) {
    const found = testCase.wrongPassword
      ? { password: `wrong-${randomUUID()}` }
      : passwordFor(options.passwords, testCase.account, server);
    if (found === undefined) {
      return {
        skip: `no password for ${testCase.account}: give it in the secrets file (--secrets), ${passwordVariable(testCase.account)} or at the prompt`,
        kind: 'no-password',
      };
    }
    if ('refused' in found) return { skip: found.refused, kind: 'no-password' };
    auth = { user: testCase.account, password: found.password };
    const mechanism = plan.accountMechanisms?.[testCase.account] ?? server.authMechanism;
    if (mechanism) auth.mechanism = mechanism;
    if (server.ntlm) auth.ntlm = { ...server.ntlm };
  }
  const timeoutMs = (options.timeoutSeconds ?? plan.settings?.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
  const spec = buildSessionSpec({
    host: server.host,
    port: server.port,
    tls: server.tls,
    certificate: { pinSha256: server.certificateSha256, allowInvalid: server.allowInvalidCertificate },
    helo: server.helo,
    auth,
    timeoutMs,
    from: testCase.expect === 'banner' ? undefined : testCase.from,
    to: testCase.to ? [testCase.to] : [],
    data: options.data ?? plan.settings?.data ?? false,
    source: binding?.local,
    via: vantage?.tunnel,
  });
  if (vantage) return { spec, vantage: vantage.point.name };
  return binding?.local ? { spec, local: binding.local } : { spec };
}

function passwordFor(passwords: RunOptions['passwords'], account: string, server: PlanServer) {
  if (typeof passwords === 'function') return passwords(account, server);
  const password = passwords.get(account);
  return password === undefined ? undefined : { password };
}

/** An event of a later attempt, its time shifted to count from the case's first attempt. */
function shifted(event: TranscriptEvent, offsetMs: number): TranscriptEvent {
  return offsetMs === 0 ? event : { ...event, t: Math.round((event.t + offsetMs) * 10) / 10 };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Runs one case: a session per attempt, each under the server's gate. Back-pressure (the server refusing for its
 * load) is retried with backoff while the gate lowers the server's concurrency; greylisting is retried only when the
 * user asked for it. Every attempt stays in the transcript, with a note saying why the next one came.
 */
async function runCase(
  testCase: TestCase,
  plan: Plan,
  bindings: ReadonlyMap<string, SourceBinding>,
  options: RunOptions,
  runId: string,
  emit: (progress: RunProgress) => void,
  gate: ServerGate,
  pool?: VantagePool,
): Promise<CaseResult> {
  if (options.signal?.aborted)
    return {
      case: testCase,
      verdict: 'cancelled',
      reason: 'the run was cancelled before this case ran',
      transcript: [],
    };
  const prepared = sessionSpecFor(testCase, plan, bindings, options, pool);
  if ('skip' in prepared) return skipped(testCase, prepared.skip, prepared.kind);
  if ('error' in prepared) return { case: testCase, verdict: 'error', reason: prepared.error, transcript: [] };
  const { spec, local, vantage } = prepared;
  const greylistSeconds = options.retryGreylistSeconds ?? plan.settings?.retryGreylistSeconds;
  const transcript: TranscriptEvent[] = [];
  const record = (event: TranscriptEvent) => {
    transcript.push(event);
    emit({ type: 'case-event', runId, caseId: testCase.id, event });
  };
  const cancelled = (): CaseResult => ({
    case: testCase,
    verdict: 'cancelled',
    reason: 'the run was cancelled during this case',
    transcript,
  });

  let slot = await gate.acquire();
  if (options.signal?.aborted) {
    slot.release('neutral');
    return {
      case: testCase,
      verdict: 'cancelled',
      reason: 'the run was cancelled before this case ran',
      transcript: [],
    };
  }
  emit({ type: 'case-started', runId, caseId: testCase.id, local });
  const caseStarted = performance.now();
  let attempts = 0;
  let waitedMs = 0;
  let greylistRetries = 0;
  let firstStartedAt: string | undefined;
  for (;;) {
    attempts += 1;
    const offset = attempts === 1 ? 0 : performance.now() - caseStarted;
    let session: SessionResult;
    try {
      session = await runSession(spec, { signal: options.signal, onEvent: (event) => record(shifted(event, offset)) });
    } catch (error) {
      slot.release('neutral');
      return {
        case: testCase,
        verdict: 'error',
        reason: `could not run: ${ensureVisible(errorMessage(error))}`,
        transcript,
      };
    }
    firstStartedAt ??= session.startedAt;
    const pressure = pressureOf(testCase.expect, session.exchanges);
    const greeted = session.exchanges.some((exchange) => exchange.stage === 'greeting' && exchange.reply.code === 220);
    slot.release(pressure?.kind === 'back-pressure' ? 'pressed' : greeted ? 'succeeded' : 'neutral');

    let wait: { ms: number; note: string } | undefined;
    let gaveUp: string | undefined;
    if (pressure?.kind === 'back-pressure' && !options.signal?.aborted) {
      const decision = nextBackPressureRetry(attempts, waitedMs, options.backPressure);
      if (decision.retry) {
        wait = {
          ms: decision.delayMs,
          note: `attempt ${attempts}: the server refused the connection for its load ("${pressure.reply}"), so nothing was judged; retrying in ${seconds(decision.delayMs)}, with at most ${gate.limit.allowed} session(s) at once to this server`,
        };
      } else gaveUp = decision.reason;
    } else if (pressure?.kind === 'greylisted' && greylistSeconds && greylistRetries < GREYLIST_RETRIES) {
      greylistRetries += 1;
      wait = {
        ms: greylistSeconds * 1000,
        note: `attempt ${attempts}: the server deferred the recipient ("${pressure.reply}"), likely greylisting; retrying in ${greylistSeconds} s as asked (--retry-greylist)`,
      };
    }
    if (!wait) {
      const result = judged(
        testCase,
        session,
        pressure,
        { attempts, gaveUp, greylistSeconds, greylistRetries },
        vantage,
        spec.via,
        testCase.source ? bindings.get(testCase.source)?.address : undefined,
      );
      result.transcript = transcript;
      result.startedAt = firstStartedAt;
      result.durationMs = Math.round((performance.now() - caseStarted) * 10) / 10;
      return result;
    }
    record({
      type: 'note',
      t: Math.round((performance.now() - caseStarted) * 10) / 10,
      level: 'warning',
      text: wait.note,
    });
    waitedMs += wait.ms;
    try {
      await delay(wait.ms, undefined, { signal: options.signal });
    } catch {
      return cancelled();
    }
    slot = await gate.acquire(true);
    if (options.signal?.aborted) {
      slot.release('neutral');
      return cancelled();
    }
  }
}

/** Judges the case on its last attempt; a case the server never evaluated is never judged on that refusal. */
function judged(
  testCase: TestCase,
  session: SessionResult,
  pressure: Pressure | undefined,
  retries: {
    attempts: number;
    gaveUp: string | undefined;
    greylistSeconds: number | undefined;
    greylistRetries: number;
  },
  vantage?: string,
  via?: Tunnel,
  confirmedAddress?: string,
): CaseResult {
  const outcome = classifyOutcome(session);
  const greetingReply = session.exchanges.find((exchange) => exchange.stage === 'greeting')?.reply;
  const greeting = greetingReply ? makeVisible(replyText(greetingReply)) : undefined;
  let judgement: Judgement = judge(testCase, outcome, { greeting, messageId: session.messageId });
  if (pressure?.kind === 'back-pressure' && outcome.outcome !== 'cancelled') {
    judgement = {
      verdict: 'inconclusive',
      reason: `not tested: the server kept refusing the connection for its load ("${pressure.reply}"); ${retries.gaveUp ?? `stopped after ${retries.attempts} attempt(s)`}. Run again later or with a lower --concurrency`,
    };
  } else if (pressure?.kind === 'greylisted' && judgement.verdict === 'inconclusive') {
    judgement = {
      ...judgement,
      reason: retries.greylistSeconds
        ? `${judgement.reason}; still deferred after ${retries.greylistRetries} retr${retries.greylistRetries === 1 ? 'y' : 'ies'} ${retries.greylistSeconds} s apart: the server's greylisting delay may be longer`
        : `${judgement.reason}; greylisting is likely: retry after the server's delay with --retry-greylist SECONDS (or settings.retryGreylistSeconds in the plan)`,
    };
  }
  if (vantage && testCase.source)
    judgement = withSourceProof(judgement, testCase.source, session.exchanges, confirmedAddress);
  // A session cut because the tunnel broke says so, instead of blaming the server.
  if (via?.failure && session.failure) {
    judgement = { verdict: 'error', reason: `${via.failure} during this case (at ${session.failure.stage})` };
  }
  const result: CaseResult = {
    case: testCase,
    ...judgement,
    outcome,
    startedAt: session.startedAt,
    durationMs: session.durationMs,
    transcript: session.events,
  };
  if (session.local && !vantage) result.local = session.local.address;
  if (vantage) {
    result.vantage = vantage;
    if (via) result.via = via.describe;
  }
  if (greeting !== undefined) result.greeting = greeting;
  if (session.tls) result.tls = session.tls;
  if (session.messageId) result.messageId = session.messageId;
  return result;
}

/**
 * A case run from a vantage point counts only if it came from the source it tests: where the server names the
 * client address in its EHLO reply, a different address makes the case an error; where it names none, the
 * reason says the source could not be proven.
 */
function withSourceProof(
  judgement: Judgement,
  source: string,
  exchanges: SessionResult['exchanges'],
  confirmedAddress?: string,
): Judgement {
  const ehlo = exchanges.find((exchange) => exchange.stage === 'ehlo' && exchange.reply.code === 250);
  const proof = proveSource(source, ehlo ? makeVisible(ehlo.reply.lines[0] ?? '') : undefined, confirmedAddress);
  if (proof.proven === true) return { ...judgement, reason: `${judgement.reason} (the server saw ${proof.address})` };
  if (proof.proven === false)
    return {
      verdict: 'error',
      reason: `${proof.reason}: the vantage point does not come from the network it should serve`,
    };
  return { ...judgement, reason: `${judgement.reason} (${proof.reason})` };
}

/** A case from a domain source says which forward-confirmed name put it there (the server matches the same way). */
function withReverseName(result: CaseResult, bindings: ReadonlyMap<string, SourceBinding>): CaseResult {
  const binding = result.case.source ? bindings.get(result.case.source) : undefined;
  if (!binding?.reverseName || result.verdict === 'skipped' || result.verdict === 'cancelled') return result;
  const note = `from ${binding.source}: ${binding.address} is ${binding.reverseName}, forward-confirmed`;
  return { ...result, reason: `${result.reason} (${note})` };
}

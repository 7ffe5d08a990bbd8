// Runs a plan: derives its cases for the addresses this machine can use, drives one SMTP session per case with a
// bounded number at once per server, judges each, and builds the run record. The one runner behind every face.
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import os from 'node:os';
import { deriveMatrix, type TestCase } from '../shared/matrix.js';
import { classifyOutcome } from '../shared/outcome.js';
import type { Plan, PlanServer } from '../shared/plan.js';
import { replyText } from '../shared/reply.js';
import { countVerdicts, type CaseResult, type RunProgress, type RunRecord, type SourceBinding } from '../shared/run.js';
import type { CertificateCheck } from '../shared/session.js';
import { makeVisible } from '../shared/text.js';
import { judge } from '../shared/verdict.js';
import { passwordVariable } from './secrets.js';
import { runSession } from './smtp/session.js';
import { defaultSteps, type SessionSpec } from './smtp/sessionSpec.js';
import { bindSources } from './sources.js';
import { proveSource } from '../shared/vantage.js';
import { VantagePool } from './vantage/vantagePool.js';
import { planHash } from './store/planFile.js';
import { toolVersion } from './version.js';

export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_TIMEOUT_SECONDS = 15;

export interface RunOptions {
  passwords: ReadonlyMap<string, string>;
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
  /** The plan file's folder: vantage points' key and known_hosts files are relative to it. */
  planDir?: string;
}

function certificateCheck(server: PlanServer): CertificateCheck {
  if (server.certificateSha256) return { mode: 'pin', sha256: server.certificateSha256 };
  if (server.allowInvalidCertificate) return { mode: 'allow-invalid' };
  return { mode: 'verify' };
}

/** The cases of a plan as this machine would run them, with each source's local address. */
export async function prepareRun(plan: Plan, known?: SourceBinding[]) {
  const extraSources = plan.cases.map((planCase) => planCase.source).filter((source): source is string => !!source);
  const wanted = [...new Set([...plan.sources, ...extraSources])];
  const sources = known ?? (await bindSources(wanted, plan.vantagePoints ?? []));
  const addresses = new Map(sources.filter((binding) => binding.local).map((binding) => [binding.source, binding.local!]));
  return { sources, matrix: deriveMatrix(plan, addresses) };
}

export async function runPlan(plan: Plan, options: RunOptions): Promise<RunRecord> {
  const runId = options.runId ?? randomUUID();
  const startedAt = new Date().toISOString();
  const { sources, matrix } = await prepareRun(plan, options.sources);
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
    done += 1;
    emit({ type: 'case-finished', runId, result, done, total: cases.length });
  };
  const concurrency = options.concurrency ?? plan.settings?.concurrency ?? DEFAULT_CONCURRENCY;
  const byServer = new Map<string, TestCase[]>();
  for (const testCase of cases) byServer.set(testCase.server, [...(byServer.get(testCase.server) ?? []), testCase]);

  // One tunnel per vantage point for the whole run; its secrets come with the passwords ("vantage:NAME").
  const pool = await VantagePool.open(plan.vantagePoints ?? [], options.planDir ?? process.cwd(), options.passwords);
  try {
    await Promise.all(
      [...byServer.values()].map(async (queue) => {
        const worker = async () => {
          for (let next = queue.shift(); next; next = queue.shift()) {
            finish(await runCase(next, plan, bindings, options, runId, emit, pool));
          }
        };
        await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
      }),
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

function skipped(testCase: TestCase, reason: string): CaseResult {
  return { case: testCase, verdict: 'skipped', reason, transcript: [] };
}

/** The session that runs one case, or why it cannot run here. Shared with the benchmark. */
export function sessionSpecFor(
  testCase: TestCase,
  plan: Plan,
  bindings: ReadonlyMap<string, SourceBinding>,
  options: Pick<RunOptions, 'passwords' | 'timeoutSeconds' | 'data'>,
  pool?: VantagePool,
): { spec: SessionSpec; local?: string; vantage?: string } | { skip: string } | { error: string } {
  const server = plan.servers.find((candidate) => candidate.name === testCase.server);
  if (testCase.skip) return { skip: 'skipped by the plan' };
  if (!server) return { error: `no server is named "${testCase.server}"` };
  if (testCase.unrunnable) return { skip: `not runnable: ${testCase.unrunnable}` };
  const binding = testCase.source ? bindings.get(testCase.source) : undefined;
  const vantage = binding?.vantage ? pool?.get(binding.vantage) : undefined;
  if (binding?.vantage && !vantage) return { error: `vantage point ${binding.vantage} is not open for this run` };
  if (vantage && 'error' in vantage) return { error: `vantage point ${vantage.point.name}: ${vantage.error}` };
  if (testCase.source && !binding?.local && !vantage) {
    return { skip: `not runnable here: ${binding?.reason ?? `no local address for ${testCase.source}`}` };
  }
  let auth: SessionSpec['auth'];
  if (testCase.account) {
    const password = testCase.wrongPassword ? `wrong-${randomUUID()}` : options.passwords.get(testCase.account);
    if (password === undefined) {
      return {
        skip: `no password for ${testCase.account}: give it in the secrets file (--secrets), ${passwordVariable(testCase.account)} or at the prompt`,
      };
    }
    auth = { user: testCase.account, password };
    if (server.authMechanism) auth.mechanism = server.authMechanism as NonNullable<SessionSpec['auth']>['mechanism'];
  }
  const timeoutMs = (options.timeoutSeconds ?? plan.settings?.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
  const tls = server.tls as SessionSpec['tls'];
  const spec: SessionSpec = {
    host: server.host,
    port: server.port,
    tls,
    certificate: certificateCheck(server),
    helo: server.helo ?? os.hostname(),
    timeouts: { connectMs: timeoutMs, greetingMs: timeoutMs, replyMs: timeoutMs },
    steps: defaultSteps({
      from: testCase.expect === 'banner' ? undefined : testCase.from,
      to: testCase.to ? [testCase.to] : [],
      auth: auth !== undefined,
      tls,
      data: options.data ?? plan.settings?.data ?? false,
    }),
  };
  if (auth) spec.auth = auth;
  if (vantage) {
    spec.via = vantage.tunnel;
    return { spec, vantage: vantage.point.name };
  }
  if (binding?.local) spec.source = binding.local;
  return binding?.local ? { spec, local: binding.local } : { spec };
}

async function runCase(
  testCase: TestCase,
  plan: Plan,
  bindings: ReadonlyMap<string, SourceBinding>,
  options: RunOptions,
  runId: string,
  emit: (progress: RunProgress) => void,
  pool?: VantagePool,
): Promise<CaseResult> {
  if (options.signal?.aborted) return skipped(testCase, 'the run was cancelled before this case ran');
  const prepared = sessionSpecFor(testCase, plan, bindings, options, pool);
  if ('skip' in prepared) return skipped(testCase, prepared.skip);
  if ('error' in prepared) return { case: testCase, verdict: 'error', reason: prepared.error, transcript: [] };
  const { spec, local, vantage } = prepared;
  emit({ type: 'case-started', runId, caseId: testCase.id, local });
  let session;
  try {
    session = await runSession(spec, {
      signal: options.signal,
      onEvent: (event) => emit({ type: 'case-event', runId, caseId: testCase.id, event }),
    });
  } catch (error) {
    return { case: testCase, verdict: 'error', reason: `could not run: ${(error as Error).message}`, transcript: [] };
  }
  const outcome = classifyOutcome(session);
  const greetingReply = session.exchanges.find((exchange) => exchange.stage === 'greeting')?.reply;
  const greeting = greetingReply ? makeVisible(replyText(greetingReply)) : undefined;
  let judgement = judge(testCase, outcome, { greeting, messageId: session.messageId });
  if (vantage && testCase.source) judgement = withSourceProof(judgement, testCase.source, session.exchanges);
  // A session cut because the tunnel broke says so, instead of blaming the server.
  if (spec.via?.failure && session.failure) {
    judgement = { verdict: 'error', reason: `${spec.via.failure} during this case (at ${session.failure.stage})` };
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
    if (spec.via) result.via = spec.via.describe;
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
function withSourceProof(judgement: ReturnType<typeof judge>, source: string, exchanges: SessionExchanges): ReturnType<typeof judge> {
  const ehlo = exchanges.find((exchange) => exchange.stage === 'ehlo' && exchange.reply.code === 250);
  const proof = proveSource(source, ehlo ? makeVisible(ehlo.reply.lines[0] ?? '') : undefined);
  if (proof.proven === true) return { ...judgement, reason: `${judgement.reason} (the server saw ${proof.address})` };
  if (proof.proven === false) return { verdict: 'error', reason: `${proof.reason}: the vantage point does not come from the network it should serve` };
  return { ...judgement, reason: `${judgement.reason} (${proof.reason})` };
}

type SessionExchanges = Awaited<ReturnType<typeof runSession>>['exchanges'];

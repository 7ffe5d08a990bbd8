// The quick probe of the app: one SMTP dialog, built as `relay-tester probe` builds it (buildSessionSpec), streamed
// to the window as `probeProgress` and ended with the outcome the engine decided. The password is the one typed for
// this probe (held only while it runs), else the kept or lab password under the same rules as runs.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { errorMessage } from '../../shared/errorMessage.js';
import type { CommandRequest, EventPayloads } from '../../shared/ipc.js';
import { classifyOutcome } from '../../shared/outcome.js';
import { checkPlan } from '../../shared/plan.js';
import type { ProbeProgress } from '../../shared/probe.js';
import { DEFAULT_TIMEOUT_SECONDS } from '../runner.js';
import { runSession } from '../smtp/session.js';
import { buildSessionSpec, checkSpec, InputError, type SessionAuth } from '../smtp/sessionSpec.js';
import { bindSource } from '../sources.js';
import { VantagePool } from '../vantage/vantagePool.js';
import { ApiFailure, type Handlers } from './dispatch.js';
import type { PasswordService } from './passwordService.js';
import type { PasswordStore } from './passwordStore.js';
import { ProgressBatcher } from './progressBatcher.js';
import { vantageSecretsFor } from './vantageSecrets.js';
import type { WorkspaceAccess } from './workspaceAccess.js';

export type ProbeHandlers = Pick<Handlers, 'startProbe' | 'cancelProbe'>;

export interface ProbeService {
  handlers: ProbeHandlers;
  /** Cancels every probe and waits for them to end. */
  close(): Promise<void>;
}

/** At most this many probes at once: a probe is a person's question, not a load test. */
const MAX_PROBES = 4;

function isLast(progress: ProbeProgress): boolean {
  return progress.type !== 'probe-event';
}

export function createProbeService(
  access: WorkspaceAccess,
  passwords: PasswordService,
  emit: (event: 'probeProgress', payload: EventPayloads['probeProgress']) => void,
  store: PasswordStore,
): ProbeService {
  const probes = new Map<string, { controller: AbortController; done: Promise<void> }>();
  const batcher = new ProgressBatcher<ProbeProgress>((batch) => emit('probeProgress', batch), 16, isLast);

  /** Where the probe connects from: a local address bound for `source`, or a vantage point's tunnel. */
  async function origin(request: CommandRequest<'startProbe'>) {
    if (request.vantage !== undefined) {
      if (request.source !== undefined)
        throw new ApiFailure('invalid-request', 'choose a source address or a vantage point, not both');
      const check = checkPlan(request.plan);
      if (!check.ok)
        throw new ApiFailure('invalid-request', 'the vantage point comes from the plan, which has problems');
      const point = check.plan.vantagePoints?.find((candidate) => candidate.name === request.vantage);
      if (!point) throw new ApiFailure('invalid-request', `the plan has no vantage point named "${request.vantage}"`);
      const planDir = request.planPath ? path.dirname(await access.allowed(request.planPath)) : access.workspace;
      const pool = await VantagePool.open([point], planDir, vantageSecretsFor(check.plan, store));
      const entry = pool.get(point.name)!;
      if ('error' in entry) {
        pool.close();
        throw new ApiFailure('failed', `vantage point ${point.name}: ${entry.error}`);
      }
      return { pool, tunnel: entry.tunnel, vantage: point.name };
    }
    if (request.source === undefined) return {};
    const binding = await bindSource(request.source);
    if (!binding.local)
      throw new ApiFailure('invalid-request', `cannot probe from ${request.source}: ${binding.reason}`);
    return { local: binding.local };
  }

  const handlers: ProbeHandlers = {
    async startProbe(request) {
      if (probes.size >= MAX_PROBES)
        throw new ApiFailure('invalid-request', `${MAX_PROBES} probes are running already: wait for one to end`);
      if ((request.mechanism || request.password) && !request.account)
        throw new ApiFailure('invalid-request', 'a mechanism or password needs an account');
      let auth: SessionAuth | undefined;
      if (request.account) {
        const found =
          request.password !== undefined
            ? { password: request.password }
            : await passwords.forProbe(request.account, request.host, request.port, request.consent);
        if ('consentNeeded' in found) return found;
        if ('refused' in found) throw new ApiFailure('invalid-request', found.refused);
        auth = { user: request.account, password: found.password };
        if (request.mechanism) auth.mechanism = request.mechanism;
      }
      const from = await origin(request);
      const spec = buildSessionSpec({
        host: request.host,
        port: request.port,
        tls: request.tls,
        certificate: request.certificate ?? {},
        helo: request.helo,
        auth,
        timeoutMs: (request.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
        from: request.from,
        to: request.to,
        source: from.local,
        via: from.tunnel,
      });
      try {
        checkSpec(spec);
      } catch (error) {
        from.pool?.close();
        if (error instanceof InputError) throw new ApiFailure('invalid-request', error.message);
        throw error;
      }
      const probeId = randomUUID();
      const controller = new AbortController();
      const done = runSession(spec, {
        signal: controller.signal,
        onEvent: (event) => batcher.push({ type: 'probe-event', probeId, event }),
      })
        .then((result) => {
          const finished: ProbeProgress = { type: 'probe-finished', probeId, outcome: classifyOutcome(result) };
          if (from.vantage) finished.vantage = from.vantage;
          else if (result.local) finished.local = result.local.address;
          batcher.push(finished);
        })
        // The window is always told how it ended, never left "probing".
        .catch((error: unknown) => batcher.push({ type: 'probe-failed', probeId, message: errorMessage(error) }))
        .finally(() => {
          from.pool?.close();
          probes.delete(probeId);
        });
      probes.set(probeId, { controller, done });
      return { probeId };
    },
    async cancelProbe({ probeId }) {
      const probe = probes.get(probeId);
      if (!probe) return { cancelled: false };
      probe.controller.abort();
      await probe.done;
      return { cancelled: true };
    },
  };

  return {
    handlers,
    async close() {
      for (const probe of probes.values()) probe.controller.abort();
      await Promise.all([...probes.values()].map((probe) => probe.done));
      batcher.flush();
    },
  };
}

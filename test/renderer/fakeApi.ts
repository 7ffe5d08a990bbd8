// A fake RelayTesterApi: the renderer's boundary, so component tests need neither a network nor a core. Each
// command is a vi.fn with a plausible default answer; emit() pushes events as the core would.
import { vi, type Mock } from 'vitest';
import type {
  AppInfo,
  ConsentQuestion,
  EventName,
  EventPayloads,
  PasswordBinding,
  RelayTesterApi,
} from '../../shared/ipc.js';
import type { SourceBinding } from '../../shared/run.js';

export type FakeApi = {
  [K in keyof Omit<RelayTesterApi, 'on'>]: Mock<RelayTesterApi[K]>;
} & {
  on: RelayTesterApi['on'];
  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void;
};

export function labPlan(): Record<string, unknown> {
  return {
    relayTesterPlan: 1,
    name: 'Relay Tester lab demo',
    domains: { local: ['corp.test'], external: 'external.example' },
    sender: 'helpdesk@corp.test',
    accounts: ['alice', 'bob', 'mallory'],
    sources: ['127.0.0.5', '127.0.0.10', '127.0.1.0/24', '127.0.2.5', '127.0.9.0/24'],
    servers: [
      {
        name: 'SMTP Relay Virtual Server',
        host: '127.0.0.2',
        port: 2526,
        tls: 'auto',
        allowInvalidCertificate: true,
        banner: 'relay.corp.test',
        relay: { users: ['alice', 'bob'], hosts: ['127.0.0.10', '127.0.1.0/24'] },
        connect: { deny: ['127.0.9.0/24'] },
      },
    ],
    cases: [],
  };
}

export function bindingsFor(sources: readonly string[], unbound: Record<string, string> = {}): SourceBinding[] {
  return sources.map((source) => {
    const reason = unbound[source];
    if (reason) return { source, reason };
    return { source, local: source.includes('/') ? source.replace(/\.0\/\d+$/, '.1') : source };
  });
}

export function createFakeApi(
  options: { plan?: unknown; sources?: SourceBinding[]; face?: AppInfo['face'] } = {},
): FakeApi {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const plan = options.plan ?? labPlan();
  const sources = options.sources ?? bindingsFor((plan as { sources: string[] }).sources);
  const info: AppInfo = {
    version: '0.1.0-test',
    face: options.face ?? 'browser',
    workspace: '/tmp/workspace',
    platform: 'linux',
    startPlan: { plan, demo: true },
    passwordStorage: { kind: 'memory', note: 'Passwords are kept in memory for this session only.' },
  };
  const api = {
    getAppInfo: vi.fn(async () => info),
    newPlan: vi.fn(async () => ({ plan: labPlan() })),
    listPlans: vi.fn(async () => []),
    openPlan: vi.fn(async () => null),
    savePlan: vi.fn(async (request: { path?: string }) => ({
      saved: true as const,
      path: request.path ?? '/tmp/workspace/plan.json',
    })),
    inspectPlan: vi.fn(async () => ({ check: { ok: true }, sources }) as never),
    setPassword: vi.fn(async () => info.passwordStorage),
    bindPassword: vi.fn(async () => ({ bound: true })),
    forgetPassword: vi.fn(async () => ({ forgotten: true })),
    passwordStatus: vi.fn(async () => ({
      known: [] as string[],
      bindings: [] as PasswordBinding[],
      storage: info.passwordStorage,
    })),
    startRun: vi.fn(async (): Promise<{ runId: string } | { consentNeeded: ConsentQuestion }> => ({ runId: 'run-1' })),
    cancelRun: vi.fn(async () => ({ cancelled: true })),
    startProbe: vi.fn(async (): Promise<{ probeId: string } | { consentNeeded: ConsentQuestion }> => ({
      probeId: 'probe-1',
    })),
    cancelProbe: vi.fn(async () => ({ cancelled: true })),
    listRuns: vi.fn(async () => []),
    loadRun: vi.fn(async () => {
      throw new Error('no runs in the fake');
    }),
    compareRuns: vi.fn(async () => ({ samePlan: true, changes: [], unchanged: 0 })),
    deleteRun: vi.fn(async () => ({ deleted: true as const })),
    labelRun: vi.fn(async (request: { label: string }): Promise<{ label?: string }> =>
      request.label.trim() ? { label: request.label.trim() } : {},
    ),
    exportReport: vi.fn(async (request: { runFile: string; format: string }) => ({
      path: `/tmp/workspace/reports/report.${request.format}`,
    })),
    importPlan: vi.fn(async (request: { fileName: string }) => ({
      path: `/tmp/workspace/${request.fileName}`,
      plan: labPlan(),
    })),
    downloadReport: vi.fn(async (request: { format: 'html' | 'pdf' }) => ({
      fileName: `report.${request.format}`,
      mimeType: request.format === 'pdf' ? 'application/pdf' : 'text/html',
      base64: btoa('<!doctype html><title>report</title>'),
    })),
    revealFile: vi.fn(async () => ({ shown: true })),
    fetchHostKey: vi.fn(async () => ({
      sha256: 'SHA256:oypAOfiRZugH+iBTa3vASC9Rohi8NHuyKfmNcpOS37g',
      type: 'ssh-ed25519',
    })),
    on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    emit<E extends EventName>(event: E, payload: EventPayloads[E]) {
      for (const listener of listeners.get(event) ?? []) (listener as (value: EventPayloads[E]) => void)(payload);
    },
  };
  return api;
}

// The run file read back: a run may come from someone else (attached to a ticket, mailed for review), so it is
// validated like a plan before any face shows it, and every text in it is made visible (a crafted file must not
// drive the terminal, fake the transcript pane or hide text in a report).
import { z } from 'zod';
import { MAX_SELECTED_CASES } from './caseSelection.js';
import type { CaseKind, TestCase } from './matrix.js';
import type { Outcome, OutcomeKind } from './outcome.js';
import { checkPlan, EXPECTATIONS, jsonPath, parseJsonText, type PlanProblem } from './plan.js';
import { RUN_VERSION, SKIP_KINDS, upgradeRun, type RunRecord } from './run.js';
import type { Stage, TranscriptEvent } from './session.js';
import { ensureVisibleDeep, makeVisible } from './text.js';
import { VERDICTS } from './verdict.js';

/** A run file larger than this is refused before it is parsed (a real run of 1000 cases is a few MB). */
export const RUN_LIMITS = { maxBytes: 64 * 1024 * 1024 } as const;

const STAGES = [
  'connect',
  'greeting',
  'ehlo',
  'helo',
  'starttls',
  'tls',
  'auth',
  'mail',
  'rcpt',
  'data',
  'message',
  'rset',
  'quit',
] as const satisfies readonly Stage[];
const CASE_KINDS = [
  'source',
  'account',
  'wrong-password',
  'send-as-other',
  'banner',
  'trick',
  'extra',
] as const satisfies readonly CaseKind[];
const everyStage: [Exclude<Stage, (typeof STAGES)[number]>] extends [never] ? true : never = true;
const everyCaseKind: [Exclude<CaseKind, (typeof CASE_KINDS)[number]>] extends [never] ? true : never = true;
void everyStage;
void everyCaseKind;
const OUTCOME_KINDS = [
  'connect-failed',
  'rejected-at-connect',
  'tls-failed',
  'auth-unavailable',
  'auth-failed',
  'sender-rejected',
  'recipient-accepted',
  'recipient-rejected',
  'temporary-failure',
  'timeout',
  'protocol-error',
  'cancelled',
  'connected',
  'unsupported',
] as const satisfies readonly OutcomeKind[];
// Every outcome must be listed, or run files holding it would be refused: a compile error when one is missing.
const everyOutcome: [Exclude<OutcomeKind, (typeof OUTCOME_KINDS)[number]>] extends [never] ? true : never = true;
void everyOutcome;

const text = z.string().max(1_000_000);
const time = z.number().finite();

const tlsDetails = z.object({
  protocol: text,
  cipher: text,
  verified: z.boolean(),
  verifyError: text.optional(),
  trust: z.enum(['verified', 'pinned', 'allowed-invalid', 'refused']),
  subject: text,
  issuer: text,
  validFrom: text,
  validTo: text,
  sha256: text,
  subjectAltName: text.optional(),
});

const transcriptEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('connect'),
    t: time,
    local: text,
    localPort: z.number().int(),
    remote: text,
    remotePort: z.number().int(),
    tls: z.boolean(),
  }),
  z.object({ type: z.literal('client'), t: time, text, tls: z.boolean() }),
  z.object({ type: z.literal('server'), t: time, text, tls: z.boolean() }),
  z.object({ type: z.literal('tls'), t: time, details: tlsDetails }),
  z.object({ type: z.literal('note'), t: time, level: z.enum(['info', 'warning', 'error']), text }),
  z.object({ type: z.literal('step'), t: time, stage: z.enum(STAGES), ms: time, code: z.number().int().optional() }),
  z.object({ type: z.literal('close'), t: time, reason: text }),
]);

const testCase = z.object({
  id: text,
  title: text,
  kind: z.enum(CASE_KINDS),
  server: text,
  source: text.optional(),
  account: text.optional(),
  wrongPassword: z.boolean().optional(),
  from: text.optional(),
  to: text.optional(),
  recipient: z.enum(['external', 'local', 'address']).optional(),
  expect: z.enum(EXPECTATIONS),
  banner: text.optional(),
  because: text,
  overridden: z.boolean().optional(),
  skip: z.boolean().optional(),
  unrunnable: text.optional(),
  trick: z
    .object({
      variant: text,
      name: text,
      origin: z.enum(['classic', 'nmap']),
      meaning: z.enum(['external', 'ambiguous']),
      destination: text,
      canary: text.optional(),
    })
    .optional(),
});

const outcome = z.object({
  outcome: z.enum(OUTCOME_KINDS),
  stage: z.enum(STAGES),
  code: z.number().int().optional(),
  enhancedCode: text.optional(),
  text,
  detail: text.optional(),
  recipients: z
    .array(z.object({ address: text, code: z.number().int(), enhancedCode: text.optional(), text }))
    .optional(),
});

const caseResult = z.object({
  case: testCase,
  verdict: z.enum(VERDICTS),
  reason: text,
  skip: z.enum(SKIP_KINDS).optional(),
  warning: text.optional(),
  outcome: outcome.optional(),
  local: text.optional(),
  vantage: text.optional(),
  via: text.optional(),
  startedAt: text.optional(),
  durationMs: time.optional(),
  greeting: text.optional(),
  tls: tlsDetails.optional(),
  messageId: text.optional(),
  transcript: z.array(transcriptEvent),
});

const count = z.number().int().min(0);

/** The run record without its plan, which is checked by the plan's own rules. */
const runSchema = z.object({
  relayTesterRun: z.literal(RUN_VERSION),
  id: text,
  planName: text,
  planHash: text,
  plan: z.unknown(),
  toolVersion: text,
  hostName: text,
  startedAt: text,
  finishedAt: text,
  cancelled: z.boolean(),
  sources: z.array(
    z.object({
      source: text,
      local: text.optional(),
      vantage: text.optional(),
      via: text.optional(),
      reason: text.optional(),
      reverseName: text.optional(),
      address: text.optional(),
    }),
  ),
  // Runs saved before the cancelled and needs-review verdicts have no count for them; upgradeRun recounts the summary anyway.
  summary: z.object({
    pass: count,
    fail: count,
    'needs-review': count.default(0),
    inconclusive: count,
    error: count,
    skipped: count,
    cancelled: count.default(0),
  }),
  cases: z.array(caseResult),
  selection: z.object({ caseIds: z.array(text).max(MAX_SELECTED_CASES), of: count }).optional(),
});

// Compile-time guard: what the schema accepts is a RunRecord, so the two cannot drift apart unnoticed.
type Accepted = Omit<z.output<typeof runSchema>, 'plan'>;
const fits: (value: Accepted) => Omit<RunRecord, 'plan'> = (value) => value;
void fits;
const fitsCase: (value: z.output<typeof testCase>) => TestCase = (value) => value;
void fitsCase;
const fitsOutcome: (value: z.output<typeof outcome>) => Outcome = (value) => value;
void fitsOutcome;
const fitsEvent: (value: z.output<typeof transcriptEvent>) => TranscriptEvent = (value) => value;
void fitsEvent;

export type RunCheck = { ok: true; run: RunRecord } | { ok: false; problems: PlanProblem[] };

/** At most this many problems are listed: a wrong file would otherwise list thousands. */
const MAX_PROBLEMS = 10;

/** Validates a parsed JSON value as a run record; on success every text in it is made visible. */
export function checkRun(value: unknown): RunCheck {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const version = (value as Record<string, unknown>).relayTesterRun;
    if (version === undefined) {
      return {
        ok: false,
        problems: [{ path: '$.relayTesterRun', message: 'missing: this is not a Relay Tester run file' }],
      };
    }
    if (version !== RUN_VERSION) {
      return {
        ok: false,
        problems: [
          {
            path: '$.relayTesterRun',
            message: `unsupported run file version ${makeVisible(JSON.stringify(version))}: this Relay Tester reads version ${RUN_VERSION}`,
          },
        ],
      };
    }
  }
  const parsed = runSchema.safeParse(value);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues
        .slice(0, MAX_PROBLEMS)
        .map((issue) => ({ path: makeVisible(jsonPath(issue.path)), message: makeVisible(issue.message) })),
    };
  }
  const plan = checkPlan(parsed.data.plan);
  if (!plan.ok) {
    return {
      ok: false,
      problems: plan.problems
        .slice(0, MAX_PROBLEMS)
        .map((problem) => ({ ...problem, path: problem.path.replace(/^\$/, '$.plan') })),
    };
  }
  return { ok: true, run: upgradeRun({ ...ensureVisibleDeep(parsed.data), plan: plan.plan }) };
}

/** Parses the text of a run file, with the size limit checked first. */
export function parseRunText(json: string): RunCheck {
  const parsed = parseJsonText(json, RUN_LIMITS.maxBytes);
  return parsed.ok ? checkRun(parsed.value) : parsed;
}

/** The problems of a run file in one message, e.g. for an error dialog or the CLI. */
export function describeRunProblems(file: string, problems: readonly PlanProblem[]): string {
  const list = problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ');
  return `${makeVisible(file)} is not a valid Relay Tester run file (${list})`;
}

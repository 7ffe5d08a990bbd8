// The plan file: the intended relay policy, written once and replayed. A user-facing format: names are kept
// stable (fields may be added, never renamed). Validated by zod; docs/plan-format.schema.json is generated from
// this same definition by `relay-tester schema`.
import { z } from 'zod';
import { parseAddressSpec } from './addressSpec.js';
import { AUTH_MECHANISMS, DEFAULT_HELO, TLS_MODES } from './session.js';
import { ensureVisible, hasInvisible, makeVisible } from './text.js';
import { vantagePointSchema } from './vantage.js';
import { errorMessage } from './errorMessage.js';
import { planIssueMessage } from './planWords.js';

export const PLAN_VERSION = 1;

/** Limits on a plan file, so a hostile or broken file cannot exhaust memory or the stack (docs/reliability.md §21). */
export const PLAN_LIMITS = { maxBytes: 1_048_576, maxDepth: 12, maxListItems: 1000 } as const;

const comment = z.string().optional().describe('Free text for people; ignored by Relay Tester.');

const addressSpec = z
  .string()
  .min(1)
  .superRefine((text, context) => {
    const parsed = parseAddressSpec(text);
    if ('error' in parsed) context.addIssue({ code: 'custom', message: parsed.error });
  })
  .describe('A single IP address, a subnet in CIDR notation (IPv4 or IPv6), or a domain name (reverse DNS).');

const domainName = z
  .string()
  .regex(/^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i, {
    error: 'Enter a domain name such as corp.example',
  });

const mailAddress = z.string().regex(/^[^\s<>@\x00-\x1f]+@[^\s<>@\x00-\x1f]+$/, {
  error: 'Enter a mail address such as helpdesk@corp.example',
});

const accountName = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[^\x00-\x1f\x7f]+$/, { error: 'An account name may not contain control characters' });

const list = <T extends z.ZodType>(item: T) => z.array(item).max(PLAN_LIMITS.maxListItems);

/** A whole number in a range, with one plain message for every way of missing it ("Port must be from 1 to 65535"). */
function wholeNumber(label: string, min: number, max: number, unit = '') {
  const error = `${label} must be from ${min} to ${max}${unit}`;
  return z
    .number()
    .int({ error: `${label} must be a whole number from ${min} to ${max}${unit}` })
    .min(min, { error })
    .max(max, { error });
}

/** Exchange's relay restrictions: "Only the list below" may relay, or "All except the list below". */
export const RELAY_MODES = ['only', 'allExcept'] as const;
export type RelayMode = (typeof RELAY_MODES)[number];

export const EXPECTATIONS = ['relay', 'deny', 'reject-at-connect', 'auth-fail', 'banner', 'report'] as const;
export type Expectation = (typeof EXPECTATIONS)[number];

const serverSchema = z
  .strictObject({
    $comment: comment,
    name: z.string().min(1).max(200).describe('A name people recognise, e.g. "SMTP Relay Virtual Server".'),
    host: z.string().min(1).max(253).describe('Host name or IP address of the virtual server.'),
    port: wholeNumber('Port', 1, 65535).default(25),
    tls: z
      .enum(TLS_MODES)
      .default('auto')
      .describe(
        'auto: STARTTLS when offered, and AUTH never without it; starttls: STARTTLS required; implicit: TLS from the first byte (port 465); none: plaintext, AUTH in clear.',
      ),
    certificateSha256: z
      .string()
      .regex(/^([0-9a-f]{2}:?){31}[0-9a-f]{2}$/i, {
        error: 'Enter a SHA-256 fingerprint: 64 hex digits, in pairs that may be separated by colons',
      })
      .optional()
      .describe("Pin the server's certificate (e.g. a self-signed lab certificate) instead of verifying it."),
    allowInvalidCertificate: z
      .boolean()
      .optional()
      .describe('Accept any certificate (lab use only; shown in every transcript and report).'),
    helo: z
      .string()
      .regex(/^\S+$/, { error: 'The EHLO name must be one word, without spaces' })
      .max(255)
      .optional()
      .describe(`Name sent with EHLO; default ${DEFAULT_HELO}.`),
    authMechanism: z
      .enum(AUTH_MECHANISMS)
      .optional()
      .describe(
        'SASL mechanism for every account on this server; default: the best one offered (without TLS CRAM-MD5, then NTLM). xoauth2 and oauthbearer take an access token as the secret.',
      ),
    ntlm: z
      .strictObject({
        domain: z
          .string()
          .min(1)
          .max(256)
          .regex(/^[^\x00-\x1f\x7f\\]+$/, {
            error: 'The NTLM domain may not contain a backslash or control characters',
          })
          .optional()
          .describe(
            'Windows domain for NTLM; default: the one in the account ("CORP\\alice") or the one the server names.',
          ),
        workstation: z
          .string()
          .min(1)
          .max(64)
          .regex(/^[^\x00-\x1f\x7f]+$/, { error: 'The NTLM workstation may not contain control characters' })
          .optional()
          .describe('Workstation name NTLM reports to the server (its logs show it); default RELAY-TESTER.'),
      })
      .optional()
      .describe('NTLM settings of this server.'),
    banner: z.string().min(1).max(255).optional().describe('Name the greeting must contain (the masquerade domain).'),
    relay: z
      .strictObject({
        mode: z
          .enum(RELAY_MODES)
          .optional()
          .describe(
            'Exchange\'s relay restrictions: "only" (default): only the computers in hosts may relay ("Only the list below"); "allExcept": every computer except those in hosts may relay ("All except the list below").',
          ),
        users: list(accountName)
          .default([])
          .describe('Accounts allowed to relay after authenticating (the Relay permission, e.g. SMTP-APPROVED).'),
        hosts: list(addressSpec)
          .default([])
          .describe('The relay list: computers allowed (mode "only") or refused (mode "allExcept") relaying.'),
        anyAuthenticated: z
          .boolean()
          .optional()
          .describe(
            'Exchange\'s "Allow all computers which successfully authenticate to relay, regardless of the list above": every account that signs in may relay, not just those in users.',
          ),
      })
      .default({ users: [], hosts: [] }),
    connect: z
      .strictObject({
        deny: list(addressSpec)
          .default([])
          .describe('Computers refused at connect (connection control "All except the list below").'),
        allow: list(addressSpec)
          .optional()
          .describe(
            'Connection control "Only the list below": only these computers may connect; every other one is refused at connect. Use allow or deny, not both.',
          ),
      })
      .optional(),
    senderMustMatchLogin: z
      .boolean()
      .optional()
      .describe('When true, an authenticated user sending as another account must be refused.'),
    tricks: z
      .boolean()
      .optional()
      .describe(
        "Also try the address tricks open-relay scanners use (percent hack, bang path, source route, nmap smtp-open-relay's 16 tests; docs/address-tricks.md), each in its own session. Off by default.",
      ),
    tricksAccount: accountName
      .optional()
      .describe('Also run the address tricks authenticated as this account, which must not be allowed to relay here.'),
    canary: mailAddress
      .optional()
      .describe(
        "An external mailbox you own, targeted by this server's address tricks (over the plan's canary): with settings.data, a forwarded trick shows up there.",
      ),
  })
  .describe('One SMTP virtual server and the relay policy it should enforce.');

const caseSchema = z
  .strictObject({
    $comment: comment,
    id: z.string().min(1).max(300).describe('A derived case id to override, or the id of an extra case.'),
    title: z.string().max(300).optional(),
    server: z.string().optional().describe('Server name (extra cases only).'),
    source: addressSpec.optional(),
    account: accountName.optional(),
    wrongPassword: z.boolean().optional(),
    from: mailAddress.optional(),
    to: z
      .union([z.enum(['external', 'local']), mailAddress], {
        error: 'The recipient must be "external", "local" or a mail address',
      })
      .optional(),
    expect: z.enum(EXPECTATIONS).optional(),
    skip: z.boolean().optional().describe('Leave this case out of runs.'),
  })
  .describe('An override of a derived case (by id) or an extra case.');

export const planSchema = z
  .strictObject({
    $schema: z.string().optional(),
    $comment: comment,
    relayTesterPlan: z.literal(PLAN_VERSION).describe('Plan format version.'),
    name: z.string().min(1).max(200),
    domains: z.strictObject({
      local: list(domainName).min(1).describe('Domains the servers accept mail for (no relaying involved).'),
      external: domainName.describe('A domain outside the organisation, used as the relay target.'),
    }),
    sender: mailAddress.describe('MAIL FROM address for unauthenticated cases.'),
    accounts: list(accountName).describe('Accounts to test as; passwords come from a secrets file or a prompt.'),
    addresses: z
      .record(accountName, mailAddress)
      .optional()
      .describe('Mail address of each account; defaults to account@first local domain.'),
    accountMechanisms: z
      .record(accountName, z.enum(AUTH_MECHANISMS))
      .optional()
      .describe(
        "SASL mechanism per account, over the server's authMechanism, e.g. a service account that signs in with xoauth2.",
      ),
    sources: list(addressSpec).describe('Client addresses to test from.'),
    accountSource: addressSpec
      .optional()
      .describe(
        'Where account, wrong-password, send-as and banner cases connect from: an address or subnet this machine can use that no server relays for or denies. By default the first such entry of sources.',
      ),
    canary: mailAddress
      .optional()
      .describe(
        'An external mailbox you own, targeted by the address tricks instead of relay-test@ the external domain: with settings.data, a trick the server forwards shows up there.',
      ),
    servers: list(serverSchema).min(1),
    vantagePoints: list(vantagePointSchema)
      .optional()
      .describe('Machines in other networks to test from, over SSH or a SOCKS5 proxy (docs/vantage-points.md).'),
    cases: list(caseSchema).default([]),
    settings: z
      .strictObject({
        concurrency: wholeNumber('Concurrency', 1, 32).optional().describe('Sessions at once per server (default 4).'),
        timeoutSeconds: z
          .number()
          .positive({ error: 'Timeout must be more than 0 and at most 600 seconds' })
          .max(600, { error: 'Timeout must be more than 0 and at most 600 seconds' })
          .optional()
          .describe('Deadline of each stage (default 15).'),
        data: z.boolean().optional().describe('Send a test message after an accepted RCPT (off by default).'),
        retryGreylistSeconds: wholeNumber('Greylisting retry', 1, 3600, ' seconds')
          .optional()
          .describe(
            'Retry a case expected to be accepted that got 450/451 at RCPT (likely greylisting) after this many seconds, at most twice (off by default).',
          ),
      })
      .optional(),
  })
  .describe('A Relay Tester plan: the intended relay policy of one or more SMTP servers.');

export type Plan = z.output<typeof planSchema>;
export type PlanInput = z.input<typeof planSchema>;
export type PlanServer = Plan['servers'][number];
export type PlanCase = Plan['cases'][number];

export interface PlanProblem {
  /** JSON path such as $.servers[1].relay.hosts[0]. */
  path: string;
  message: string;
}

export type PlanCheck = { ok: true; plan: Plan } | { ok: false; problems: PlanProblem[] };

export function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) =>
      typeof key === 'number'
        ? `${out}[${key}]`
        : /^[A-Za-z_$][\w$]*$/.test(String(key))
          ? `${out}.${String(key)}`
          : `${out}[${JSON.stringify(String(key))}]`,
    '$',
  );
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const SECRET_KEY = /pass(word)?|secret|credential/i;

/**
 * Plan text reaches terminals, pages and reports: a control character (C0, DEL, C1: an escape sequence, a bare CR)
 * or an invisible format character (bidi override, zero width) in it is refused here, at the door.
 */
function controlMessage(text: string): string {
  const index = [...text].findIndex((char) => hasInvisible(char));
  const char = [...text][index] ?? '';
  return `contains the control or invisible character ${makeVisible(char)} at position ${index + 1}; plan text may not hold control characters such as escape sequences, tabs or line breaks`;
}

/** Structural checks that come before the schema: depth, prototype keys, passwords and control characters. */
function structuralProblems(value: unknown): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const walk = (node: unknown, path: PropertyKey[]) => {
    if (problems.length >= 50) return;
    if (path.length > PLAN_LIMITS.maxDepth) {
      problems.push({ path: jsonPath(path), message: `The plan is nested deeper than ${PLAN_LIMITS.maxDepth} levels` });
      return;
    }
    if (typeof node === 'string') {
      if (hasInvisible(node)) problems.push({ path: jsonPath(path), message: `This text ${controlMessage(node)}` });
    } else if (Array.isArray(node)) {
      node.forEach((item, index) => walk(item, [...path, index]));
    } else if (node && typeof node === 'object') {
      for (const key of Object.keys(node)) {
        const at = jsonPath([...path, key]);
        if (hasInvisible(key)) {
          problems.push({ path: jsonPath(path), message: `A key ${controlMessage(key)}` });
        } else if (FORBIDDEN_KEYS.has(key)) {
          problems.push({ path: at, message: `The key "${key}" is not allowed in a plan` });
        } else if (SECRET_KEY.test(key)) {
          problems.push({
            path: at,
            message:
              'Plans never hold passwords: remove this field. In the app set passwords in Plan → Passwords; on the command line give them with --secrets FILE, the environment or the prompt',
          });
        } else {
          walk((node as Record<string, unknown>)[key], [...path, key]);
        }
      }
    }
  };
  walk(value, []);
  return problems;
}

/** Cross-field rules the schema cannot say: unique names, known accounts and servers in cases. */
function semanticProblems(plan: Plan): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const serverNames = new Set<string>();
  plan.servers.forEach((server, index) => {
    if (serverNames.has(server.name)) {
      problems.push({ path: `$.servers[${index}].name`, message: `Another server is already named "${server.name}"` });
    }
    serverNames.add(server.name);
    if (server.certificateSha256 && server.allowInvalidCertificate) {
      problems.push({
        path: `$.servers[${index}]`,
        message: 'Pin a certificate fingerprint or accept any certificate, not both',
      });
    }
    if ((server.connect?.allow?.length ?? 0) > 0 && (server.connect?.deny.length ?? 0) > 0) {
      problems.push({
        path: `$.servers[${index}].connect`,
        message:
          'Connection control is either "Only the list below" (allow) or "All except the list below" (deny): give one list, not both',
      });
    }
    if (server.tricksAccount !== undefined) {
      const at = `$.servers[${index}].tricksAccount`;
      if (!plan.accounts.includes(server.tricksAccount)) {
        problems.push({ path: at, message: `"${server.tricksAccount}" is not one of the plan's accounts` });
      } else if (server.relay.users.includes(server.tricksAccount)) {
        problems.push({
          path: at,
          message: `"${server.tricksAccount}" may relay on this server (relay.users), so its address tricks would prove nothing; name an account that may not relay`,
        });
      } else if (server.relay.anyAuthenticated) {
        problems.push({
          path: at,
          message: `"${server.tricksAccount}" may relay on this server, since any account that authenticates may (relay.anyAuthenticated), so its address tricks would prove nothing; turn anyAuthenticated off or remove tricksAccount`,
        });
      }
      if (!server.tricks)
        problems.push({ path: at, message: 'A tricks account needs the address tricks turned on ("tricks": true)' });
    }
    server.relay.users.forEach((user, userIndex) => {
      if (!plan.accounts.includes(user)) {
        problems.push({
          path: `$.servers[${index}].relay.users[${userIndex}]`,
          message: `"${user}" is not one of the plan's accounts`,
        });
      }
    });
  });
  const accounts = new Set<string>();
  plan.accounts.forEach((account, index) => {
    if (accounts.has(account))
      problems.push({ path: `$.accounts[${index}]`, message: `The account "${account}" is listed twice` });
    accounts.add(account);
  });
  const vantageNames = new Set<string>();
  plan.vantagePoints?.forEach((point, index) => {
    if (vantageNames.has(point.name)) {
      problems.push({
        path: `$.vantagePoints[${index}].name`,
        message: `Another vantage point is already named "${point.name}"`,
      });
    }
    vantageNames.add(point.name);
  });
  for (const account of Object.keys(plan.accountMechanisms ?? {})) {
    if (!accounts.has(account)) {
      problems.push({
        path: jsonPath(['accountMechanisms', account]),
        message: `"${account}" is not one of the plan's accounts`,
      });
    }
  }
  plan.cases.forEach((planCase, index) => {
    if (planCase.server !== undefined && !serverNames.has(planCase.server)) {
      problems.push({ path: `$.cases[${index}].server`, message: `No server is named "${planCase.server}"` });
    }
    if (planCase.account !== undefined && !accounts.has(planCase.account)) {
      problems.push({
        path: `$.cases[${index}].account`,
        message: `"${planCase.account}" is not one of the plan's accounts`,
      });
    }
  });
  return problems;
}

/** Validates a parsed JSON value as a plan; every problem is listed with its JSON path. */
export function checkPlan(value: unknown): PlanCheck {
  const check = checkPlanValue(value);
  if (check.ok) return check;
  // A message may quote what the file holds (a version, a name): shown to people, so made visible.
  return {
    ok: false,
    problems: check.problems.map((problem) => ({
      path: ensureVisible(problem.path),
      message: ensureVisible(problem.message),
    })),
  };
}

function checkPlanValue(value: unknown): PlanCheck {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const version = (value as Record<string, unknown>).relayTesterPlan;
    if (version !== undefined && version !== PLAN_VERSION) {
      return {
        ok: false,
        problems: [
          {
            path: '$.relayTesterPlan',
            message: `Unsupported plan version ${JSON.stringify(version)}: this Relay Tester reads version ${PLAN_VERSION}`,
          },
        ],
      };
    }
  }
  const structural = structuralProblems(value);
  if (structural.length > 0) return { ok: false, problems: structural };
  const parsed = planSchema.safeParse(value, { error: planIssueMessage });
  if (!parsed.success) {
    // One message per field: the first is the most basic (an empty account name is empty; that it then also fails
    // the character check says nothing more).
    const problems = new Map<string, PlanProblem>();
    for (const issue of parsed.error.issues) {
      const path = jsonPath(issue.path);
      if (!problems.has(path)) problems.set(path, { path, message: issue.message });
    }
    return { ok: false, problems: [...problems.values()] };
  }
  const semantic = semanticProblems(parsed.data);
  return semantic.length > 0 ? { ok: false, problems: semantic } : { ok: true, plan: parsed.data };
}

/**
 * JSON text parsed, with the size limit checked first; or the one problem that stops it. Plan and run files share
 * it, so both say the same about a file too large or not JSON.
 */
export function parseJsonText(
  text: string,
  maxBytes: number,
): { ok: true; value: unknown } | { ok: false; problems: PlanProblem[] } {
  if (text.length > maxBytes) {
    return { ok: false, problems: [{ path: '$', message: `The file is larger than ${maxBytes} bytes` }] };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    // The parser's message quotes a snippet of the file, which may hold escape sequences.
    return { ok: false, problems: [{ path: '$', message: `Not valid JSON: ${makeVisible(errorMessage(error))}` }] };
  }
}

/** Parses the text of a plan file, with the size limit checked first. */
export function parsePlanText(text: string): PlanCheck {
  const json = parseJsonText(text, PLAN_LIMITS.maxBytes);
  return json.ok ? checkPlan(json.value) : json;
}

/** The JSON Schema of the plan format, generated from the zod definition. */
export function planJsonSchema(): unknown {
  return z.toJSONSchema(planSchema, { io: 'input', target: 'draft-2020-12' });
}

/** A server's mail address for an account. */
export function accountAddress(plan: Plan, account: string): string {
  return plan.addresses?.[account] ?? `${account}@${plan.domains.local[0]}`;
}

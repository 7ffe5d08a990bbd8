// The password commands, and which kept passwords a run may send where: each only to the servers it is bound to,
// elsewhere only with the user's consent, asked once per run through a ticket that answers that very question.
import { randomUUID } from 'node:crypto';
import type { CommandRequest, CommandResponses, PasswordBinding } from '../../shared/ipc.js';
import type { TestCase } from '../../shared/matrix.js';
import {
  deniedReason,
  notAllowedReason,
  serverAddress,
  type ConsentDecision,
  type PasswordUse,
} from '../../shared/passwordBinding.js';
import type { Plan } from '../../shared/plan.js';
import { planHash } from '../store/planFile.js';
import type { PasswordLookup } from '../runner.js';
import { ApiFailure, type Handlers } from './dispatch.js';
import type { ServiceOptions } from './service.js';

/** How many consent questions may wait for their answer, and for how long; each ticket is answered once. */
const CONSENT_TICKETS = 20;
const CONSENT_TTL_MS = 15 * 60_000;

export type PasswordHandlers = Pick<Handlers, 'setPassword' | 'bindPassword' | 'forgetPassword' | 'passwordStatus'>;

type Consent = NonNullable<CommandRequest<'startRun'>['consent']>;

/** What a quick probe may send: the password, the question to ask the user first, or why it may not. */
export type ProbePassword =
  { password: string } | { consentNeeded: { ticket: string; uses: PasswordUse[] } } | { refused: string };

/** What a run may send: the passwords to use, or the question to ask the user first. */
export type RunPasswords = { lookup: PasswordLookup } | { consentNeeded: { ticket: string; uses: PasswordUse[] } };

export interface PasswordService {
  handlers: PasswordHandlers;
  /** The passwords a run of `plan` may use for `cases`, given the user's answer to an earlier question (if any). */
  forRun(plan: Plan, cases: readonly TestCase[], consent: Consent | undefined): Promise<RunPasswords>;
  /** The kept (or lab) password a quick probe may send as `account` to host:port, by the same rules as a run. */
  forProbe(account: string, host: string, port: number, consent: Consent | undefined): Promise<ProbePassword>;
}

export function createPasswordService({ passwords, lab }: Pick<ServiceOptions, 'passwords' | 'lab'>): PasswordService {
  const consentQuestions = new Map<string, { planHash: string; uses: PasswordUse[]; expires: number }>();
  const labServers = new Set(lab?.info.servers.map((server) => serverAddress(server.host, server.port)) ?? []);

  /** The lab's password of an account, only for the lab's own servers: the same names may be real elsewhere. */
  function labPassword(account: string, server: string): string | undefined {
    return labServers.has(server) ? lab?.passwords.get(account) : undefined;
  }

  /** Each kept password the cases would send to a server it is not bound to. */
  function unboundUses(plan: Plan, cases: readonly TestCase[]): PasswordUse[] {
    const uses = new Map<string, PasswordUse>();
    for (const testCase of cases) {
      if (!testCase.account || testCase.wrongPassword || testCase.skip || testCase.unrunnable) continue;
      const planServer = plan.servers.find((candidate) => candidate.name === testCase.server);
      if (!planServer) continue;
      const server = serverAddress(planServer.host, planServer.port);
      const kept = passwords.get(testCase.account);
      if (!kept || kept.servers.includes(server)) continue;
      // On a lab server the lab's own password serves when the typed one is not bound there (the panel says so).
      if (labPassword(testCase.account, server) !== undefined) continue;
      uses.set(useKey(testCase.account, server), { account: testCase.account, server });
    }
    return [...uses.values()];
  }

  /** Asks about `uses` for `subject` (a plan's hash, or a probe's one use): the answer must come for the same. */
  function askConsent(subject: string, uses: PasswordUse[]) {
    const now = Date.now();
    for (const [ticket, question] of consentQuestions) if (question.expires < now) consentQuestions.delete(ticket);
    while (consentQuestions.size >= CONSENT_TICKETS) consentQuestions.delete(consentQuestions.keys().next().value!);
    const ticket = randomUUID();
    consentQuestions.set(ticket, { planHash: subject, uses, expires: now + CONSENT_TTL_MS });
    return { consentNeeded: { ticket, uses } };
  }

  /** Checks an answer against the question main asked for this very plan: every use answered, nothing else. */
  function acceptConsent(subject: string, uses: PasswordUse[], consent: Consent) {
    const question = consentQuestions.get(consent.ticket);
    consentQuestions.delete(consent.ticket);
    const asked = new Set(uses.map((use) => useKey(use.account, use.server)));
    const answered = new Map(consent.decisions.map((item) => [useKey(item.account, item.server), item.decision]));
    const matches =
      question !== undefined &&
      question.expires >= Date.now() &&
      question.planHash === subject &&
      answered.size === consent.decisions.length &&
      answered.size === asked.size &&
      [...asked].every((key) => answered.has(key)) &&
      question.uses.length === asked.size &&
      question.uses.every((use) => asked.has(useKey(use.account, use.server)));
    if (!matches) {
      throw new ApiFailure(
        'invalid-request',
        'the answer about sending passwords does not match what this run would send; start the run again',
      );
    }
    return answered;
  }

  /** The passwords a run may use: each kept one only for its servers (and those allowed for this run). */
  async function passwordLookup(plan: Plan, answered: ReadonlyMap<string, ConsentDecision>): Promise<PasswordLookup> {
    for (const [key, decision] of answered) {
      if (decision !== 'always') continue;
      const { account, server } = JSON.parse(key) as PasswordUse;
      const kept = passwords.get(account);
      if (kept) await passwords.bind(account, [...kept.servers, server]);
    }
    // A snapshot: a password changed while the run goes does not change what this run sends.
    const kept = new Map(plan.accounts.map((account) => [account, passwords.get(account)]));
    return (account, { host, port }) => {
      const server = serverAddress(host, port);
      const entry = kept.get(account);
      const decision = answered.get(useKey(account, server));
      // A password the user typed for this server wins over the lab's: never silently substitute one for the other.
      if (entry && (entry.servers.includes(server) || decision === 'once' || decision === 'always'))
        return { password: entry.password };
      const labOnly = labPassword(account, server);
      if (labOnly !== undefined) return { password: labOnly };
      if (!entry) {
        const note = lab?.passwords.has(account) ? '; the lab’s password is only for the lab’s servers' : '';
        return { refused: `${missingPasswordReason(account)}${note}` };
      }
      return { refused: decision === 'deny' ? deniedReason(account, server) : notAllowedReason(account, server) };
    };
  }

  return {
    async forRun(plan, cases, consent) {
      const uses = unboundUses(plan, cases);
      if (uses.length > 0 && !consent) return askConsent(planHash(plan), uses);
      const answered =
        uses.length > 0 && consent ? acceptConsent(planHash(plan), uses, consent) : new Map<string, ConsentDecision>();
      return { lookup: await passwordLookup(plan, answered) };
    },
    async forProbe(account, host, port, consent) {
      const server = serverAddress(host, port);
      const labOnly = labPassword(account, server);
      if (labOnly !== undefined) return { password: labOnly };
      const kept = passwords.get(account);
      if (!kept) {
        const note = lab?.passwords.has(account) ? '; the lab’s password is only for the lab’s servers' : '';
        return {
          refused: `no password for ${account}: type it in the probe form, or set it in Passwords (Plan tab)${note}`,
        };
      }
      if (kept.servers.includes(server)) return { password: kept.password };
      const uses = [{ account, server }];
      const subject = `probe ${useKey(account, server)}`;
      if (!consent) return askConsent(subject, uses);
      const decision = acceptConsent(subject, uses, consent).get(useKey(account, server));
      if (decision === 'deny')
        return { refused: `${account}'s password was not sent to ${server}: you chose not to send it` };
      if (decision === 'always') await passwords.bind(account, [...kept.servers, server]);
      return { password: kept.password };
    },
    handlers: {
      async setPassword({ account, password, servers }) {
        await passwords.set(account, password, servers);
        return passwords.storage;
      },
      async bindPassword({ account, servers }) {
        return { bound: await passwords.bind(account, servers) };
      },
      async forgetPassword({ account }) {
        return { forgotten: await passwords.forget(account) };
      },
      async passwordStatus({ accounts }) {
        const bindings: PasswordBinding[] = [];
        for (const account of new Set(accounts)) {
          const kept = passwords.get(account);
          if (kept) bindings.push({ account, servers: [...kept.servers] });
        }
        const labAccounts = accounts.filter((account) => lab?.passwords.has(account));
        const known = accounts.filter(
          (account) => labAccounts.includes(account) || bindings.some((binding) => binding.account === account),
        );
        const status: CommandResponses['passwordStatus'] = {
          known: [...new Set(known)],
          bindings,
          storage: passwords.storage,
        };
        if (lab) status.lab = { accounts: [...new Set(labAccounts)], servers: [...labServers] };
        return status;
      },
    },
  };
}

/** Why an account's cases were skipped in the app: it names the app's own control, not the CLI's --secrets. */
export function missingPasswordReason(account: string): string {
  return `no password for ${account}: set the password in Plan → Passwords`;
}

function useKey(account: string, server: string): string {
  return JSON.stringify({ account, server });
}

// From the intended policy to the cases that prove it, with what each should show (the article's advice: relay
// as approved and unapproved accounts, from authorised and unauthorised addresses, against every server). Pure.
import { addressTricks, serverIpLiteral, type AddressTrick, type TrickMeaning } from './addressTricks.js';
import { listContains, parseAddressSpec, representativeAddress, type AddressSpec } from './addressSpec.js';
import { accountAddress, type Expectation, type Plan, type PlanCase, type PlanServer, type RelayMode } from './plan.js';

export type CaseKind = 'source' | 'account' | 'wrong-password' | 'send-as-other' | 'banner' | 'trick' | 'extra';

/** What an address-trick case tries (shared/addressTricks.ts). */
export interface TrickInfo {
  variant: string;
  name: string;
  origin: 'classic' | 'nmap';
  meaning: TrickMeaning;
  /** Where a server that honours the trick would send the mail. */
  destination: string;
  /** Set when the destination is the plan's canary, a mailbox the user can check. */
  canary?: string;
}

/** What a case records of the trick it tries: the variant, and the canary when the destination is one. */
export function trickInfo(variant: AddressTrick, canary?: string): TrickInfo {
  return {
    variant: variant.id,
    name: variant.name,
    origin: variant.origin,
    meaning: variant.meaning,
    destination: variant.destination,
    ...(canary ? { canary } : {}),
  };
}

export interface TestCase {
  /** Stable across runs of the same plan, so runs can be compared case by case. */
  id: string;
  title: string;
  kind: CaseKind;
  server: string;
  /** The source entry of the plan this case connects from (address, subnet or domain), if any. */
  source?: string;
  account?: string;
  wrongPassword?: boolean;
  /** MAIL FROM; absent for a banner check, which stops after EHLO. */
  from?: string;
  to?: string;
  recipient?: 'external' | 'local' | 'address';
  expect: Expectation;
  /** For a banner check: the name the greeting must contain. */
  banner?: string;
  /** Why this expectation follows from the policy. */
  because: string;
  /** Set when the plan's `cases` changed this case. */
  overridden?: boolean;
  skip?: boolean;
  /** Why the case cannot be run whatever the machine (e.g. no neutral source in the plan). */
  unrunnable?: string;
  /** For an address-trick case: the variant it tries. */
  trick?: TrickInfo;
}

export interface Matrix {
  cases: TestCase[];
  /** Problems found while deriving, e.g. an override naming no case. */
  notes: string[];
}

const RECIPIENT_LOCAL_PART = 'relay-test';

/** How a title says what a case should show. */
export const EXPECTATION_PHRASES: Record<Expectation, string> = {
  relay: 'should relay',
  deny: 'should not relay',
  'reject-at-connect': 'should be rejected at connect',
  'auth-fail': 'should fail authentication',
  banner: 'should show the banner',
  report: 'reported',
};

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

const parsedSpecs = new Map<string, AddressSpec | undefined>();

function parsed(text: string): AddressSpec | undefined {
  if (parsedSpecs.has(text)) return parsedSpecs.get(text);
  if (parsedSpecs.size >= 10_000) parsedSpecs.clear(); // bounded, like addressSpec.ts's parsed addresses
  const spec = parseAddressSpec(text);
  const result = 'error' in spec ? undefined : spec;
  parsedSpecs.set(text, result);
  return result;
}

// A list is parsed once per plan version, not once per source: a 5,000-case plan asks thousands of times.
const parsedLists = new WeakMap<readonly string[], AddressSpec[]>();

function specs(list: readonly string[]): AddressSpec[] {
  let known = parsedLists.get(list);
  if (!known) {
    known = list.map(parsed).filter((spec): spec is AddressSpec => spec !== undefined);
    parsedLists.set(list, known);
  }
  return known;
}

interface SourceFacts {
  /** Refused at connect by connection control. */
  denied: boolean | 'unknown';
  /** May relay without authenticating, by the relay restrictions (the relay list and its mode). */
  relayHost: boolean | 'unknown';
}

/**
 * A server's connection control in Exchange's terms: "Only the list below" may connect (connect.allow) or "All
 * except the list below" (connect.deny, the default, empty: everyone). An empty allow list beside a deny list with
 * entries is a leftover of switching modes, so the deny list stands; on its own it means nobody may connect.
 */
export function connectionControl(server: PlanServer): { mode: RelayMode; list: readonly string[] } {
  const allow = server.connect?.allow;
  const deny = server.connect?.deny ?? [];
  if (allow && (allow.length > 0 || deny.length === 0)) return { mode: 'only', list: allow };
  return { mode: 'allExcept', list: deny };
}

/** A server's relay restrictions: which mode its relay list has ("only" unless the plan says otherwise). */
export function relayMode(server: PlanServer): RelayMode {
  return server.relay.mode ?? 'only';
}

/** "All except the list below" with nothing listed: every computer may relay without authenticating. */
export function relaysForEveryone(server: PlanServer): boolean {
  return relayMode(server) === 'allExcept' && server.relay.hosts.length === 0;
}

/** Whether an account may relay on a server after authenticating: it has Relay permission, or any account may. */
export function accountMayRelay(server: PlanServer, account: string): boolean {
  return server.relay.anyAuthenticated === true || server.relay.users.includes(account);
}

/** The accounts that may relay on a server after authenticating: relay.users, or all of them with anyAuthenticated. */
export function relayAccounts(plan: Plan, server: PlanServer): string[] {
  if (!server.relay.anyAuthenticated) return [...server.relay.users];
  return [...new Set([...server.relay.users, ...plan.accounts])];
}

function negate(value: boolean | 'unknown'): boolean | 'unknown' {
  return value === 'unknown' ? 'unknown' : !value;
}

/** How the server's lists treat a source, judged at the address that stands for it. */
export function sourceFacts(server: PlanServer, source: string, address?: string): SourceFacts {
  const spec = parsed(source);
  const at = address ?? (spec ? representativeAddress(spec) : undefined);
  // Whether the source is on a list: by a domain entry naming its domain (or a parent, as the server matches the
  // client's forward-confirmed reverse name), else by the address that stands for it; unknown when neither can tell.
  const listed = (list: readonly string[]): boolean | 'unknown' => {
    if (
      spec?.kind === 'domain' &&
      specs(list).some(
        (entry) =>
          entry.kind === 'domain' && (spec.domain === entry.domain || spec.domain.endsWith(`.${entry.domain}`)),
      )
    ) {
      return true;
    }
    return at ? listContains(specs(list), at) : 'unknown';
  };
  const connection = connectionControl(server);
  const onConnectList = listed(connection.list);
  const onRelayList = listed(server.relay.hosts);
  return {
    denied: connection.mode === 'only' ? negate(onConnectList) : onConnectList,
    // "All except the list below": a listed computer may not relay, every other one may.
    relayHost: relayMode(server) === 'only' ? onRelayList : negate(onRelayList),
  };
}

function isNeutral(facts: SourceFacts): boolean {
  return facts.denied === false && facts.relayHost === false;
}

const EVERYONE_RELAYS = 'every computer may relay (relay restrictions "All except the list below" with an empty list)';

/** Why a source may relay without authenticating, in the words of the server's relay restrictions. */
function relayListWords(server: PlanServer, source: string): string {
  return relayMode(server) === 'only'
    ? `${source} is in the relay list`
    : relaysForEveryone(server)
      ? EVERYONE_RELAYS
      : `${source} is not in the relay list, and all except the list below may relay`;
}

/** Why a source is refused at connect, in the words of the server's connection control. */
function connectionWords(server: PlanServer, source: string): string {
  return connectionControl(server).mode === 'only'
    ? `${source} is not in the connection list, and only the list below may connect`
    : `${source} is in the connection deny list`;
}

/** Where account cases connect from, and, when every computer may relay there, why the account relays anyway. */
export type AccountSource = { source: string; relaysAnyway?: string } | { unrunnable: string };

/**
 * Where the cases that test an account (and the banner) connect from on this server: the plan's `accountSource`
 * when it names one, else a neutral source this machine can use (one `addresses` serves), else the first neutral
 * source (the run then says why it is not runnable here). `addresses` absent: every source counts as usable.
 * On a server that relays for every computer no source is neutral: account cases then run from any source that may
 * connect, and expect to relay whatever the account may do (`relaysAnyway` says why).
 */
export function accountSource(plan: Plan, server: PlanServer, addresses?: ReadonlyMap<string, string>): AccountSource {
  const everyone = relaysForEveryone(server) ? EVERYONE_RELAYS : undefined;
  if (plan.accountSource) {
    const facts = sourceFacts(server, plan.accountSource, addresses?.get(plan.accountSource));
    const listed =
      facts.denied === true
        ? connectionControl(server).mode === 'only'
          ? 'not in the connection list'
          : 'in the connection deny list'
        : facts.relayHost === true && !everyone
          ? relayMode(server) === 'only'
            ? 'in the relay list'
            : 'allowed to relay (not in the relay list of "All except the list below")'
          : undefined;
    if (listed) {
      return {
        unrunnable: `the plan's accountSource ${plan.accountSource} is ${listed} of ${server.name}: account cases need a source that is neither, or the result would not show what the account may do`,
      };
    }
    return everyone ? { source: plan.accountSource, relaysAnyway: everyone } : { source: plan.accountSource };
  }
  const facts = (source: string) => sourceFacts(server, source, addresses?.get(source));
  const candidates = everyone
    ? plan.sources.filter((source) => facts(source).denied === false)
    : plan.sources.filter((source) => isNeutral(facts(source)));
  const usable = candidates.find((source) => !addresses || addresses.has(source));
  const chosen = usable ?? candidates[0];
  if (chosen) return everyone ? { source: chosen, relaysAnyway: everyone } : { source: chosen };
  return {
    unrunnable: everyone
      ? `every source of the plan is refused at connect by ${server.name}; add one that may connect (as "accountSource" or to "sources") to test accounts`
      : `the plan has no source that is neither relay-authorised nor denied on ${server.name}; add one (as "accountSource" or to "sources") to test accounts`,
  };
}

/** Why an account should or should not relay on a server, in the words of its relay restrictions. */
function accountBecause(server: PlanServer, account: string, relaysAnyway: string | undefined): string {
  if (server.relay.users.includes(account)) return `${account} is allowed to relay after authenticating`;
  if (server.relay.anyAuthenticated) {
    return `any account that authenticates may relay ("Allow all computers which successfully authenticate to relay, regardless of the list above")`;
  }
  if (relaysAnyway) return `${relaysAnyway}, so ${account} relays whatever it may do`;
  return `${account} is not allowed to relay`;
}

/**
 * Derives every case of a plan. `addresses` maps a source entry to the local address that will serve it, when
 * known, so expectations are judged at the address really used.
 */
export function deriveMatrix(plan: Plan, addresses?: ReadonlyMap<string, string>): Matrix {
  const cases: TestCase[] = [];
  const external = `${RECIPIENT_LOCAL_PART}@${plan.domains.external}`;
  const local = `${RECIPIENT_LOCAL_PART}@${plan.domains.local[0]}`;
  for (const server of plan.servers) {
    const serverId = slug(server.name);
    for (const source of plan.sources) {
      const facts = sourceFacts(server, source, addresses?.get(source));
      for (const recipient of ['external', 'local'] as const) {
        const base = {
          id: `${serverId}/from-${source}/to-${recipient}`,
          kind: 'source' as const,
          server: server.name,
          source,
          from: plan.sender,
          to: recipient === 'external' ? external : local,
          recipient,
        };
        let expect: Expectation;
        let because: string;
        if (facts.denied === true) {
          expect = 'reject-at-connect';
          because = connectionWords(server, source);
        } else if (recipient === 'local') {
          expect = 'relay';
          because = `${plan.domains.local[0]} is a local domain: no relaying involved`;
        } else if (facts.relayHost === true) {
          expect = 'relay';
          because = relayListWords(server, source);
        } else {
          expect = 'deny';
          because =
            relayMode(server) === 'allExcept'
              ? facts.relayHost === 'unknown'
                ? `${source} may be excluded by a domain entry of the relay list (matched by reverse DNS), so it should not relay without authenticating`
                : `${source} is in the relay list of computers that may not relay ("All except the list below") and did not authenticate`
              : facts.relayHost === 'unknown'
                ? `${source} is not in the relay list by address (domain entries are matched by reverse DNS)`
                : `${source} is not in the relay list and did not authenticate`;
        }
        const verb =
          expect === 'reject-at-connect'
            ? 'should be rejected at connect'
            : expect === 'relay'
              ? recipient === 'local'
                ? 'should accept'
                : 'should relay'
              : 'should not relay';
        cases.push({ ...base, expect, because, title: `${source} via ${server.name} → ${recipient}: ${verb}` });
      }
    }
    const from = accountSource(plan, server, addresses);
    const neutral = 'source' in from ? from.source : undefined;
    const noNeutral = 'unrunnable' in from ? from.unrunnable : undefined;
    const relaysAnyway = 'source' in from ? from.relaysAnyway : undefined;
    const approvedAccounts = relayAccounts(plan, server);
    for (const account of plan.accounts) {
      const approved = relaysAnyway !== undefined || approvedAccounts.includes(account);
      const testCase: TestCase = {
        id: `${serverId}/as-${account}/to-external`,
        title: `${account} via ${server.name} → external: ${approved ? 'should relay' : 'should not relay'}`,
        kind: 'account',
        server: server.name,
        account,
        from: accountAddress(plan, account),
        to: external,
        recipient: 'external',
        expect: approved ? 'relay' : 'deny',
        because: accountBecause(server, account, relaysAnyway),
      };
      if (neutral) testCase.source = neutral;
      if (noNeutral) testCase.unrunnable = noNeutral;
      cases.push(testCase);
    }
    const wrongPasswordAccount = server.relay.users[0] ?? plan.accounts[0];
    if (wrongPasswordAccount) {
      const testCase: TestCase = {
        id: `${serverId}/as-${wrongPasswordAccount}/wrong-password`,
        title: `${wrongPasswordAccount} with a wrong password via ${server.name}: should fail authentication`,
        kind: 'wrong-password',
        server: server.name,
        account: wrongPasswordAccount,
        wrongPassword: true,
        from: accountAddress(plan, wrongPasswordAccount),
        to: external,
        recipient: 'external',
        expect: 'auth-fail',
        because: 'a wrong password must never authenticate',
      };
      if (neutral) testCase.source = neutral;
      if (noNeutral) testCase.unrunnable = noNeutral;
      cases.push(testCase);
    }
    // An account that may not relay would be refused whatever address it sends as: only those that may are tried.
    for (const account of approvedAccounts) {
      const other = plan.accounts.find((candidate) => candidate !== account);
      const otherAddress = other ? accountAddress(plan, other) : `someone-else@${plan.domains.local[0]}`;
      const strict = server.senderMustMatchLogin === true;
      const testCase: TestCase = {
        id: `${serverId}/as-${account}/send-as-other`,
        title: `${account} via ${server.name} sending as ${otherAddress} → external: ${strict ? 'should be refused' : 'reported'}`,
        kind: 'send-as-other',
        server: server.name,
        account,
        from: otherAddress,
        to: external,
        recipient: 'external',
        expect: strict ? 'deny' : 'report',
        because: strict
          ? 'senderMustMatchLogin: an authenticated user may only send as their own address'
          : 'SMTP lets an authenticated user send as anyone; reported, since the policy does not require a match',
      };
      if (neutral) testCase.source = neutral;
      if (noNeutral) testCase.unrunnable = noNeutral;
      cases.push(testCase);
    }
    if (server.banner) {
      const testCase: TestCase = {
        id: `${serverId}/banner`,
        title: `banner of ${server.name}: should name ${server.banner}`,
        kind: 'banner',
        server: server.name,
        expect: 'banner',
        banner: server.banner,
        because: `the masquerade domain ${server.banner} should appear in the greeting`,
      };
      if (neutral) testCase.source = neutral;
      if (noNeutral) testCase.unrunnable = noNeutral;
      cases.push(testCase);
    }
    if (server.tricks) {
      // Address tricks from a computer that may relay anyway would prove nothing.
      const trickUnrunnable = relaysAnyway
        ? `every computer may relay on ${server.name} (relay restrictions "All except the list below" with an empty list), so address tricks would prove nothing`
        : noNeutral;
      cases.push(...trickCases(plan, server, serverId, relaysAnyway ? undefined : neutral, trickUnrunnable));
    }
  }
  return applyPlanCases(plan, cases, { external, local });
}

/**
 * The address-trick family of one server: every variant from the neutral source the account cases use (a source
 * that may relay would prove nothing), and again as `tricksAccount` when the plan names one. Each expects `deny`.
 */
function trickCases(
  plan: Plan,
  server: PlanServer,
  serverId: string,
  neutral: string | undefined,
  noNeutral: string | undefined,
): TestCase[] {
  const canary = server.canary ?? plan.canary;
  const at = canary ? canary.lastIndexOf('@') : -1;
  const variants = addressTricks({
    user: canary ? canary.slice(0, at) : RECIPIENT_LOCAL_PART,
    external: canary ? canary.slice(at + 1) : plan.domains.external,
    local: plan.domains.local[0]!,
    sender: plan.sender,
    serverIp: serverIpLiteral(server.host),
  });
  const who: (string | undefined)[] = [undefined, ...(server.tricksAccount ? [server.tricksAccount] : [])];
  const cases: TestCase[] = [];
  for (const account of who) {
    for (const variant of variants) {
      const testCase: TestCase = {
        id: `${serverId}/trick${account ? `-as-${account}` : ''}/${variant.id}`,
        title: `${variant.name}${account ? ` as ${account}` : ''} via ${server.name}: RCPT TO:<${variant.to}>${variant.from === plan.sender ? '' : ` from <${variant.from}>`}: should not relay`,
        kind: 'trick',
        server: server.name,
        from: account && variant.from === plan.sender ? accountAddress(plan, account) : variant.from,
        to: variant.to,
        recipient: 'address',
        expect: 'deny',
        because: `an address trick (${variant.name}) aimed at ${variant.destination}${account ? `; ${account} is not allowed to relay` : ' from a source that may not relay'}`,
        trick: trickInfo(variant, canary),
      };
      if (account) testCase.account = account;
      if (neutral) testCase.source = neutral;
      if (noNeutral) testCase.unrunnable = noNeutral;
      cases.push(testCase);
    }
  }
  return cases;
}

function applyPlanCases(plan: Plan, derived: TestCase[], recipients: { external: string; local: string }): Matrix {
  const notes: string[] = [];
  // Most plans override nothing: no index of thousands of ids for them (it showed in a 5,000-case plan's profile).
  if (plan.cases.length === 0) return { cases: derived, notes };
  const byId = new Map(derived.map((testCase) => [testCase.id, testCase]));
  for (const planCase of plan.cases) {
    const existing = byId.get(planCase.id);
    if (existing) {
      override(existing, planCase, recipients);
      continue;
    }
    if (!planCase.server || !planCase.expect) {
      notes.push(`case "${planCase.id}" matches no derived case; an extra case needs "server" and "expect"`);
      continue;
    }
    const extra: TestCase = {
      id: planCase.id,
      title: planCase.title ?? planCase.id,
      kind: 'extra',
      server: planCase.server,
      expect: planCase.expect,
      because: 'extra case from the plan',
    };
    override(extra, planCase, recipients);
    if (extra.expect !== 'banner') {
      extra.from ??= extra.account ? accountAddress(plan, extra.account) : plan.sender;
      if (!extra.to) {
        extra.to = recipients.external;
        extra.recipient = 'external';
      }
    }
    if (!extra.source) extra.source = plan.sources[0];
    if (extra.expect === 'banner') extra.banner = plan.servers.find((server) => server.name === extra.server)?.banner;
    derived.push(extra);
    byId.set(extra.id, extra);
  }
  return { cases: derived, notes };
}

function override(target: TestCase, planCase: PlanCase, recipients: { external: string; local: string }): void {
  if (planCase.title) target.title = planCase.title;
  if (planCase.source) target.source = planCase.source;
  if (planCase.account) target.account = planCase.account;
  if (planCase.wrongPassword !== undefined) target.wrongPassword = planCase.wrongPassword;
  if (planCase.from) target.from = planCase.from;
  if (planCase.to) {
    target.to =
      planCase.to === 'external' ? recipients.external : planCase.to === 'local' ? recipients.local : planCase.to;
    target.recipient = planCase.to === 'external' || planCase.to === 'local' ? planCase.to : 'address';
  }
  if (planCase.expect && planCase.expect !== target.expect) {
    target.expect = planCase.expect;
    target.because = `expectation set by the plan's cases`;
    // The title ends in what the case should show; keep it true to the new expectation.
    const cut = target.title.lastIndexOf(': ');
    if (!planCase.title && cut !== -1)
      target.title = `${target.title.slice(0, cut)}: ${EXPECTATION_PHRASES[planCase.expect]}`;
  }
  if (planCase.skip) target.skip = true;
  target.overridden = true;
}

// The address-trick family (issue 15): which variants a plan derives, from where and as whom, how each is judged,
// and how the headline and the exit status count the tricks left to review.
import { describe, expect, it } from 'vitest';
import { addressTricks, labForwardProof, LAB_FORWARD_MARK, serverIpLiteral } from '../../shared/addressTricks.js';
import { coverage, headline, headlineTone, runExitStatus } from '../../shared/coverage.js';
import { deriveMatrix, type TestCase } from '../../shared/matrix.js';
import type { Outcome } from '../../shared/outcome.js';
import { checkPlan, type Plan } from '../../shared/plan.js';
import type { CaseResult } from '../../shared/run.js';
import { judge } from '../../shared/verdict.js';
import { addressTrick } from '../../main/lab/labPolicy.js';
import { matrixText } from '../../main/cli/matrixText.js';
import { checkSpec, defaultSteps } from '../../main/smtp/sessionSpec.js';

function plan(extra: Record<string, unknown> = {}, server: Record<string, unknown> = {}): Plan {
  const check = checkPlan({
    relayTesterPlan: 1,
    name: 'tricks',
    domains: { local: ['corp.test'], external: 'external.example' },
    sender: 'helpdesk@corp.test',
    accounts: ['alice', 'mallory'],
    sources: ['127.0.0.10', '127.0.0.5'],
    servers: [
      { name: 'Relay', host: '127.0.0.2', relay: { users: ['alice'], hosts: ['127.0.0.10'] }, tricks: true, ...server },
    ],
    ...extra,
  });
  if (!check.ok) throw new Error(JSON.stringify(check.problems));
  return check.plan;
}

const tricksOf = (from: Plan) => deriveMatrix(from).cases.filter((testCase) => testCase.kind === 'trick');

describe('the variants', () => {
  const variants = addressTricks({
    user: 'u',
    external: 'ext.example',
    local: 'corp.test',
    sender: 's@corp.test',
    serverIp: '10.0.0.1',
  });

  it("lists nmap smtp-open-relay's 16 tests in its order, with its domain, srvname and ip mapped", () => {
    const nmap = variants.filter((variant) => variant.origin === 'nmap').map((variant) => [variant.from, variant.to]);
    expect(nmap).toEqual([
      ['', 'u@ext.example'],
      ['antispam@ext.example', 'u@ext.example'],
      ['s@corp.test', 'u@ext.example'],
      ['antispam@[10.0.0.1]', 'u@ext.example'],
      ['s@corp.test', 'u%ext.example@[10.0.0.1]'],
      ['s@corp.test', 'u%ext.example@corp.test'],
      ['s@corp.test', '"u@ext.example"'],
      ['s@corp.test', '"u%ext.example"'],
      ['s@corp.test', 'u@ext.example@[10.0.0.1]'],
      ['s@corp.test', '"u@ext.example"@[10.0.0.1]'],
      ['s@corp.test', 'u@ext.example@corp.test'],
      ['s@corp.test', '@[10.0.0.1]:u@ext.example'],
      ['s@corp.test', '@corp.test:u@ext.example'],
      ['s@corp.test', 'ext.example!u'],
      ['s@corp.test', 'ext.example!u@[10.0.0.1]'],
      ['s@corp.test', 'ext.example!u@corp.test'],
    ]);
  });

  it('lists the classic tricks, each from the valid sender, with an IP literal that routes nowhere', () => {
    const classic = Object.fromEntries(
      variants.filter((variant) => variant.origin === 'classic').map((variant) => [variant.id, variant.to]),
    );
    expect(classic).toEqual({
      'percent-hack': 'u%ext.example@corp.test',
      'bang-path': 'ext.example!u@corp.test',
      'source-route': '@corp.test:u@ext.example',
      'quoted-local-part': '"u@ext.example"@corp.test',
      'ip-literal': 'u@[192.0.2.1]',
      'double-at': 'u@ext.example@corp.test',
      'trailing-dot': 'u@ext.example.',
      'mixed-case': 'u@ExT.ExAmPlE',
      'encoded-at': 'u%40ext.example@corp.test',
      'percent-hack-double': 'u%ext.example%corp.test@corp.test',
    });
    expect(
      variants.filter((variant) => variant.origin === 'classic').every((variant) => variant.from === 's@corp.test'),
    ).toBe(true);
    // Every address passes the engine's input checks: no spaces, angle brackets, CR, LF or NUL.
    for (const variant of variants) expect(`${variant.from} ${variant.to}`).not.toMatch(/[<>\r\n\0]|\s\S*\s/);
  });

  it("uses the server's own address for nmap's [ip], and TEST-NET-1 when the host is a name", () => {
    expect(serverIpLiteral('127.0.0.2')).toBe('127.0.0.2');
    expect(serverIpLiteral('::1')).toBe('IPv6:::1');
    expect(serverIpLiteral('mail.corp.test')).toBeUndefined();
    const named = addressTricks({ user: 'u', external: 'e.example', local: 'corp.test', sender: 's@corp.test' });
    expect(named.find((variant) => variant.id === 'nmap-12')!.to).toBe('@[192.0.2.1]:u@e.example');
  });
});

describe('the case family', () => {
  it('is opt-in: no tricks without "tricks": true', () => {
    expect(tricksOf(plan({}, { tricks: false }))).toHaveLength(0);
  });

  it('runs every variant once from the neutral source (never the relay host), expecting deny', () => {
    const cases = tricksOf(plan());
    expect(cases).toHaveLength(26);
    expect(new Set(cases.map((testCase) => testCase.id)).size).toBe(26);
    expect(
      cases.every((testCase) => testCase.source === '127.0.0.5' && testCase.expect === 'deny' && !testCase.account),
    ).toBe(true);
    expect(cases[0]!.id).toBe('relay/trick/percent-hack');
    expect(cases[0]!.title).toBe(
      'percent hack via Relay: RCPT TO:<relay-test%external.example@corp.test>: should not relay',
    );
  });

  it('follows accountSource, and is not runnable when the plan has no neutral source', () => {
    expect(tricksOf(plan({ accountSource: '127.0.0.7' }))[0]!.source).toBe('127.0.0.7');
    const none = tricksOf(plan({ sources: ['127.0.0.10'] }));
    expect(none[0]!.unrunnable).toMatch(/no source that is neither relay-authorised nor denied/);
  });

  it('runs the family again as tricksAccount, sending from its own address', () => {
    const cases = tricksOf(plan({}, { tricksAccount: 'mallory' }));
    expect(cases).toHaveLength(52);
    const asMallory = cases.find((testCase) => testCase.id === 'relay/trick-as-mallory/percent-hack')!;
    expect(asMallory.account).toBe('mallory');
    expect(asMallory.from).toBe('mallory@corp.test');
    // A variant that tests the sender keeps its own sender.
    expect(cases.find((testCase) => testCase.id === 'relay/trick-as-mallory/nmap-02')!.from).toBe(
      'antispam@external.example',
    );
  });

  it('refuses a tricksAccount that may relay, or one not in accounts', () => {
    const base = {
      relayTesterPlan: 1,
      name: 'x',
      domains: { local: ['corp.test'], external: 'e.example' },
      sender: 'a@corp.test',
      accounts: ['alice'],
      sources: ['127.0.0.5'],
    };
    const may = checkPlan({
      ...base,
      servers: [{ name: 'S', host: 'h', tricks: true, tricksAccount: 'alice', relay: { users: ['alice'], hosts: [] } }],
    });
    expect(may.ok ? [] : may.problems.map((problem) => problem.message)).toEqual([
      expect.stringContaining('may relay on this server'),
    ]);
    const unknown = checkPlan({ ...base, servers: [{ name: 'S', host: 'h', tricks: true, tricksAccount: 'eve' }] });
    expect(unknown.ok ? [] : unknown.problems.map((problem) => problem.path)).toEqual(['$.servers[0].tricksAccount']);
  });

  it("targets the canary, the server's over the plan's", () => {
    const cases = tricksOf(plan({ canary: 'me@mine.example' }));
    expect(cases[0]!.to).toBe('me%mine.example@corp.test');
    expect(cases[0]!.trick?.canary).toBe('me@mine.example');
    expect(tricksOf(plan({ canary: 'me@mine.example' }, { canary: 'box@other.example' }))[0]!.to).toBe(
      'box%other.example@corp.test',
    );
  });
});

const trickCase = (variant: string, meaning: 'external' | 'ambiguous', canary?: string): TestCase => ({
  id: `s/trick/${variant}`,
  title: variant,
  kind: 'trick',
  server: 'S',
  to: 'u%e.example@corp.test',
  recipient: 'address',
  expect: 'deny',
  because: '',
  trick: {
    variant,
    name: variant.replace('-', ' '),
    origin: 'classic',
    meaning,
    destination: 'u@e.example',
    ...(canary ? { canary } : {}),
  },
});
const outcome = (kind: Outcome['outcome'], code: number, text: string, stage: Outcome['stage'] = 'rcpt'): Outcome => ({
  outcome: kind,
  stage,
  code,
  text,
});

describe('judging a trick', () => {
  it('passes on any refusal at MAIL or RCPT', () => {
    expect(
      judge(trickCase('percent-hack', 'ambiguous'), outcome('recipient-rejected', 501, 'malformed address')).verdict,
    ).toBe('pass');
    expect(
      judge(
        trickCase('percent-hack', 'ambiguous'),
        outcome('sender-rejected', 501, 'domain literals not allowed', 'mail'),
      ).verdict,
    ).toBe('pass');
  });

  it('needs review when an address that may be a local mailbox is accepted, saying why and how to confirm', () => {
    const judged = judge(trickCase('percent-hack', 'ambiguous'), outcome('recipient-accepted', 250, 'Accepted'));
    expect(judged.verdict).toBe('needs-review');
    expect(judged.reason).toBe(
      'address trick accepted (percent hack): the server accepted RCPT TO:<u%e.example@corp.test> ("250 Accepted"); some servers treat such an address as a local mailbox of their own domain, others forward it to u@e.example; to confirm, set a "canary" (an external mailbox you own) in the plan, run with the DATA step and check that mailbox, or read the server\'s logs for where it routed the address',
    );
    const withCanary = judge(
      trickCase('percent-hack', 'ambiguous', 'me@e.example'),
      outcome('recipient-accepted', 250, 'OK'),
    );
    expect(withCanary.reason).toContain(
      'run with the DATA step (settings.data or --data) to send a test message, then check the canary mailbox me@e.example',
    );
    const sent = judge(
      trickCase('percent-hack', 'ambiguous', 'me@e.example'),
      outcome('recipient-accepted', 250, 'OK'),
      { messageId: 'abc@x' },
    );
    expect(sent.reason).toContain(
      'the test message was accepted (Message-ID <abc@x>): check the canary mailbox me@e.example',
    );
  });

  it('fails when the address plainly names the external destination, or the lab proves it forwards', () => {
    const plain = judge(trickCase('mixed-case', 'external'), outcome('recipient-accepted', 250, 'OK'));
    expect(plain.verdict).toBe('fail');
    expect(plain.reason).toMatch(/^OPEN RELAY through the mixed case/);
    const proven = judge(
      trickCase('percent-hack', 'ambiguous'),
      outcome('recipient-accepted', 250, `2.1.5 ${LAB_FORWARD_MARK}u@e.example (percent hack; kept in memory)`),
    );
    expect(proven.verdict).toBe('fail');
    expect(proven.reason).toContain('the lab recorded that it would forward the mail to u@e.example');
    expect(labForwardProof('250 Accepted')).toBeUndefined();
  });

  it('is inconclusive on a server that judged nothing (421 at greeting)', () => {
    expect(
      judge(trickCase('percent-hack', 'ambiguous'), outcome('temporary-failure', 421, 'busy', 'greeting')).verdict,
    ).toBe('inconclusive');
  });
});

describe('the headline and the exit status', () => {
  const result = (verdict: CaseResult['verdict'], kind: TestCase['kind'] = 'trick'): CaseResult => ({
    case: { ...trickCase('percent-hack', 'ambiguous'), kind },
    verdict,
    reason: 'r',
    transcript: [],
  });

  it('counts tricks to review apart, never green, exit 5', () => {
    const run = { cases: [result('pass', 'source'), result('needs-review'), result('needs-review')], cancelled: false };
    expect(coverage(run).needsReview).toBe(2);
    expect(headline(run)).toBe('3 of 3 cases decided: no open relay found; 2 address tricks accepted, to review');
    expect(runExitStatus(run)).toBe(5);
    expect(headlineTone(run)).toBe('unsure');
  });

  it('a fail still wins (exit 1), and tricks to review are still named', () => {
    const run = { cases: [result('fail', 'source'), result('needs-review')], cancelled: false };
    expect(runExitStatus(run)).toBe(1);
    expect(headline(run)).toBe(
      '2 of 2 cases decided: 1 case failed; no open relay found; 1 address trick accepted, to review',
    );
  });
});

describe("the lab's reading of a trick address", () => {
  const local = ['corp.test'];
  it('routes the percent hack, bang paths and quoted local parts of a local domain, through every local hop', () => {
    expect(addressTrick(local, 'u%ext.example@corp.test')).toEqual({
      form: 'percent hack',
      mailbox: 'u%ext.example',
      destination: 'u@ext.example',
    });
    expect(addressTrick(local, 'ext.example!u@corp.test')?.destination).toBe('u@ext.example');
    expect(addressTrick(local, '"u@ext.example"@corp.test')?.form).toBe('quoted local part');
    expect(addressTrick(local, 'u%ext.example%corp.test@corp.test')?.destination).toBe('u@ext.example');
  });
  it('leaves ordinary addresses and other domains alone', () => {
    expect(addressTrick(local, 'alice@corp.test')).toBeUndefined();
    expect(addressTrick(local, 'u%ext.example@[127.0.0.2]')).toBeUndefined();
    expect(addressTrick(local, 'u@ext.example')).toBeUndefined();
  });
});

it('the terminal matrix puts the tricks in a block of their own, marked NEEDS-REVIEW where accepted', () => {
  const tricked = plan();
  const cases = deriveMatrix(tricked).cases.map((testCase): CaseResult => ({
    case: testCase,
    verdict: testCase.id === 'relay/trick/percent-hack' ? 'needs-review' : 'pass',
    reason: 'r',
    transcript: [],
  }));
  const lines = matrixText({ cases, plan: tricked }).split('\n');
  const heading = lines.indexOf(
    'address tricks (docs/address-tricks.md): refused passes; accepted needs review or fails',
  );
  expect(heading).toBeGreaterThan(0);
  expect(lines[heading - 1]).toBe('');
  expect(lines.slice(0, heading).some((text) => text.startsWith('trick/'))).toBe(false);
  expect(lines[heading + 1]).toMatch(/^trick\/percent-hack +NEEDS-REVIEW \(deny\)$/);
  expect(lines.slice(heading + 1).filter((text) => text.startsWith('trick/'))).toHaveLength(26);
});

it("every variant passes the engine's input checks unchanged (quoted local parts, source routes, !, %, IP literals)", () => {
  const variants = addressTricks({
    user: 'u',
    external: 'e.example',
    local: 'corp.test',
    sender: 's@corp.test',
    serverIp: 'IPv6:::1',
  });
  for (const variant of variants) {
    const steps = defaultSteps({ from: variant.from, to: [variant.to], auth: false, tls: 'none', data: false });
    expect(
      () =>
        checkSpec({
          host: '127.0.0.1',
          port: 25,
          tls: 'none',
          certificate: { mode: 'verify' },
          helo: 'client.test',
          timeouts: { connectMs: 1, greetingMs: 1, replyMs: 1 },
          steps,
        }),
      variant.id,
    ).not.toThrow();
    expect(steps).toContainEqual({ kind: 'rcpt', to: variant.to });
    expect(steps).toContainEqual({ kind: 'mail', from: variant.from });
  }
});

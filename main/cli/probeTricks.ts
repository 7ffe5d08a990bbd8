// `relay-tester probe --tricks`: the address-trick family (shared/addressTricks.ts) against one server from the
// command line, each variant in a session of its own, judged as a run judges it (refused passes, accepted needs
// review or fails), with the run's headline and exit status.
import { addressTricks, serverIpLiteral } from '../../shared/addressTricks.js';
import { headline, runExitStatus } from '../../shared/coverage.js';
import { trickInfo, type TestCase } from '../../shared/matrix.js';
import { classifyOutcome } from '../../shared/outcome.js';
import type { CaseResult } from '../../shared/run.js';
import { judge } from '../../shared/verdict.js';
import { runSession } from '../smtp/session.js';
import { defaultSteps, type SessionSpec } from '../smtp/sessionSpec.js';
import { formatted, print, printJson, terminal } from './output.js';
import { UsageError } from './usageError.js';
import { verdictMark } from './verdictText.js';

export interface TrickProbeOptions {
  /** The session every variant starts from: host, TLS, source or tunnel, credentials. */
  spec: SessionSpec;
  /** The valid sender; its domain is taken as the server's local domain. */
  from: string;
  /** The external target (a canary the user owns, or an address in a domain that receives nothing). */
  target: string;
  /** Whether `target` is a mailbox the user can check (named with --canary). */
  canary: boolean;
  data: boolean;
  json: boolean;
  colour: boolean;
  signal: AbortSignal;
}

function split(address: string, option: string): { user: string; domain: string } {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1)
    throw new UsageError(`${option} must be a mail address such as someone@example.org (got "${address}")`);
  return { user: address.slice(0, at), domain: address.slice(at + 1) };
}

export async function probeTricks(options: TrickProbeOptions): Promise<number> {
  const local = split(options.from, '--from').domain;
  const target = split(options.target, options.canary ? '--canary' : '--to');
  const variants = addressTricks({
    user: target.user,
    external: target.domain,
    local,
    sender: options.from,
    serverIp: serverIpLiteral(options.spec.host),
  });
  const results: CaseResult[] = [];
  for (const variant of variants) {
    if (options.signal.aborted) break;
    const testCase: TestCase = {
      id: `probe/trick/${variant.id}`,
      title: `${variant.name}: RCPT TO:<${variant.to}>${variant.from === options.from ? '' : ` from <${variant.from}>`}`,
      kind: 'trick',
      server: options.spec.host,
      from: variant.from,
      to: variant.to,
      recipient: 'address',
      expect: 'deny',
      because: `an address trick aimed at ${variant.destination}`,
      trick: trickInfo(variant, options.canary ? options.target : undefined),
    };
    if (options.spec.auth) testCase.account = options.spec.auth.user;
    const spec: SessionSpec = {
      ...options.spec,
      steps: defaultSteps({
        from: variant.from,
        to: [variant.to],
        auth: options.spec.auth !== undefined,
        tls: options.spec.tls,
        data: options.data,
      }),
    };
    const session = await runSession(spec, { signal: options.signal });
    const outcome = classifyOutcome(session);
    const judgement = judge(testCase, outcome, { messageId: session.messageId });
    const result: CaseResult = { case: testCase, ...judgement, outcome, transcript: session.events };
    if (session.messageId) result.messageId = session.messageId;
    results.push(result);
    if (!options.json) {
      print(
        terminal`${formatted(verdictMark(result.verdict, options.colour))} ${testCase.title}\n${' '.repeat(13)}${result.reason}\n`,
      );
    }
  }
  const run = { cases: results, cancelled: options.signal.aborted };
  if (options.json) {
    printJson({
      headline: headline(run),
      cases: results.map((result) => ({
        id: result.case.id,
        title: result.case.title,
        trick: result.case.trick,
        verdict: result.verdict,
        reason: result.reason,
        outcome: result.outcome,
      })),
    });
  } else {
    print(terminal`\n${headline(run)}\n`);
  }
  return runExitStatus(run);
}

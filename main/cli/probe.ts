// `relay-tester probe`: one SMTP dialog, like swaks, with the transcript and the outcome the engine decided.
import { formatted, print, printJson, terminal, type TerminalText } from './output.js';
import { parseArgs } from 'node:util';
import { classifyOutcome, type Outcome } from '../../shared/outcome.js';
import { AUTH_MECHANISMS, TLS_MODES } from '../../shared/session.js';
import { formatEvent } from '../../shared/transcriptFormat.js';
import { runSession } from '../smtp/session.js';
import { buildSessionSpec, type SessionAuth } from '../smtp/sessionSpec.js';
import type { Tunnel } from '../smtp/tunnel.js';
import { vantageFromVia } from '../vantage/viaOption.js';
import { vantageSecretName } from '../../shared/vantage.js';
import { VantagePool } from '../vantage/vantagePool.js';
import { PROBE_EXIT } from './exitCodes.js';
import { passwordFromEnv, promptPassword } from './password.js';
import { probeTricks } from './probeTricks.js';
import { UsageError } from './usageError.js';

/** The default external target of `--tricks`: a reserved domain (RFC 2606) that receives no mail. */
const TRICK_TARGET = 'relay-test@external.example';

function oneOf<T extends string>(value: string, allowed: readonly T[], option: string): T {
  const found = allowed.find((item) => item === value);
  if (found === undefined) throw new UsageError(`${option} must be one of ${allowed.join(', ')} (got "${value}")`);
  return found;
}

function positiveNumber(value: string, option: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0)
    throw new UsageError(`${option} must be a positive number (got "${value}")`);
  return number;
}

export async function probeCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      host: { type: 'string' },
      port: { type: 'string', default: '25' },
      source: { type: 'string' },
      via: { type: 'string' },
      identity: { type: 'string' },
      'host-key': { type: 'string' },
      'known-hosts': { type: 'string' },
      'via-password-env': { type: 'string' },
      tls: { type: 'string', default: 'auto' },
      'allow-invalid-cert': { type: 'boolean', default: false },
      'pin-sha256': { type: 'string' },
      user: { type: 'string' },
      'password-env': { type: 'string' },
      auth: { type: 'string' },
      helo: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string', multiple: true },
      timeout: { type: 'string', default: '30' },
      data: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      timings: { type: 'boolean', default: false },
      tricks: { type: 'boolean', default: false },
      canary: { type: 'string' },
    },
  });
  if (!values.host) throw new UsageError('--host is required');
  if (values.from === undefined) throw new UsageError('--from is required (use --from "" for the null sender)');
  if (values.tricks) {
    if (!values.from) throw new UsageError('--tricks needs --from with a valid sender in a local domain of the server');
    if ((values.to?.length ?? 0) > 1)
      throw new UsageError('--tricks takes at most one --to: the external target of every trick');
    if (values.canary && values.to?.length) throw new UsageError('use either --canary or --to with --tricks, not both');
  } else if (values.canary) {
    throw new UsageError('--canary needs --tricks');
  } else if (!values.to?.length) throw new UsageError('at least one --to is required');
  if (values['password-env'] && !values.user) throw new UsageError('--password-env needs --user');
  if (values['allow-invalid-cert'] && values['pin-sha256']) {
    throw new UsageError('use either --allow-invalid-cert or --pin-sha256, not both');
  }
  const tls = oneOf(values.tls, TLS_MODES, '--tls');
  const port = positiveNumber(values.port, '--port');
  const timeoutMs = positiveNumber(values.timeout, '--timeout') * 1000;
  let auth: SessionAuth | undefined;
  if (values.user) {
    // Checked before the prompt, which also names what is asked for: a token for the OAuth mechanisms.
    const mechanism = values.auth ? oneOf(values.auth.toLowerCase(), AUTH_MECHANISMS, '--auth') : undefined;
    const secretName = mechanism === 'xoauth2' || mechanism === 'oauthbearer' ? 'Access token' : 'Password';
    const password = values['password-env']
      ? passwordFromEnv(values['password-env'])
      : await promptPassword(`${secretName} for ${values.user}: `);
    auth = { user: values.user, password };
    if (mechanism) auth.mechanism = mechanism;
  } else if (values.auth) {
    throw new UsageError('--auth needs --user');
  }
  let pool: VantagePool | undefined;
  let via: Tunnel | undefined;
  if (values.via) {
    if (values.source)
      throw new UsageError('use either --source or --via: a vantage point connects from its own address');
    const point = vantageFromVia({
      via: values.via,
      ...(values.identity ? { identity: values.identity } : {}),
      ...(values['host-key'] ? { hostKey: values['host-key'] } : {}),
      ...(values['known-hosts'] ? { knownHosts: values['known-hosts'] } : {}),
    });
    if ('error' in point) throw new UsageError(point.error);
    const secrets = new Map<string, string>();
    if (values['via-password-env'])
      secrets.set(vantageSecretName(point.name), passwordFromEnv(values['via-password-env']));
    pool = await VantagePool.open([point], process.cwd(), secrets);
    const entry = pool.get(point.name)!;
    if ('error' in entry) throw new UsageError(entry.error);
    via = entry.tunnel;
  } else if (values.identity || values['host-key'] || values['known-hosts'] || values['via-password-env']) {
    throw new UsageError('--identity, --host-key, --known-hosts and --via-password-env need --via');
  }
  const spec = buildSessionSpec({
    host: values.host,
    port,
    tls,
    certificate: { pinSha256: values['pin-sha256'], allowInvalid: values['allow-invalid-cert'] },
    helo: values.helo,
    auth,
    timeoutMs,
    from: values.from,
    to: values.to,
    data: values.data,
    source: values.source,
    via,
  });

  const live = !values.json;
  const colour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  if (values.tricks) {
    try {
      return await probeTricks({
        spec,
        from: values.from,
        target: values.canary ?? values.to?.[0] ?? TRICK_TARGET,
        canary: values.canary !== undefined,
        data: values.data,
        json: values.json,
        colour,
        signal: controller.signal,
      });
    } finally {
      process.off('SIGINT', onSigint);
      pool?.close();
    }
  }
  let result;
  try {
    result = await runSession(spec, {
      signal: controller.signal,
      onEvent: live
        ? (event) => {
            if (event.type !== 'step' || values.timings) {
              print(terminal`${formatted(formatEvent(event, { colour, timestamps: true }))}\n`);
            }
          }
        : undefined,
    });
  } finally {
    process.off('SIGINT', onSigint);
    pool?.close();
  }
  const outcome = classifyOutcome(result);
  if (values.json) {
    // The outcome's fields first, then the transcript, then the rest of the session (exchanges, TLS, capabilities).
    const { events, ...session } = result;
    printJson({ ...outcome, messageId: result.messageId, transcript: events, session });
  } else {
    print(terminal`\n${describeOutcome(outcome, colour)}\n`);
    if (result.messageId) print(terminal`Test message accepted with Message-ID <${result.messageId}>\n`);
  }
  return PROBE_EXIT[outcome.outcome];
}

export function describeOutcome(outcome: Outcome, colour: boolean): TerminalText {
  const reply =
    outcome.code !== undefined ? ` ${outcome.code}${outcome.enhancedCode ? ` ${outcome.enhancedCode}` : ''}` : '';
  const detail = outcome.detail ? ` (${outcome.detail})` : '';
  const text = terminal`Outcome: ${outcome.outcome} at ${outcome.stage}${reply}${detail}: ${outcome.text}`;
  if (!colour) return text;
  const tone = outcome.outcome === 'recipient-accepted' ? '\x1b[1;32m' : '\x1b[1;33m';
  return terminal`${formatted(tone)}${text}${formatted('\x1b[0m')}`;
}

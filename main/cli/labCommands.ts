// `relay-tester lab` runs the built-in lab in the foreground, for Telnet, swaks or any client; `relay-tester demo`
// starts it on free ports, runs the bundled demo plan against it, prints the matrix and stops it.
import { formatted, joined, print, printError, terminal } from './output.js';
import { parseArgs } from 'node:util';
import { runExitStatus } from '../../shared/coverage.js';
import { loadDemoPlan, labPasswords, pointPlanAtLab } from '../lab/demoPlan.js';
import { AUTHENTICATED_USERS, type LabConfig, type VirtualServerConfig } from '../lab/labConfig.js';
import { chooseLayout } from '../lab/labLayout.js';
import { planPolicyOf, type PlanPolicy } from '../lab/labPlanTerms.js';
import { formatLabEvent, LabLog } from '../lab/labLog.js';
import { LabStartError, startLab, type RunningLab } from '../lab/labServer.js';
import {
  DEFAULT_PORT_BASE,
  isPresetName,
  labPreset,
  PRESET_DESCRIPTIONS,
  PRESET_NAMES,
  type PresetName,
} from '../lab/presets.js';
import { passwordVariable } from '../secrets.js';
import { matrixText } from './matrixText.js';
import { runWithProgress } from './runCommand.js';
import { UsageError } from './usageError.js';

/** Exit status when the lab cannot start (ports in use, address missing): sysexits EX_UNAVAILABLE. */
export const LAB_UNAVAILABLE_EXIT = 69;

function presetOption(value: string | undefined): PresetName {
  const name = value ?? 'secure';
  if (!isPresetName(name)) throw new UsageError(`unknown preset "${name}"; choose one of: ${PRESET_NAMES.join(', ')}`);
  return name;
}

function portBaseOption(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  // Without loopback aliases the second virtual server takes the next port, hence 65534.
  if (!Number.isInteger(port) || port < 0 || port > 65534)
    throw new UsageError('--port-base must be a whole number from 0 (any free port) to 65534');
  return port;
}

function listText(list: VirtualServerConfig['connection']): string {
  const entries = list.entries.length ? list.entries.join(', ') : 'empty list';
  return list.grant === 'only-list' ? `only the list below: ${entries}` : `all except the list below: ${entries}`;
}

/** What `lab` and `demo` say about the running lab: servers with their settings, accounts, certificate. */
export function describeLab(lab: RunningLab, notes: readonly string[], showPasswords: boolean): string {
  const config: LabConfig = lab.config;
  const lines = [
    `Relay Tester lab, preset "${config.preset}": ${PRESET_DESCRIPTIONS[config.preset as PresetName] ?? ''}`,
  ];
  for (const server of lab.servers) {
    const settings = server.config;
    const permission = settings.relay.allowAllAuthenticated
      ? 'any account that authenticates (allow all computers which successfully authenticate)'
      : settings.relay.relayPermission.length
        ? settings.relay.relayPermission.join(', ')
        : 'nobody';
    lines.push(
      `  ${server.name}: ${server.host}:${server.port}, greets as ${server.greetingName}`,
      `    connection: ${listText(settings.connection)}`,
      `    relay computers: ${listText(settings.relay.computers)}`,
      `    relay permission: ${permission}`,
      `    in a plan: ${planTermsText(planPolicyOf(settings, config.accounts))}`,
      `    authentication: ${settings.authentication.methods.join(' ')}${settings.authentication.requireTls ? ' (TLS required)' : ' (allowed without TLS)'}; STARTTLS with a self-signed certificate`,
    );
  }
  lines.push(`  local domains (accepted from anyone): ${config.localDomains.join(', ')}`);
  lines.push(`  certificate SHA-256: ${lab.certificate.sha256}`);
  lines.push('  lab accounts (lab-only passwords):');
  for (const account of config.accounts) {
    const groups = [AUTHENTICATED_USERS, ...account.groups].join(', ');
    lines.push(
      `    ${account.name.padEnd(8)} ${showPasswords ? `password ${account.password.padEnd(22)}` : ''}groups: ${groups}`,
    );
  }
  for (const note of notes) lines.push(`  note: ${note}`);
  return `${lines.join('\n')}\n`;
}

/** The plan fields stating a server's policy, as one line of JSON a user can paste into the server's entry. */
function planTermsText(policy: PlanPolicy): string {
  const json = (value: unknown) => JSON.stringify(value).replace(/":/g, '": ').replace(/,"/g, ', "');
  return `"relay": ${json(policy.relay)}, "connect": ${json(policy.connect)}`;
}

function waitForStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

async function startOrReport(config: LabConfig, log?: LabLog): Promise<RunningLab | undefined> {
  try {
    return await startLab(config, log ? { log } : {});
  } catch (error) {
    if (error instanceof LabStartError) {
      printError(terminal`relay-tester: the lab cannot start: ${error.message}\n`);
      return undefined;
    }
    throw error;
  }
}

export async function labCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { preset: { type: 'string' }, 'port-base': { type: 'string' } } });
  const preset = presetOption(values.preset);
  const { layout, notes } = await chooseLayout(portBaseOption(values['port-base'], DEFAULT_PORT_BASE));
  const log = new LabLog();
  const lab = await startOrReport(labPreset(preset, layout), log);
  if (!lab) return LAB_UNAVAILABLE_EXIT;
  const relay = lab.servers[lab.servers.length - 1]!;
  const alice = lab.config.accounts[0]!;
  const onDefaultPorts = layout.aliases && lab.servers.every((server) => server.port === DEFAULT_PORT_BASE);
  // The lab's description is the program's own text (its built-in configuration), several lines of it.
  print(formatted(describeLab(lab, notes, true)));
  print(
    joined(
      [
        'Nothing is delivered: accepted messages are kept in memory and listed when the lab stops.',
        `Try: swaks --server ${relay.host} --port ${relay.port} --local-interface 127.0.0.5 --quit-after RCPT --from helpdesk@corp.test --to x@external.example --auth LOGIN --auth-user ${alice.name} --auth-password ${alice.password}`,
        // plans/demo.json names the default ports; elsewhere `relay-tester demo` re-points it by itself.
        ...(onDefaultPorts
          ? [
              `Or run the demo plan against it: ${lab.config.accounts.map((account) => `${passwordVariable(account.name)}=${account.password}`).join(' ')} relay-tester run plans/demo.json`,
            ]
          : []),
        'Logging every session below; press Ctrl+C to stop.',
        '',
      ].map((line) => terminal`${line}`),
      '\n',
    ),
  );
  const unsubscribe = log.subscribe((event) => print(terminal`${formatLabEvent(event)}\n`));
  const signal = await waitForStopSignal();
  print(terminal`\n${signal}: stopping the lab...\n`);
  await lab.stop();
  unsubscribe();
  const messages = lab.messages.list();
  print(
    terminal`Stopped. ${messages.length} message${messages.length === 1 ? '' : 's'} accepted (none was sent on)${messages.length ? ':' : '.'}\n`,
  );
  for (const message of messages) {
    print(
      terminal`  <${message.id}> via ${message.server} from ${message.client}${message.account ? terminal` as ${message.account}` : ''}: ${message.from} -> ${message.to.join(', ')} (${message.size} bytes)\n`,
    );
  }
  return 0;
}

export async function demoCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { preset: { type: 'string' }, 'port-base': { type: 'string' } } });
  const preset = presetOption(values.preset);
  // Free ports by default, so the demo never collides with a lab or test bed already running.
  const { layout, notes } = await chooseLayout(portBaseOption(values['port-base'], 0));
  const lab = await startOrReport(labPreset(preset, layout));
  if (!lab) return LAB_UNAVAILABLE_EXIT;
  try {
    const plan = pointPlanAtLab(await loadDemoPlan(), lab);
    print(formatted(describeLab(lab, notes, false)));
    print(terminal`\n`);
    const run = await runWithProgress(plan, { passwords: labPasswords(lab.config) }, true);
    print(
      terminal`\nMatrix: verdict (expectation) of each case on each server\n${formatted(matrixText(run, Boolean(process.stdout.isTTY) && !process.env.NO_COLOR))}`,
    );
    return runExitStatus(run);
  } finally {
    await lab.stop();
  }
}

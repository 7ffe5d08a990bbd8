// The `relay-tester` command: one subcommand per face of the core. Each returns its exit status.
import { InputError } from '../smtp/sessionSpec.js';
import { USAGE_EXIT } from './exitCodes.js';
import { COMPARE_USAGE, compareCommand } from './compareCommand.js';
import { DEMO_USAGE, LAB_USAGE, demoCommand, labCommand } from './labCommands.js';
import { initCommand, schemaCommand, sourcesCommand } from './planCommands.js';
import { PROBE_USAGE, probeCommand } from './probe.js';
import { RUN_USAGE, runCommand } from './runCommand.js';
import { UI_USAGE, uiCommand } from './uiCommand.js';
import { UsageError } from './usageError.js';

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  probe: probeCommand,
  run: runCommand,
  compare: compareCommand,
  sources: sourcesCommand,
  init: initCommand,
  schema: schemaCommand,
  lab: labCommand,
  demo: demoCommand,
  ui: uiCommand,
};

const USAGE = `Relay Tester: prove that a mail server relays only for those it should.

Usage:
  ${PROBE_USAGE}
  ${RUN_USAGE}
  ${COMPARE_USAGE}
  ${UI_USAGE}
  relay-tester sources PLAN.json      which local address serves each source of a plan
  relay-tester init [FILE]            write a commented example plan
  relay-tester schema                 print the plan format's JSON Schema
  ${DEMO_USAGE}
  ${LAB_USAGE}

Run "relay-tester <command> --help" for details.`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name ? 0 : USAGE_EXIT;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`relay-tester: unknown command "${name}"\n\n${USAGE}\n`);
    return USAGE_EXIT;
  }
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    return await command(args);
  } catch (error) {
    if (error instanceof UsageError || error instanceof InputError || isParseArgsError(error)) {
      process.stderr.write(`relay-tester ${name}: ${(error as Error).message}\n`);
      return USAGE_EXIT;
    }
    throw error;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

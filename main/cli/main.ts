// The `relay-tester` command: one subcommand per face of the core. Each returns its exit status.
import { formatted, print, printError, terminal } from './output.js';
import { InputError } from '../smtp/sessionSpec.js';
import { USAGE_EXIT } from './exitCodes.js';
import {
  CHECK_USAGE,
  COMMAND_USAGE,
  COMPARE_USAGE,
  DEMO_USAGE,
  INIT_USAGE,
  LAB_USAGE,
  PROBE_USAGE,
  REPORT_USAGE,
  RUN_USAGE,
  SCHEMA_USAGE,
  SOURCES_USAGE,
  UI_USAGE,
  VANTAGE_USAGE,
} from './usage.js';
import { UsageError } from './usageError.js';
import { toolVersion } from '../version.js';
import { errorMessage } from '../../shared/errorMessage.js';

type Command = (args: string[]) => Promise<number>;

// Each command's module is loaded only when it runs: the lab pulls in smtp-server, the UI a web server.
const COMMANDS: Record<string, () => Promise<Command>> = {
  probe: async () => (await import('./probe.js')).probeCommand,
  run: async () => (await import('./runCommand.js')).runCommand,
  compare: async () => (await import('./compareCommand.js')).compareCommand,
  sources: async () => (await import('./planCommands.js')).sourcesCommand,
  init: async () => (await import('./planCommands.js')).initCommand,
  schema: async () => (await import('./planCommands.js')).schemaCommand,
  check: async () => (await import('./checkCommand.js')).checkCommand,
  lab: async () => (await import('./labCommands.js')).labCommand,
  demo: async () => (await import('./labCommands.js')).demoCommand,
  ui: async () => (await import('./uiCommand.js')).uiCommand,
  report: async () => (await import('./reportCommand.js')).reportCommand,
  vantage: async () => (await import('./vantageCommand.js')).vantageCommand,
};

const USAGE = `Relay Tester: prove that a mail server relays only for those it should.

Usage:
  ${PROBE_USAGE}
  ${RUN_USAGE}
  ${COMPARE_USAGE}
  ${REPORT_USAGE}
  ${CHECK_USAGE}
  ${SOURCES_USAGE}
  ${INIT_USAGE}
  ${SCHEMA_USAGE}
  ${VANTAGE_USAGE}
  ${DEMO_USAGE}
  ${LAB_USAGE}
  ${UI_USAGE}

Run "relay-tester <command> --help" for details; "relay-tester --version" prints the version.`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === 'help' && args[0] !== undefined) return commandHelp(args[0]);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    print(terminal`${formatted(USAGE)}\n`);
    return name ? 0 : USAGE_EXIT;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    print(terminal`${toolVersion()}\n`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    printError(terminal`relay-tester: unknown command "${name}"\n\n${formatted(USAGE)}\n`);
    return USAGE_EXIT;
  }
  if (args.includes('--help') || args.includes('-h')) return commandHelp(name);
  try {
    return await (
      await load()
    )(args);
  } catch (error) {
    if (error instanceof UsageError || error instanceof InputError || isParseArgsError(error)) {
      printError(terminal`relay-tester ${name}: ${errorMessage(error)}\n`);
      return USAGE_EXIT;
    }
    throw error;
  }
}

/** Prints one command's usage; an unknown command is a usage error that lists them all. */
function commandHelp(name: string): number {
  const usage = COMMAND_USAGE[name];
  if (usage === undefined) {
    printError(terminal`relay-tester: unknown command "${name}"\n\n${formatted(USAGE)}\n`);
    return USAGE_EXIT;
  }
  print(terminal`Usage:\n  ${formatted(usage)}\n\nRun "relay-tester --help" for every command.\n`);
  return 0;
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

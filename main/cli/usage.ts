// Usage text of every command, in a module of its own so `relay-tester --help` and each command can show it
// without loading the others (the lab pulls in smtp-server, the UI a web server).
import { DEFAULT_PORT_BASE, PRESET_NAMES } from '../lab/presets.js';

const CONTINUED = `\n${' '.repeat(19)}`;

export const PROBE_USAGE = `relay-tester probe --host H [--port P] [--source ADDR] [--tls auto|starttls|implicit|none]
                   [--via ssh://USER@HOST[:PORT] [--identity FILE] (--host-key SHA256:… | --known-hosts FILE)
                    | --via socks5://[USER@]HOST[:PORT]] [--via-password-env VAR]
                   [--allow-invalid-cert | --pin-sha256 FINGERPRINT]
                   [--user U [--password-env VAR]] [--auth login|plain|cram-md5|ntlm|xoauth2|oauthbearer] [--helo NAME]
                   --from ADDR --to ADDR [--to ADDR...] [--timeout SECONDS] [--data] [--json] [--timings]
                   --tricks --from SENDER@LOCAL-DOMAIN [--to EXTERNAL-ADDR | --canary YOUR-EXTERNAL-MAILBOX]
                     every address trick (percent hack, bang path, source route, nmap's 16), one session each`;
export const RUN_USAGE =
  'relay-tester run PLAN.json|RUN.json [--secrets FILE] [--out RUN.json] [--junit JUNIT.xml] [--concurrency N] [--timeout SECONDS] [--retry-greylist SECONDS] [--data] [--json]';
export const COMPARE_USAGE = 'relay-tester compare BEFORE.json AFTER.json [--json]';
export const UI_USAGE = 'relay-tester ui [--port N] [--no-open] [--dir WORKSPACE] [--preset NAME | --no-lab]';
export const DEMO_USAGE = `relay-tester demo [--preset NAME] [--port-base N]${CONTINUED}run the demo plan against the built-in lab, print the matrix`;
export const LAB_USAGE = `relay-tester lab [--preset NAME] [--port-base N]${CONTINUED}run the built-in lab in the foreground (default ports ${DEFAULT_PORT_BASE}; Ctrl+C stops it)${CONTINUED}presets: ${PRESET_NAMES.join(', ')}`;
export const REPORT_USAGE = 'relay-tester report RUN.json [--html OUT.html] [--pdf OUT.pdf] [--compare BEFORE.json]';
export const SOURCES_USAGE = `relay-tester sources PLAN.json      which local address serves each source of a plan,
                                      and where each server's account cases connect from`;
export const INIT_USAGE = 'relay-tester init [FILE]            write a commented example plan';
export const CHECK_USAGE = `relay-tester check PLAN.json        check a plan: problems, warnings, and each server's policy${CONTINUED}in Exchange's words`;
export const SCHEMA_USAGE = "relay-tester schema                 print the plan format's JSON Schema";
export const VANTAGE_USAGE = `relay-tester vantage test PLAN.json [--secrets FILE]${CONTINUED}reach each vantage point: its host key, and the address servers see it from`;

/** Each command's usage, for `relay-tester COMMAND --help` and `relay-tester help COMMAND`. */
export const COMMAND_USAGE: Readonly<Record<string, string>> = {
  probe: PROBE_USAGE,
  run: RUN_USAGE,
  compare: COMPARE_USAGE,
  report: REPORT_USAGE,
  sources: SOURCES_USAGE,
  init: INIT_USAGE,
  schema: SCHEMA_USAGE,
  check: CHECK_USAGE,
  vantage: VANTAGE_USAGE,
  demo: DEMO_USAGE,
  lab: LAB_USAGE,
  ui: UI_USAGE,
};

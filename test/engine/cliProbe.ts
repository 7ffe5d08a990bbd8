// Running `relay-tester probe` (the built bin/relay-tester.js, compiled by test/globalSetup.ts) against a fake
// server, as a user would.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CliResult } from '../support/cli.js';
import { ROOT } from '../support/testbed.js';
import type { FakeServer } from './fakeServer.js';
import { FROM, HELO, TO } from './harness.js';

export function requireBuiltCli(): void {
  if (!existsSync(path.join(ROOT, 'dist/main/cli/main.js'))) {
    throw new Error('dist/ is missing: test/globalSetup.ts builds it (npx tsc -b) before the tests run');
  }
}

/** The arguments of a relay test against `server`, then `extra`. */
export function probeArgs(server: FakeServer, ...extra: string[]): string[] {
  return [
    'probe',
    '--host',
    server.host,
    '--port',
    String(server.port),
    '--helo',
    HELO,
    '--from',
    FROM,
    '--to',
    TO,
    ...extra,
  ];
}

/** The same arguments addressed to the host name localhost instead of the IP address. */
export function byName(args: string[]): string[] {
  return args.map((arg, index) => (args[index - 1] === '--host' ? 'localhost' : arg));
}

export interface ProbeJson {
  outcome: string;
  stage: string;
  code?: number;
  enhancedCode?: string;
  text: string;
  transcript: { type: string; [field: string]: unknown }[];
  session: { tls?: { trust: string } };
}

/** What the probe prints with --json: the outcome, the transcript events, and the rest of the session. */
export function parsed(run: CliResult): ProbeJson {
  return JSON.parse(run.stdout) as ProbeJson;
}

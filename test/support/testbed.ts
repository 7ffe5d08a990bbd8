// The Postfix test bed (test/postfix/testbed.sh): its addresses, accounts and helpers to talk to it.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSession } from '../../main/smtp/session.js';
import { defaultSteps, type SessionSpec } from '../../main/smtp/sessionSpec.js';
import type { AuthMechanism, CertificateCheck } from '../../shared/session.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TESTBED_SCRIPT = path.join(ROOT, 'test/postfix/testbed.sh');
export const TESTBED_PLAN = path.join(ROOT, 'test/postfix/plan.json');
export const CONF_DIR = '/etc/postfix-relay-tester';

export const DEFAULT_SERVER = { host: '127.0.0.1', port: 2525 };
export const RELAY_SERVER = { host: '127.0.0.2', port: 2525 };
/** The relay server's policy behind real limits: 3 connections per client, a slow greeting and RCPT, a tarpit. */
export const LIMITED_SERVER = { host: '127.0.0.3', port: 2525 };
/** Recipients in this domain and its subdomains are greylisted by the limited server (postgrey). */
export const GREY_DOMAIN = 'grey.example';
/** Seconds postgrey holds a new (client, sender, recipient) triplet back. */
export const GREY_DELAY_SECONDS = 3;
/** Connections the limited server takes at once from one client address. */
export const LIMITED_CONNECTIONS = 3;

export const PASSWORDS = new Map([
  ['alice', 'Alice-Secret-1'],
  ['bob', 'Bob-Secret-2'],
  ['mallory', 'Mallory-Secret-3'],
]);

/** Throws with the fix when the test bed is not running, instead of letting every test time out. */
export function assertTestbedRunning(): void {
  try {
    execFileSync('bash', [TESTBED_SCRIPT, 'status'], { stdio: 'pipe' });
  } catch {
    throw new Error(`the Postfix test bed is not running: start it with "sudo bash ${TESTBED_SCRIPT} start"`);
  }
}

export interface ProbeOptions {
  server: { host: string; port: number };
  source?: string;
  user?: string;
  password?: string;
  mechanism?: AuthMechanism;
  to?: string;
  tls?: SessionSpec['tls'];
  certificate?: CertificateCheck;
  from?: string;
}

/** One relay test dialog against the test bed, as the product runs it. */
export function probe(options: ProbeOptions) {
  const tls = options.tls ?? 'auto';
  const auth = options.user
    ? { user: options.user, password: options.password ?? PASSWORDS.get(options.user)! }
    : undefined;
  const spec: SessionSpec = {
    host: options.server.host,
    port: options.server.port,
    tls,
    certificate: options.certificate ?? { mode: 'allow-invalid' },
    helo: 'relay-tester.test',
    timeouts: { connectMs: 5000, greetingMs: 5000, replyMs: 5000 },
    steps: defaultSteps({
      from: options.from ?? 'helpdesk@corp.test',
      to: [options.to ?? 'x@external.example'],
      auth: auth !== undefined,
      tls,
    }),
  };
  if (options.source) spec.source = options.source;
  if (auth) spec.auth = { ...auth, ...(options.mechanism ? { mechanism: options.mechanism } : {}) };
  return runSession(spec);
}

// SMTPUTF8 (RFC 6531) against real servers: Postfix offers it (smtputf8_enable, on by default since 3.0) and
// takes international addresses with the MAIL parameter; the lab hides it (like Exchange 2003), so a case with
// a non-ASCII address ends as an error before any MAIL is sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type RunningLab } from '../../main/lab/labServer.js';
import { labPreset } from '../../main/lab/presets.js';
import { runSession } from '../../main/smtp/session.js';
import { defaultSteps, type SessionSpec } from '../../main/smtp/sessionSpec.js';
import { classifyOutcome } from '../../shared/outcome.js';
import { assertTestbedRunning, DEFAULT_SERVER } from '../support/testbed.js';

let lab: RunningLab;

beforeAll(async () => {
  assertTestbedRunning();
  lab = await startLab(labPreset('secure', { portBase: 0, aliases: true }));
});
afterAll(() => lab?.stop());

function international(server: { host: string; port: number }): SessionSpec {
  return {
    host: server.host,
    port: server.port,
    source: '127.0.0.5',
    tls: 'none',
    certificate: { mode: 'allow-invalid' },
    helo: 'relay-tester.test',
    timeouts: { connectMs: 5000, greetingMs: 5000, replyMs: 5000 },
    steps: defaultSteps({ from: 'jürgen@corp.test', to: ['zoë@corp.test'], auth: false, tls: 'none' }),
  };
}

describe('SMTPUTF8', () => {
  it('Postfix offers SMTPUTF8 and accepts a non-ASCII envelope sent with the parameter', async () => {
    const session = await runSession(international(DEFAULT_SERVER));
    expect(session.capabilities?.keywords).toHaveProperty('SMTPUTF8');
    expect(session.exchanges.find((exchange) => exchange.stage === 'mail')?.command).toBe(
      'MAIL FROM:<jürgen@corp.test> SMTPUTF8',
    );
    expect(classifyOutcome(session).outcome).toBe('recipient-accepted');
  });

  it('against the lab, which does not offer it, the case is an error and no MAIL is sent', async () => {
    const session = await runSession(international(lab.servers[0]!));
    expect(session.capabilities?.keywords).not.toHaveProperty('SMTPUTF8');
    const outcome = classifyOutcome(session);
    expect(outcome.outcome).toBe('unsupported');
    expect(outcome.text).toMatch(/^the server does not offer SMTPUTF8/);
    expect(session.exchanges.map((exchange) => exchange.stage)).toEqual(['greeting', 'ehlo', 'quit']);
  });
});

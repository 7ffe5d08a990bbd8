// `relay-tester COMMAND --help` and `relay-tester help COMMAND` print that command's usage, not the global list.
import { describe, expect, it } from 'vitest';
import { USAGE_EXIT } from '../../main/cli/exitCodes.js';
import { COMMAND_USAGE } from '../../main/cli/usage.js';
import { relayTester } from '../support/cli.js';

describe('per-command help', () => {
  it.each(Object.keys(COMMAND_USAGE))('%s --help prints its own usage and nothing of the others', async (name) => {
    const others = Object.entries(COMMAND_USAGE).filter(([other]) => other !== name);
    const [flag, word] = await Promise.all([relayTester([name, '--help']), relayTester(['help', name])]);
    for (const result of [flag, word]) {
      expect(result.status).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain(COMMAND_USAGE[name]);
      for (const [, usage] of others) expect(result.stdout).not.toContain(usage);
    }
  });

  it('answers --help after other arguments without running the command', async () => {
    const result = await relayTester(['run', 'no-such-plan.json', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(COMMAND_USAGE.run);
  });

  it('refuses help for an unknown command with the list of commands', async () => {
    const result = await relayTester(['help', 'nope']);
    expect(result.status).toBe(USAGE_EXIT);
    expect(result.stderr).toContain('unknown command "nope"');
    expect(result.stderr).toContain(COMMAND_USAGE.probe);
  });
});

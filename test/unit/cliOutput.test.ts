// The CLI has one way to print (main/cli/output.ts), which makes every untrusted value visible: no command may
// write to the terminal around it, so a new print path cannot forget (issue 10, finding 5).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { terminal } from '../../main/cli/output.js';
import { ROOT } from '../support/testbed.js';

// uiCommand prints only the host's own address and the lab's built-in server names.
const ALLOWED = new Set(['output.ts', 'uiCommand.ts']);

describe('CLI output', () => {
  it('every command prints through main/cli/output.ts', () => {
    const folder = path.join(ROOT, 'main/cli');
    const offenders = readdirSync(folder)
      .filter((name) => name.endsWith('.ts') && !ALLOWED.has(name))
      .filter((name) =>
        /process\.(stdout|stderr)\.write|console\.(log|error|warn|info)/.test(
          readFileSync(path.join(folder, name), 'utf8'),
        ),
      );
    expect(offenders).toEqual([]);
  });

  it('the terminal tag keeps its own text and makes every value visible, once', () => {
    const inner = terminal`\x1b[1m${'bold \x1b]0;t\x07'}\x1b[0m`;
    expect(terminal`${inner} and ${'\r\u009b2J'}`.text).toBe('\x1b[1mbold \\e]0;t\\x07\x1b[0m and \\r\\x9b2J');
  });
});

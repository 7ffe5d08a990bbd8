// Where a password comes from on the command line: an environment variable, or a prompt on a TTY that does not
// echo. Never an argument: argv is visible to every user of the machine through ps.
import { printError, terminal } from './output.js';
import { UsageError } from './usageError.js';

export function passwordFromEnv(variable: string): string {
  const value = process.env[variable];
  if (value === undefined) throw new UsageError(`the environment variable ${variable} is not set`);
  return value;
}

/** Reads a line from the terminal without echoing it. */
export async function promptPassword(question: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) throw new UsageError('no password given: use --password-env VAR (stdin is not a terminal)');
  // Echo goes off before the question is shown, so nothing typed after the prompt can appear on the screen.
  input.setRawMode(true);
  printError(terminal`${question}`);
  input.resume();
  let value = '';
  try {
    return await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        for (const char of chunk.toString('utf8')) {
          if (char === '\r' || char === '\n') {
            input.off('data', onData);
            resolve(value);
            return;
          }
          if (char === '\u0003') {
            input.off('data', onData);
            reject(new UsageError('cancelled'));
            return;
          }
          if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
          else value += char;
        }
      };
      input.on('data', onData);
    });
  } finally {
    input.setRawMode(false);
    input.pause();
    printError(terminal`\n`);
  }
}

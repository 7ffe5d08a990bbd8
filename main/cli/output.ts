// Everything the CLI prints goes through here. Text from a server, a plan or a run file is untrusted: an escape
// sequence in it could set the clipboard (OSC 52), the window title, clear the screen or overwrite a line (bare CR).
// The `terminal` tag makes every interpolated value visible, while its literal parts (the program's own colours and
// progress controls) pass as written; print() takes only what the tag (or a formatter that makes its values visible
// itself) produced, so a new print path cannot forget.
import { ensureVisible, terminalJson } from '../../shared/text.js';

/** Text that may be written to a terminal as it is. */
export class TerminalText {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Literal parts as written; every value made visible, except TerminalText, which is already safe. */
export function terminal(strings: TemplateStringsArray, ...values: unknown[]): TerminalText {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += value instanceof TerminalText ? value.text : ensureVisible(String(value));
    out += strings[index + 1] ?? '';
  });
  return new TerminalText(out);
}

/**
 * Text built by one of the program's own formatters that make every value visible themselves (formatEvent,
 * matrixText) and add only their own colours.
 */
export function formatted(text: string): TerminalText {
  return new TerminalText(text);
}

/** Joins safe pieces. */
export function joined(parts: readonly TerminalText[], separator = ''): TerminalText {
  return new TerminalText(parts.map((part) => part.text).join(separator));
}

export function print(text: TerminalText): void {
  process.stdout.write(text.text);
}

export function printError(text: TerminalText): void {
  process.stderr.write(text.text);
}

/** JSON output: the same data, with C1 and invisible characters escaped as JSON itself escapes C0 (terminalJson). */
export function printJson(value: unknown): void {
  process.stdout.write(`${terminalJson(value)}\n`);
}

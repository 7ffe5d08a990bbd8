// The xterm.js options and theme, from the window's look. Pure. The pane is output only: no input, no cursor,
// links never opened (server text is made visible by the core, so none should exist; this is the second guard).
import type { ITerminalOptions, ITheme } from '@xterm/xterm';

export interface TerminalLook {
  dark: boolean;
  largeText: boolean;
}

export const MONOSPACE_FONTS = "ui-monospace, 'DejaVu Sans Mono', 'Liberation Mono', Menlo, Consolas, monospace";

const DARK: ITheme = {
  background: '#111417',
  foreground: '#e6e6e6',
  cursor: '#111417',
  cursorAccent: '#111417',
  selectionBackground: '#3d5a80',
  selectionForeground: '#ffffff',
  black: '#1c1f22',
  red: '#ff7b72',
  green: '#7ee787',
  yellow: '#e3b341',
  blue: '#79c0ff',
  magenta: '#d2a8ff',
  cyan: '#56d4dd',
  white: '#e6e6e6',
  // The grey of quiet text (timestamps, timings): 6.0:1 on the background.
  brightBlack: '#8b949e',
};

const LIGHT: ITheme = {
  background: '#fbfbfa',
  foreground: '#1f2328',
  cursor: '#fbfbfa',
  cursorAccent: '#fbfbfa',
  selectionBackground: '#b6d4fe',
  selectionForeground: '#000000',
  black: '#1f2328',
  red: '#b42318',
  green: '#116329',
  yellow: '#7a4d00',
  blue: '#0550ae',
  magenta: '#8250df',
  cyan: '#0b6470',
  white: '#6e7781',
  // The grey of quiet text (timestamps, timings): 6.2:1 on the background.
  brightBlack: '#57606a',
};

export function terminalTheme(dark: boolean): ITheme {
  return dark ? DARK : LIGHT;
}

export function terminalFontSize(largeText: boolean): number {
  return largeText ? 20 : 15;
}

export function terminalOptions(look: TerminalLook): ITerminalOptions {
  return {
    disableStdin: true,
    cursorBlink: false,
    cursorStyle: 'bar',
    cursorInactiveStyle: 'none',
    convertEol: false,
    scrollback: 10_000,
    fontFamily: MONOSPACE_FONTS,
    fontSize: terminalFontSize(look.largeText),
    lineHeight: 1.15,
    theme: terminalTheme(look.dark),
    // OSC 8 links: never activated (xterm's default would offer to open them).
    linkHandler: { activate: () => undefined, allowNonHttpProtocols: false },
    allowProposedApi: false,
    // WCAG AA for every colour the terminal shows (xterm.js adjusts a foreground that would fall below it).
    minimumContrastRatio: 4.5,
    screenReaderMode: false,
  };
}

// Untrusted server text made visible (shared/text.ts, docs/reliability.md §24): no escape sequence, control
// character or bidi override survives to drive a terminal or hide itself.
import { describe, expect, it } from 'vitest';
import {
  ensureVisible,
  ensureVisibleDeep,
  ensureVisibleLines,
  hasLineBreakOrNul,
  makeVisible,
  terminalJson,
} from '../../shared/text.js';

/** Any C0 control, DEL or C1 control, or a Unicode format character that reorders or hides text. */
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

describe('makeVisible', () => {
  it.each([
    ['OSC 52 clipboard write', '\x1b]52;c;ZWNobyBwd25lZA==\x07', '\\e]52;c;ZWNobyBwd25lZA==\\x07'],
    ['OSC 52 clipboard read', '\x1b]52;c;?\x1b\\', '\\e]52;c;?\\e\\\\'],
    ['OSC 0 window title', '\x1b]0;Relay OK\x07', '\\e]0;Relay OK\\x07'],
    [
      'OSC 8 hyperlink',
      '\x1b]8;;javascript:alert(1)\x1b\\click\x1b]8;;\x1b\\',
      '\\e]8;;javascript:alert(1)\\e\\\\click\\e]8;;\\e\\\\',
    ],
    ['CSI 2J clear screen', '\x1b[2J\x1b[H', '\\e[2J\\e[H'],
    ['CSI 6n cursor position report', '\x1b[6n', '\\e[6n'],
    ['device attributes query', '\x1b[c\x1b[>c', '\\e[c\\e[>c'],
    ['DCS', '\x1bP$q"p\x1b\\', '\\eP$q"p\\e\\\\'],
    ['8-bit DCS and ST', '\x90$qm\x9c', '\\x90$qm\\x9c'],
    ['C1 CSI 0x9b', '\x9b6n', '\\x9b6n'],
    ['bidi override U+202E', 'invoice\u202efdp.exe', 'invoice\\u{202e}fdp.exe'],
    ['bidi isolates', '\u2066a\u2069 \u2067b\u2069', '\\u{2066}a\\u{2069} \\u{2067}b\\u{2069}'],
    ['zero-width space and BOM', 'a\u200bb\ufeff', 'a\\u{200b}b\\u{feff}'],
    ['soft hyphen', 'rel\u00aday', 'rel\\xaday'],
    ['Unicode tag characters', 'ok\u{e0041}\u{e007f}', 'ok\\u{e0041}\\u{e007f}'],
    ['NUL, tab, CR, LF, BEL, DEL', 'a\0b\tc\rd\ne\x07f\x7f', 'a\\0b\\tc\\rd\\ne\\x07f\\x7f'],
  ])('%s', (_name, raw, visible) => {
    expect(makeVisible(raw)).toBe(visible);
    expect(makeVisible(raw)).not.toMatch(RAW_CONTROL);
  });

  it('doubles a backslash, so a server cannot forge an escape that looks like ours', () => {
    expect(makeVisible('\\e]0;fake')).toBe('\\\\e]0;fake');
    expect(makeVisible('\x1b')).not.toBe(makeVisible('\\e'));
  });

  it('leaves ordinary text, accents and other scripts alone', () => {
    const text = '250 2.0.0 Ok: queued — Grüße, 日本語, עברית, emoji 📬';
    expect(makeVisible(text)).toBe(text);
  });

  it('leaves no raw control character in any string of all code points below 0x3000', () => {
    let all = '';
    for (let code = 0; code < 0x3000; code += 1) if (code < 0xd800 || code > 0xdfff) all += String.fromCodePoint(code);
    expect(makeVisible(all)).not.toMatch(RAW_CONTROL);
  });
});

describe('hasLineBreakOrNul', () => {
  it.each([
    ['client.test', false],
    ['client.test\r', true],
    ['client.test\nRSET', true],
    ['a\0b', true],
    ['a\u2028b', false], // a Unicode line separator is not an SMTP line end
  ])('%j → %s', (text, expected) => {
    expect(hasLineBreakOrNul(text)).toBe(expected);
  });
});

describe('ensureVisible, terminalJson', () => {
  const HOSTILE = 'a\x1b]52;c;ZXZpbA==\x07 \u009b2J \r\u202e\\e';

  it('makes raw text visible exactly as makeVisible does, and leaves visible text as it is', () => {
    expect(ensureVisible(HOSTILE)).toBe(makeVisible(HOSTILE));
    expect(ensureVisible(ensureVisible(HOSTILE))).toBe(makeVisible(HOSTILE));
    expect(ensureVisible(makeVisible('\x1b[2J \\'))).toBe('\\e[2J \\\\');
  });

  it('keeps the line feeds of several lines', () => {
    expect(ensureVisibleLines('one \x1b[2J\ntwo \\e\nthree')).toBe('one \\e[2J\ntwo \\e\nthree');
  });

  it('makes every string and key of a value visible without touching the prototype', () => {
    const value = JSON.parse('{"__proto__": {"x": "\\u001b"}, "list": ["\\u009b"], "n": 1}');
    const shown = ensureVisibleDeep(value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(shown)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(shown, '__proto__')?.value).toEqual({ x: '\\e' });
    expect(shown.list).toEqual(['\\x9b']);
    expect(shown.n).toBe(1);
  });

  it('writes JSON with C1, DEL and bidi controls escaped, which parses back to the same data', () => {
    const value = { text: HOSTILE, del: '\x7f', tag: '\u{e0041}' };
    const json = terminalJson(value);
    expect(json).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]|\u{e0041}/u);
    expect(json).toContain('\\u009b');
    expect(JSON.parse(json)).toEqual(value);
  });
});

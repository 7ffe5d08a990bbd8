// Server text is untrusted: before it reaches a terminal or a page, every control character, escape sequence
// and bidi override is replaced by a visible escape, so it can neither drive the terminal nor hide itself.

const C0_NAMES: Record<number, string> = { 0x00: '\\0', 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r', 0x1b: '\\e' };

// Unicode format characters that reorder or hide text (Trojan Source, CVE-2021-42574) or are invisible: bidi
// controls, zero-width and soft hyphen, line separators, interlinear annotations and the tag characters.
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}]/u;

function hex(codePoint: number): string {
  return codePoint <= 0xff
    ? `\\x${codePoint.toString(16).padStart(2, '0')}`
    : `\\u{${codePoint.toString(16)}}`;
}

/** Returns `text` with every control character (C0, DEL, C1) and invisible format character made visible. */
export function makeVisible(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f || (code >= 0x80 && code <= 0x9f)) {
      out += C0_NAMES[code] ?? hex(code);
    } else if (INVISIBLE.test(char)) {
      out += hex(code);
    } else if (char === '\\') {
      // Escape the escape character itself, so a server cannot forge "\e" that looks like one we produced.
      out += '\\\\';
    } else {
      out += char;
    }
  }
  return out;
}

/** True when `text` holds CR, LF or NUL, which would let an argument smuggle a second SMTP command. */
export function hasLineBreakOrNul(text: string): boolean {
  return /[\r\n\0]/.test(text);
}

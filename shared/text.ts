// Server text is untrusted: before it reaches a terminal or a page, every control character, escape sequence
// and bidi override is replaced by a visible escape, so it can neither drive the terminal nor hide itself.

const C0_NAMES: Record<number, string> = { 0x00: '\\0', 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r', 0x1b: '\\e' };

// Unicode format characters that reorder or hide text (Trojan Source, CVE-2021-42574) or are invisible: bidi
// controls, zero-width and soft hyphen, line separators, interlinear annotations and the tag characters.
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}]/u;

function hex(codePoint: number): string {
  return codePoint <= 0xff ? `\\x${codePoint.toString(16).padStart(2, '0')}` : `\\u{${codePoint.toString(16)}}`;
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

// What makeVisible would change besides the backslash: C0, DEL, C1 and the invisible format characters.
const NEEDS_ESCAPE = new RegExp(`[\\x00-\\x1f\\x7f-\\x9f]|${INVISIBLE.source}`, 'u');

/** True when `text` holds a control character (C0, DEL, C1) or an invisible format character. */
export function hasInvisible(text: string): boolean {
  return NEEDS_ESCAPE.test(text);
}

/**
 * `text` made visible when it holds anything to escape, else unchanged. Unlike makeVisible it may be applied to
 * text that is already visible (its output holds nothing to escape), so every output path can apply it as a last
 * guard without doubling the backslashes of text the engine made visible already.
 */
export function ensureVisible(text: string): string {
  return hasInvisible(text) ? makeVisible(text) : text;
}

/** ensureVisible for text of several lines: the line feeds between them stay line feeds. */
export function ensureVisibleLines(text: string): string {
  return text.split('\n').map(ensureVisible).join('\n');
}

/** Every string in a JSON-like value passed through ensureVisible: for data that came from a file or a peer. */
export function ensureVisibleDeep<T>(value: T): T {
  if (typeof value === 'string') return ensureVisible(value) as T;
  if (Array.isArray(value)) return (value as unknown[]).map((item) => ensureVisibleDeep(item)) as T;
  if (value && typeof value === 'object') {
    // fromEntries defines keys as data properties: a "__proto__" key stays a key and sets no prototype.
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [ensureVisible(key), ensureVisibleDeep(item)]),
    ) as T;
  }
  return value;
}

/**
 * JSON for a terminal: the same data, but with C1, DEL and invisible format characters written as \u escapes
 * (JSON.stringify escapes only C0), so the output parses to the same value and cannot drive the terminal.
 */
export function terminalJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(new RegExp(`[\\x7f-\\x9f]|${INVISIBLE.source}`, 'gu'), (char) => {
    const code = char.codePointAt(0)!;
    if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
    const high = Math.floor((code - 0x10000) / 0x400) + 0xd800;
    const low = ((code - 0x10000) % 0x400) + 0xdc00;
    return `\\u${high.toString(16)}\\u${low.toString(16)}`;
  });
}

/** True when `text` holds CR, LF or NUL, which would let an argument smuggle a second SMTP command. */
export function hasLineBreakOrNul(text: string): boolean {
  return /[\r\n\0]/.test(text);
}

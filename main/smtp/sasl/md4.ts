// MD4 (RFC 1320), needed only for the NT hash of NTLM. OpenSSL 3 moved MD4 to its legacy provider, which Node 20
// does not load, so `createHash('md4')` throws; this small implementation is checked against RFC 1320's suite.

function rotate(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

export function md4(message: Uint8Array): Uint8Array {
  // Padding: 0x80, zeros to 56 mod 64, then the length in bits as a 64-bit little-endian number (§3.1, §3.2).
  const length = message.length;
  const padded = new Uint8Array((((length + 8) >> 6) + 1) << 6);
  padded.set(message);
  padded[length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, (length * 8) >>> 0, true);
  view.setUint32(padded.length - 4, Math.floor(length / 0x20000000), true);

  let a = 0x67452301;
  let b = 0xefcdab89;
  let c = 0x98badcfe;
  let d = 0x10325476;
  const x = new Array<number>(16);
  for (let block = 0; block < padded.length; block += 64) {
    for (let i = 0; i < 16; i += 1) x[i] = view.getUint32(block + i * 4, true);
    const [aa, bb, cc, dd] = [a, b, c, d];
    const f = (p: number, q: number, r: number) => (p & q) | (~p & r);
    const g = (p: number, q: number, r: number) => (p & q) | (p & r) | (q & r);
    const h = (p: number, q: number, r: number) => p ^ q ^ r;
    // Round 1 (§3.4)
    for (const i of [0, 4, 8, 12]) {
      a = rotate((a + f(b, c, d) + x[i]!) | 0, 3);
      d = rotate((d + f(a, b, c) + x[i + 1]!) | 0, 7);
      c = rotate((c + f(d, a, b) + x[i + 2]!) | 0, 11);
      b = rotate((b + f(c, d, a) + x[i + 3]!) | 0, 19);
    }
    // Round 2
    for (const i of [0, 1, 2, 3]) {
      a = rotate((a + g(b, c, d) + x[i]! + 0x5a827999) | 0, 3);
      d = rotate((d + g(a, b, c) + x[i + 4]! + 0x5a827999) | 0, 5);
      c = rotate((c + g(d, a, b) + x[i + 8]! + 0x5a827999) | 0, 9);
      b = rotate((b + g(c, d, a) + x[i + 12]! + 0x5a827999) | 0, 13);
    }
    // Round 3
    for (const i of [0, 2, 1, 3]) {
      a = rotate((a + h(b, c, d) + x[i]! + 0x6ed9eba1) | 0, 3);
      d = rotate((d + h(a, b, c) + x[i + 8]! + 0x6ed9eba1) | 0, 9);
      c = rotate((c + h(d, a, b) + x[i + 4]! + 0x6ed9eba1) | 0, 11);
      b = rotate((b + h(c, d, a) + x[i + 12]! + 0x6ed9eba1) | 0, 15);
    }
    a = (a + aa) | 0;
    b = (b + bb) | 0;
    c = (c + cc) | 0;
    d = (d + dd) | 0;
  }
  const digest = new Uint8Array(16);
  const out = new DataView(digest.buffer);
  [a, b, c, d].forEach((word, i) => out.setUint32(i * 4, word >>> 0, true));
  return digest;
}

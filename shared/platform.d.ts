// The few runtime globals shared/ relies on; present in Node ≥ 16 and every browser.
declare function btoa(data: string): string;
declare function atob(data: string): string;
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}

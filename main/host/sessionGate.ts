// Who may use the browser host. The address that opens the browser carries only a one-time code: the browser
// arguments (and `ps`) are readable by every user on the machine, so nothing reusable may travel there. The
// first request with the code turns it into an HttpOnly, SameSite=Strict session cookie; the code is then dead,
// and the WebSocket accepts only that cookie. See docs/security.md.
import { randomBytes, timingSafeEqual } from 'node:crypto';

export interface SessionGate {
  /** The one-time code for the address the user opens. */
  readonly code: string;
  /** Spends `given` if it is the unused code; returns the Set-Cookie header value for the new session. */
  exchange(given: string | null): string | undefined;
  /** True when the Cookie header carries this launch's session. */
  admits(cookieHeader: string | undefined): boolean;
}

function sameSecret(given: string, secret: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The value of cookie `name` in a Cookie header, or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}

/**
 * Cookies are shared by every port of 127.0.0.1, so the name carries the port: two hosts side by side do not
 * overwrite each other's session.
 */
export function sessionCookieName(port: number): string {
  return `relay-tester-${port}`;
}

export function createSessionGate(port: number): SessionGate {
  let code: string | undefined = randomBytes(24).toString('base64url');
  const shownCode = code;
  const session = randomBytes(32).toString('base64url');
  const name = sessionCookieName(port);
  return {
    code: shownCode,
    exchange(given) {
      if (!given || code === undefined || !sameSecret(given, code)) return undefined;
      code = undefined;
      return `${name}=${session}; HttpOnly; SameSite=Strict; Path=/`;
    },
    admits(cookieHeader) {
      const value = cookieValue(cookieHeader, name);
      return value !== undefined && sameSecret(value, session);
    },
  };
}

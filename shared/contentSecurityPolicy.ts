// The app's Content-Security-Policy, narrowed per face: scripts only from the app itself, and a WebSocket source
// only in the browser face, only for the host's own address. The Electron window talks over IPC and gets none.
// style-src needs 'unsafe-inline' because xterm.js writes its theme and cell sizes into <style> elements.

/** `socketOrigin`: the browser host's own ws:// origin (e.g. ws://127.0.0.1:41234); none in Electron. */
export function contentSecurityPolicy(socketOrigin?: string, options: { meta?: boolean } = {}): string {
  const directives = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    socketOrigin ? `connect-src 'self' ${socketOrigin}` : "connect-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ];
  // frame-ancestors is ignored (and warned about) in a <meta> policy; it only works as a header.
  if (!options.meta) directives.push("frame-ancestors 'none'");
  return directives.join('; ');
}

/** The Electron face's policy: no WebSocket, no remote anything. */
export const DESKTOP_CONTENT_SECURITY_POLICY = contentSecurityPolicy();

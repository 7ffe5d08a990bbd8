// Serves the built renderer (dist/renderer) read-only, with the browser face's CSP and no caching. Any request,
// however malformed, gets an answer; nothing here may throw past its caller.
import { promises as fs } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { contentSecurityPolicy } from '../../shared/contentSecurityPolicy.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The headers of every answer; `socketOrigin` is the host's own ws:// origin, the only one the page may reach. */
export function securityHeaders(socketOrigin?: string): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(socketOrigin),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

const META_POLICY = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")[^"]*(")/i;

/**
 * The page's own <meta> policy is the desktop one (no WebSocket); a page carries both policies and the browser
 * applies each, so the host puts its own policy into the meta too, or the WebSocket would be blocked.
 */
export function withPagePolicy(html: string, socketOrigin: string): string {
  return html.replace(
    META_POLICY,
    (_match, before: string, after: string) =>
      `${before}${contentSecurityPolicy(socketOrigin, { meta: true })}${after}`,
  );
}

/** The path of a request inside `root`, or an HTTP status when there is none. */
export function requestedFile(root: string, requestUrl: string | undefined): string | 400 | 404 {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(requestUrl ?? '/', 'http://host').pathname);
  } catch {
    return 400; // e.g. GET /% (URIError: URI malformed)
  }
  if (pathname.includes('\0')) return 400;
  const relative = pathname === '/' ? 'index.html' : pathname.slice(1);
  const file = path.resolve(root, relative);
  return file.startsWith(`${root}${path.sep}`) ? file : 404;
}

export async function serveStatic(
  root: string,
  request: http.IncomingMessage,
  response: http.ServerResponse,
  socketOrigin: string,
): Promise<void> {
  const headers = securityHeaders(socketOrigin);
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
    return;
  }
  const file = requestedFile(root, request.url);
  if (file === 400) {
    response.writeHead(400, headers).end('malformed address');
    return;
  }
  if (file === 404) {
    response.writeHead(404, headers).end('not found');
    return;
  }
  let body: Buffer;
  try {
    body = await fs.readFile(file);
  } catch {
    response.writeHead(404, headers).end('not found');
    return;
  }
  const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
  const content =
    path.basename(file) === 'index.html' ? Buffer.from(withPagePolicy(body.toString('utf8'), socketOrigin)) : body;
  response.writeHead(200, { ...headers, 'Content-Type': type });
  response.end(request.method === 'HEAD' ? undefined : content);
}

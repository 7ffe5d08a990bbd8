// Finding 10 of issue 10: the CSP allowed `connect-src ws://127.0.0.1:*` in the Electron face, which uses no
// WebSocket, and any local port in the browser face. Now each face gets its own policy, checked here as text and
// in real Chromium: the desktop policy blocks every WebSocket, the browser host's allows only its own.
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type Host } from '../../main/host/hostServer.js';
import { contentSecurityPolicy, DESKTOP_CONTENT_SECURITY_POLICY } from '../../shared/contentSecurityPolicy.js';
import { ROOT } from '../support/testbed.js';

function connectSources(policy: string): string[] {
  const directive = policy
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith('connect-src '));
  return directive!.split(/\s+/).slice(1);
}

function metaPolicy(html: string): string {
  return /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)![1]!;
}

let host: Host;
let browser: Browser;
let other: http.Server; // a second local service the page must not reach

beforeAll(async () => {
  host = await startHost({ port: 0, rendererRoot: path.join(ROOT, 'dist', 'renderer'), log: () => undefined });
  other = http.createServer((_request, response) => response.end('other'));
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await new Promise((resolve) => other?.close(resolve));
});

/** What happens when the page opens a WebSocket to `url`: 'open', 'blocked' (by the CSP) or 'failed'. */
function trySocket(page: Page, url: string): Promise<string> {
  return page.evaluate(
    (target) =>
      new Promise<string>((resolve) => {
        const onViolation = (event: SecurityPolicyViolationEvent) => {
          if (event.effectiveDirective === 'connect-src') resolve('blocked');
        };
        document.addEventListener('securitypolicyviolation', onViolation);
        try {
          const socket = new WebSocket(target);
          socket.onopen = () => {
            resolve('open');
            socket.close();
          };
          socket.onerror = () => setTimeout(() => resolve('failed'), 200);
        } catch {
          resolve('blocked'); // Chromium throws SecurityError at once for a CSP-blocked WebSocket
        }
      }),
    url,
  );
}

describe('the Electron face', () => {
  it('has no WebSocket or remote source in its policy, in the source page or the built one', async () => {
    expect(connectSources(DESKTOP_CONTENT_SECURITY_POLICY)).toEqual(["'self'"]);
    for (const file of ['renderer/index.html', 'dist/renderer/index.html']) {
      const meta = metaPolicy(await fs.readFile(path.join(ROOT, file), 'utf8'));
      expect([file, connectSources(meta)]).toEqual([file, ["'self'"]]);
      expect(meta).not.toMatch(/ws:|wss:|\*/);
    }
  });

  it('blocks every WebSocket in real Chromium, even to the loopback', async () => {
    // A page under the desktop policy, served by a plain local server (Electron's app:// is Chromium too).
    const server = http.createServer((_request, response) => {
      response.writeHead(200, {
        'Content-Type': 'text/html',
        'Content-Security-Policy': DESKTOP_CONTENT_SECURITY_POLICY,
      });
      response.end('<!doctype html><title>desktop</title>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      expect(await trySocket(page, `ws://127.0.0.1:${host.port}/api`)).toBe('blocked');
      expect(await trySocket(page, `ws://127.0.0.1:${(other.address() as AddressInfo).port}/`)).toBe('blocked');
      await page.close();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('the browser face', () => {
  it('sends and writes into the page only its own ws:// address, under the name the page was loaded by', async () => {
    for (const name of ['127.0.0.1', 'localhost']) {
      const response = await fetch(`http://${name}:${host.port}/`);
      const expected = ["'self'", `ws://${name}:${host.port}`];
      expect(connectSources(response.headers.get('content-security-policy')!)).toEqual(expected);
      expect(connectSources(metaPolicy(await response.text()))).toEqual(expected);
    }
    expect(contentSecurityPolicy('ws://127.0.0.1:1', { meta: true })).not.toContain('frame-ancestors');
  });

  it('lets the signed-in page reach its host and nothing else, in real Chromium', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(host.url);
    expect(await trySocket(page, `ws://127.0.0.1:${host.port}/api`)).toBe('open');
    expect(await trySocket(page, `ws://127.0.0.1:${(other.address() as AddressInfo).port}/`)).toBe('blocked');
    expect(await trySocket(page, `ws://localhost:${host.port}/api`)).toBe('blocked');
    expect(violations.join('\n')).toContain('connect-src');
    await page.close();
  });
});

// Finding 1 of issue 10, as it was reproduced: another user on the machine (here the real user `nobody`) reads
// the address `relay-tester ui` hands to the browser from /proc/PID/cmdline and tries to reach the service with
// it. The CLI runs for real with a stand-in xdg-open that keeps the address in its arguments, as a browser does;
// the legitimate page is real Chromium.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { type Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, temporaryFolder, type RunningProcess } from '../support/cli.js';

const run = promisify(execFile);
const CANARY = 'Canary-Password-7f3a';

// What the attacker runs as `nobody`: find every Relay Tester address in any process's arguments, then try the
// code on the sign-in address and on the WebSocket (with a forged Origin, as a non-browser client can).
const ATTACKER = String.raw`
const fs = require('fs'), http = require('http');
const found = new Set();
for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
  try {
    const match = /http:\/\/127\.0\.0\.1:(\d+)\/\?code=([\w-]+)/.exec(fs.readFileSync('/proc/' + pid + '/cmdline', 'latin1'));
    if (match) found.add(match[0]);
  } catch {}
}
function request(port, path, headers) {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path, headers });
    req.on('response', (res) => { res.resume(); resolve({ status: res.statusCode, cookie: res.headers['set-cookie'] || null }); });
    req.on('upgrade', (res, socket) => { socket.destroy(); resolve({ status: res.statusCode }); });
    req.on('error', (error) => resolve({ error: error.message }));
    req.end();
  });
}
(async () => {
  const attempts = [];
  for (const address of found) {
    const url = new URL(address);
    const port = url.port, code = url.searchParams.get('code');
    const upgrade = { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', Origin: 'http://127.0.0.1:' + port };
    const signIn = await request(port, '/?code=' + code, {});
    const cookie = signIn.cookie ? signIn.cookie[0].split(';')[0] : 'relay-tester-' + port + '=' + code;
    attempts.push({ what: 'sign in with the code', ...signIn });
    attempts.push({ what: 'WebSocket with the code as token', ...(await request(port, '/api?token=' + code, upgrade)) });
    attempts.push({ what: 'WebSocket with the code', ...(await request(port, '/api?code=' + code, upgrade)) });
    attempts.push({ what: 'WebSocket with a cookie', ...(await request(port, '/api', { ...upgrade, Cookie: cookie })) });
  }
  process.stdout.write(JSON.stringify({ uid: process.getuid(), found: [...found], attempts }));
})();
`;

interface Attack {
  uid: number;
  found: string[];
  attempts: { what: string; status?: number; cookie?: string[] | null; error?: string }[];
}

async function attackAsNobody(): Promise<Attack> {
  const { stdout } = await run('runuser', ['-u', 'nobody', '--', process.execPath, '-e', ATTACKER], { cwd: '/' });
  return JSON.parse(stdout) as Attack;
}

let folder: string;
let cli: RunningProcess | undefined;
let browser: Browser | undefined;
let opener: number | undefined;

/** The stand-in browser launcher: records its argument, environment and pid, and stays alive like a browser. */
async function fakeOpener(bin: string, record: string): Promise<void> {
  const script = `#!/bin/sh\nprintf '%s' "$1" > ${record}/url.tmp && mv ${record}/url.tmp ${record}/url\nenv > ${record}/env\necho $$ > ${record}/pid\nsleep 300\n`;
  await fs.writeFile(path.join(bin, 'xdg-open'), script, { mode: 0o755 });
}

async function waitForFile(file: string): Promise<string> {
  for (let waited = 0; waited < 20_000; waited += 50) {
    try {
      return await fs.readFile(file, 'utf8');
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`${file} did not appear; relay-tester ui said:\n${cli?.output()}`);
}

beforeAll(async () => {
  folder = await temporaryFolder();
  const bin = path.join(folder, 'bin');
  const record = path.join(folder, 'record');
  const workspace = path.join(folder, 'workspace');
  await Promise.all([fs.mkdir(bin), fs.mkdir(record), fs.mkdir(workspace)]);
  await fakeOpener(bin, record);
  cli = startCli(['ui', '--no-lab', '--port', '0', '--dir', workspace], {
    env: { PATH: `${bin}:${process.env.PATH}`, RELAY_TESTER_PASSWORD_ALICE: CANARY },
  });
  await waitForFile(path.join(record, 'url'));
  opener = Number(await waitForFile(path.join(record, 'pid')));
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (opener) {
    try {
      process.kill(-opener, 'SIGTERM'); // the stand-in launcher's group: its shell and its sleep
    } catch {
      // already gone
    }
  }
  await cli?.stop();
  await fs.rm(folder, { recursive: true, force: true });
});

describe('another user on the machine who reads the browser arguments', () => {
  it('finds only a one-time code there, and no password in the launcher environment', async () => {
    const url = await fs.readFile(path.join(folder, 'record', 'url'), 'utf8');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?code=[\w-]+$/);
    expect(cli!.output()).toContain(url); // the same address is printed for the user
    const environment = await fs.readFile(path.join(folder, 'record', 'env'), 'utf8');
    expect(environment).toContain('PATH=');
    expect(environment).not.toContain('RELAY_TESTER_PASSWORD');
    expect(environment).not.toContain(CANARY);
  });

  it('is refused even before the browser has spent the code: the connection belongs to another user', async () => {
    const attack = await attackAsNobody();
    expect(attack.uid).toBe(65534);
    const url = await fs.readFile(path.join(folder, 'record', 'url'), 'utf8');
    expect(attack.found).toContain(url);
    const mine = attack.attempts.slice(attack.found.indexOf(url) * 4, attack.found.indexOf(url) * 4 + 4);
    expect(mine.map((attempt) => [attempt.what, attempt.status])).toEqual([
      ['sign in with the code', 403],
      ['WebSocket with the code as token', 403],
      ['WebSocket with the code', 403],
      ['WebSocket with a cookie', 403],
    ]);
    expect(mine[0]!.cookie).toBeNull();
    expect(cli!.output()).toContain('refused the sign-in address from a process of another user');
  }, 30_000);

  it('cannot use the code after the legitimate page spent it, while that page keeps working', async () => {
    const url = await fs.readFile(path.join(folder, 'record', 'url'), 'utf8');
    const page = await browser!.newPage();
    await page.goto(url);
    expect(new URL(page.url()).search).toBe(''); // the code left the address bar
    expect(await page.evaluate(() => document.cookie)).toBe(''); // HttpOnly: no script reads the session
    const call = () =>
      page.evaluate(
        () =>
          new Promise<string>((resolve) => {
            const socket = new WebSocket(`ws://${location.host}/api`);
            socket.onopen = () =>
              socket.send(JSON.stringify({ kind: 'request', id: 1, command: 'getAppInfo', payload: {} }));
            socket.onmessage = (event) => {
              resolve(JSON.parse(String(event.data)).result?.face);
              socket.close();
            };
            socket.onclose = () => resolve('closed');
          }),
      );
    expect(await call()).toBe('browser');

    const attack = await attackAsNobody();
    const index = attack.found.indexOf(url);
    expect(index).toBeGreaterThanOrEqual(0);
    expect(attack.attempts.slice(index * 4, index * 4 + 4).map((attempt) => attempt.status)).toEqual([
      403, 403, 403, 403,
    ]);

    // The browser that spent it may open the address again; another browser, even this user's, is refused.
    expect((await page.goto(url))?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/');
    const second = await (await browser!.newContext()).newPage();
    const response = await second.goto(url);
    expect(response?.status()).toBe(403);
    expect(await second.textContent('h1')).toBe('This address has already been used');
    expect(await call()).toBe('browser');
    await page.close();
  }, 60_000);
});

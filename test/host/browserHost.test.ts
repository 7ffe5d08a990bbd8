// The browser host: the same service over a WebSocket on 127.0.0.1, behind a session cookie (got once for the
// one-time code of the launch address), Host and Origin checks. Driven here by a real WebSocket client against the real Postfix test bed.
import { promises as fs } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MemoryPasswordStore } from '../../main/api/passwordStore.js';
import { createService, type Service } from '../../main/api/service.js';
import { startHost, type Host } from '../../main/host/hostServer.js';
import type { Envelope } from '../../shared/ipc.js';
import type { RunProgress } from '../../shared/run.js';
import { secretForms } from '../../shared/redact.js';
import { temporaryFolder } from '../support/cli.js';
import { assertTestbedRunning, DEFAULT_SERVER, PASSWORDS, RELAY_SERVER, TESTBED_PLAN } from '../support/testbed.js';

let host: Host;
let service: Service;
let workspace: string;
let rendererRoot: string;
let session: string;

beforeAll(async () => {
  assertTestbedRunning();
  workspace = await temporaryFolder();
  rendererRoot = await temporaryFolder();
  await fs.writeFile(path.join(rendererRoot, 'index.html'), '<!doctype html><title>Relay Tester</title>');
  host = await startHost({ port: 0, rendererRoot });
  service = createService({
    face: 'browser',
    workspace,
    passwords: new MemoryPasswordStore(),
    emit: (event, payload) => host.broadcast(event, payload),
  });
  host.attach(service.handlers);
  expect((await fetch(host.url, { method: 'HEAD', redirect: 'manual' })).headers.get('set-cookie')).toBeNull(); // does not spend it
  const signIn = await fetch(host.url, { redirect: 'manual' });
  expect(signIn.status).toBe(303);
  session = signIn.headers.get('set-cookie')!.split(';')[0]!;
});

afterAll(async () => {
  await service.close();
  await host.close();
});

class Client {
  private nextId = 1;
  readonly raw: string[] = [];
  readonly events: Extract<Envelope, { kind: 'event' }>[] = [];
  private waiters = new Map<number, (envelope: Envelope) => void>();
  private eventWaiters: (() => void)[] = [];
  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const text = (data as Buffer).toString('utf8'); // ws: one Buffer per frame (binaryType 'nodebuffer')
      this.raw.push(text);
      const envelope = JSON.parse(text) as Envelope;
      if (envelope.kind === 'response') this.waiters.get(envelope.id)?.(envelope);
      if (envelope.kind === 'event') {
        this.events.push(envelope);
        for (const waiter of this.eventWaiters.splice(0)) waiter();
      }
    });
  }
  static open(url: string, origin: string, cookie = session): Promise<Client> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { origin, headers: cookie ? { cookie } : {} });
      socket.once('open', () => resolve(new Client(socket)));
      socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
      socket.once('error', reject);
    });
  }
  call(command: string, payload: unknown): Promise<Envelope> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiters.set(id, resolve);
      this.socket.send(JSON.stringify({ kind: 'request', id, command, payload }));
    });
  }
  async result(command: string, payload: unknown): Promise<any> {
    const envelope = await this.call(command, payload);
    if (envelope.kind !== 'response' || !envelope.ok) throw new Error(JSON.stringify(envelope));
    return envelope.result;
  }
  async until(predicate: (progress: RunProgress) => boolean): Promise<void> {
    const seen = () =>
      this.events.some((event) => event.event === 'runProgress' && (event.payload as RunProgress[]).some(predicate));
    while (!seen()) await new Promise<void>((resolve) => this.eventWaiters.push(resolve));
  }
}

const apiUrl = () => `ws://127.0.0.1:${host.port}/api`;
const origin = () => `http://127.0.0.1:${host.port}`;

describe('who may connect', () => {
  it('turns the one-time code into an HttpOnly, SameSite=Strict session cookie once, then refuses the code', async () => {
    const again = await fetch(host.url, { redirect: 'manual' });
    expect(again.status).toBe(403);
    expect(again.headers.get('set-cookie')).toBeNull();
    expect(await again.text()).toContain('already been used');
    expect(session).toMatch(new RegExp(`^relay-tester-${host.port}=[\\w-]{40,}$`));
  });

  it('refuses a WebSocket without the session cookie, with a wrong one, with the code, or from another origin', async () => {
    const code = new URL(host.url).searchParams.get('code')!;
    const name = session.split('=')[0];
    await expect(Client.open(apiUrl(), origin(), '')).rejects.toThrow('HTTP 403');
    await expect(Client.open(apiUrl(), origin(), `${name}=guess`)).rejects.toThrow('HTTP 403');
    await expect(Client.open(`${apiUrl()}?code=${code}`, origin(), '')).rejects.toThrow('HTTP 403');
    await expect(Client.open(`${apiUrl()}?token=${code}`, origin(), `${name}=${code}`)).rejects.toThrow('HTTP 403');
    await expect(Client.open(apiUrl(), 'https://evil.example')).rejects.toThrow('HTTP 403');
    await expect(Client.open(apiUrl(), `http://localhost:${host.port}`)).rejects.toThrow('HTTP 403'); // Origin must match Host
    const client = await Client.open(apiUrl(), origin());
    client.socket.close();
  });

  it('serves the page with the content security policy, and nothing outside the renderer folder', async () => {
    const page = await fetch(`http://127.0.0.1:${host.port}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const traversal = await fetch(`http://127.0.0.1:${host.port}/..%2f..%2fetc%2fpasswd`);
    expect(traversal.status).toBe(404);
  });

  it('answers a request with a foreign Host header (DNS rebinding) with 421', async () => {
    const response = await new Promise<number>((resolve, reject) => {
      http
        .get(
          { host: '127.0.0.1', port: host.port, path: '/', headers: { host: `attacker.example:${host.port}` } },
          (res) => resolve(res.statusCode ?? 0),
        )
        .once('error', reject);
    });
    expect(response).toBe(421);
  });
});

describe('the service over the WebSocket', () => {
  it('refuses invalid requests with the field named, and files outside the workspace', async () => {
    const client = await Client.open(apiUrl(), origin());
    expect(await client.call('loadRun', { file: 42 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', message: expect.stringMatching(/^loadRun: file:/) },
    });
    expect(await client.call('dropTables', {})).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await client.call('openPlan', { path: '/etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await client.call('openPlan', { path: path.join(workspace, '..', 'x.json') })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    client.socket.close();
  });

  it('saves only valid plans, atomically, inside the workspace', async () => {
    const client = await Client.open(apiUrl(), origin());
    const plan = JSON.parse(await fs.readFile(TESTBED_PLAN, 'utf8'));
    const file = path.join(workspace, 'bed.json');
    expect(await client.result('savePlan', { path: file, plan: { ...plan, sender: 'nobody' } })).toMatchObject({
      saved: false,
      problems: [{ path: '$.sender' }],
    });
    expect(await client.result('savePlan', { path: file, plan })).toEqual({ saved: true, path: file });
    expect((await client.result('listPlans', {})).map((entry: { name: string }) => entry.name)).toEqual([
      'Postfix test bed',
    ]);
    expect((await client.result('openPlan', { path: file })).plan).toEqual(plan);
    client.socket.close();
  });

  it('runs a plan with live, batched progress and saves the run; no password crosses the socket', async () => {
    const client = await Client.open(apiUrl(), origin());
    for (const [account, password] of PASSWORDS) {
      const servers = [`${DEFAULT_SERVER.host}:${DEFAULT_SERVER.port}`, `${RELAY_SERVER.host}:${RELAY_SERVER.port}`];
      expect(await client.result('setPassword', { account, password, servers })).toMatchObject({ kind: 'memory' });
    }
    expect((await client.result('passwordStatus', { accounts: ['alice', 'zoe'] })).known).toEqual(['alice']);
    const file = path.join(workspace, 'bed.json');
    const { plan } = await client.result('openPlan', { path: file });
    const inspected = await client.result('inspectPlan', { plan });
    expect(inspected.matrix.cases.length).toBeGreaterThan(20);
    const { runId } = await client.result('startRun', { plan, planPath: file });
    await client.until((progress) => progress.type === 'run-finished' && progress.runId === runId);
    const progress = client.events.flatMap((event) =>
      event.event === 'runProgress' ? (event.payload as RunProgress[]) : [],
    );
    expect(progress.filter((item) => item.type === 'case-event').length).toBeGreaterThan(100);
    expect(client.events.length).toBeLessThan(progress.length); // batched
    const finished = progress.find((item) => item.type === 'run-finished');
    expect(finished?.type === 'run-finished' && finished.run.summary.fail).toBe(0);
    const runs = await client.result('listRuns', { planPath: file });
    expect(runs).toHaveLength(1);
    // What the run says about the servers is the user's alone (issue 10, finding 8).
    expect((await fs.stat(runs[0].file)).mode & 0o777).toBe(0o600);
    expect((await fs.stat(path.dirname(runs[0].file))).mode & 0o777).toBe(0o700);
    expect(runs[0].headline).toMatch(/^(\d+) of \1 cases decided: no open relay found$/);
    const run = await client.result('loadRun', { file: runs[0].file });
    expect(run.id).toBe(runId);
    const html = await client.result('exportReport', { runFile: runs[0].file, format: 'html' });
    expect(html.path).toMatch(new RegExp(`^${workspace}/reports/Postfix-test-bed-.*\\.html$`));
    expect(await fs.readFile(html.path, 'utf8')).toContain(`id="verdict">${runs[0].headline}</p>`);
    const pdf = await client.result('exportReport', {
      runFile: runs[0].file,
      format: 'pdf',
      path: path.join(workspace, 'evidence.pdf'),
    });
    expect((await fs.readFile(pdf.path)).subarray(0, 5).toString()).toBe('%PDF-');
    expect(
      await client.call('exportReport', { runFile: runs[0].file, format: 'html', path: '/tmp/outside.html' }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(
      await client.call('exportReport', { runFile: runs[0].file, format: 'html', path: path.join(workspace, 'x.sh') }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const everything = client.raw.join('\n');
    for (const [account, password] of PASSWORDS)
      for (const form of secretForms(account, password)) expect(everything).not.toContain(form);
    client.socket.close();
  });
});

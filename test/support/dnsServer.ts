// A real DNS server for the tests: dnsmasq (Debian's dnsmasq-base, test/setup/packages.sh "dns") on a loopback port,
// answering only from the records it is given, forwarding nothing.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface DnsServer {
  /** "127.0.0.1:PORT", as RELAY_TESTER_DNS_SERVER and dns.Resolver#setServers take it. */
  address: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts dnsmasq with `records` (dnsmasq configuration lines such as host-record=… and ptr-record=…). */
export async function startDnsServer(records: string[]): Promise<DnsServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rt-dns-'));
  const config = path.join(dir, 'records.conf');
  // Everything under these zones is answered from the records alone (NXDOMAIN otherwise), never forwarded.
  const zones = ['local=/test/', 'local=/in-addr.arpa/', 'local=/ip6.arpa/'];
  writeFileSync(config, [...zones, ...records, ''].join('\n'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    '/usr/sbin/dnsmasq',
    [
      '--keep-in-foreground',
      '--no-resolv',
      '--no-hosts',
      '--no-poll',
      '--bind-interfaces',
      '--listen-address=127.0.0.1',
      `--port=${port}`,
      `--conf-file=${config}`,
      '--pid-file=',
      '--user=root',
      '--log-facility=-',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  // Ready when it answers on its port (UDP: ask until a reply comes).
  const { promises: dns } = await import('node:dns');
  for (let attempt = 0; ; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`dnsmasq exited: ${errors}`);
    try {
      // A fresh resolver per attempt: a refused first query must not stick.
      const resolver = new dns.Resolver({ timeout: 300, tries: 1 });
      resolver.setServers([`127.0.0.1:${port}`]);
      await resolver.resolve4('ready.probe.test');
      break;
    } catch (error) {
      const code = (error as { code?: string }).code ?? String(error);
      if (code === 'ENOTFOUND') break;
      // A refused query comes back at once, so without a pause 50 tries pass before a loaded machine starts it.
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (attempt > 100) {
        child.kill('SIGTERM');
        throw new Error(`dnsmasq did not answer (${code}): ${errors}`, { cause: error });
      }
    }
  }
  return {
    address: `127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}

// `relay-tester vantage test PLAN`: before a run, connect to each vantage point and say whether it is reachable,
// which host key it showed (the "fetch and confirm" step: the fingerprint to check out of band), and the address
// the plan's first server sees it come from, where that server names it.
import path from 'node:path';
import { describeVantage, proveSource, type VantagePoint } from '../../shared/vantage.js';
import { makeVisible } from '../../shared/text.js';
import { runSession } from '../smtp/session.js';
import { buildSessionSpec } from '../smtp/sessionSpec.js';
import { SshTunnel } from '../vantage/sshTunnel.js';
import { vantageSecretsOf } from '../secrets.js';
import { VantagePool } from '../vantage/vantagePool.js';
import { collectPasswords, INVALID_PLAN_EXIT, loadPlanOrReport } from './runCommand.js';
import { joined, print, terminal } from './output.js';
import { VANTAGE_USAGE } from './usage.js';
import { UsageError } from './usageError.js';
import { errorMessage } from '../../shared/errorMessage.js';

export async function vantageCommand(args: string[]): Promise<number> {
  const [action, file, ...rest] = args;
  if (action !== 'test' || !file) throw new UsageError(`usage: ${VANTAGE_USAGE}`);
  let secretsFile: string | undefined;
  if (rest[0] === '--secrets' && rest[1] && rest.length === 2) secretsFile = rest[1];
  else if (rest.length > 0) throw new UsageError(`usage: ${VANTAGE_USAGE}`);
  const plan = await loadPlanOrReport(file);
  if (!plan) return INVALID_PLAN_EXIT;
  const points = plan.vantagePoints ?? [];
  if (points.length === 0) {
    print(terminal`${plan.name} has no vantage points: every source runs from this machine.\n`);
    return 0;
  }
  const planDir = path.dirname(path.resolve(file));
  const pool = await VantagePool.open(
    points,
    planDir,
    vantageSecretsOf(await collectPasswords(plan, secretsFile, planDir)),
  );
  const server = plan.servers[0]!;
  let healthy = true;
  try {
    for (const point of points) {
      const lines = await checkVantage(point, pool, server);
      healthy &&= lines.ok;
      print(
        terminal`${point.name} (${describeVantage(point)})\n${joined(lines.text.map((line) => terminal`  ${line}\n`))}`,
      );
    }
  } finally {
    pool.close();
  }
  return healthy ? 0 : 2;
}

async function checkVantage(
  point: VantagePoint,
  pool: VantagePool,
  server: { name: string; host: string; port: number },
) {
  const entry = pool.get(point.name)!;
  if ('error' in entry) return { ok: false, text: [`NOT USABLE: ${makeVisible(entry.error)}`] };
  const text: string[] = [];
  if (entry.tunnel instanceof SshTunnel) {
    try {
      const key = await entry.tunnel.connect();
      text.push(`reachable; host key ${key} (trusted by the plan)`);
    } catch (error) {
      const seen = entry.tunnel.hostKey;
      text.push(`NOT USABLE: ${makeVisible(errorMessage(error))}`);
      if (seen)
        text.push(
          `host key shown: ${seen} — confirm it with the machine's owner (ssh-keygen -lf on it) before trusting it`,
        );
      return { ok: false, text };
    }
  }
  const session = await runSession(
    buildSessionSpec({
      host: server.host,
      port: server.port,
      via: entry.tunnel,
      tls: 'none',
      helo: 'relay-tester.invalid',
      timeoutMs: 10_000,
    }),
  );
  if (session.failure) {
    text.push(
      `cannot reach ${makeVisible(server.name)} (${server.host}:${server.port}): ${makeVisible(session.failure.message)}`,
    );
    return { ok: false, text };
  }
  const ehlo = session.exchanges.find((exchange) => exchange.stage === 'ehlo' && exchange.reply.code === 250);
  const named = ehlo ? makeVisible(ehlo.reply.lines[0] ?? '') : undefined;
  let ok = true;
  for (const source of point.serves) {
    const proof = proveSource(source, named);
    if (proof.proven === true) text.push(`serves ${source}: ${makeVisible(server.name)} sees it as ${proof.address}`);
    else if (proof.proven === false) {
      ok = false;
      text.push(`serves ${source}: WRONG NETWORK: ${proof.reason}`);
    } else text.push(`serves ${source}: reaches ${makeVisible(server.name)}; ${proof.reason}`);
  }
  return { ok, text };
}

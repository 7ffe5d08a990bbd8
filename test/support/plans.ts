// Small plans for tests that bring their own servers: the lab's domains and sender, no accounts, and only what the
// test is about (name, sources, servers, settings, vantage points).
import { promises as fs } from 'node:fs';
import { checkPlan, type Plan } from '../../shared/plan.js';

/** A plan's own fields; anything else of the plan format may be added (checkPlan judges it). */
export interface SmallPlanFields {
  name: string;
  sources: string[];
  servers: Record<string, unknown>[];
  [field: string]: unknown;
}

export type SmallPlan = SmallPlanFields & { relayTesterPlan: 1 };

export function smallPlan(fields: SmallPlanFields): SmallPlan {
  return {
    relayTesterPlan: 1,
    domains: { local: ['corp.test'], external: 'external.example' },
    sender: 'helpdesk@corp.test',
    accounts: [],
    ...fields,
  };
}

/** A small plan as the engine runs it; throws with the problems if the fields are not a valid plan. */
export function checkedPlan(fields: SmallPlanFields): Plan {
  const check = checkPlan(smallPlan(fields));
  if (!check.ok) throw new Error(JSON.stringify(check.problems));
  return check.plan;
}

/**
 * The plan the hostile-server tests run (CLI, app and transcript pane): one server on loopback greeting as
 * hostile.test, one source. Each test says how its server is reached (port, TLS, HELO).
 */
export function hostilePlan(server: { port: number; [field: string]: unknown }): SmallPlan {
  return smallPlan({
    name: 'Hostile server',
    sources: ['127.0.0.1'],
    servers: [{ name: 'Hostile', host: '127.0.0.1', banner: 'hostile.test', ...server }],
  });
}

/** Writes the hostile plan to `file` and returns the file's path. */
export async function writeHostilePlan(
  file: string,
  server: { port: number; [field: string]: unknown },
): Promise<string> {
  await fs.writeFile(file, JSON.stringify(hostilePlan(server)));
  return file;
}

/**
 * A plan of `servers × sources × 2` source cases (5,000 by default: 10 servers, 250 sources), for the large-plan
 * tests and the UI benchmark. Every server relays for the first fifth of the sources and refuses the last tenth at
 * connect, so the grid has authorised, unauthorised and refused rows. Servers point at loopback port `port`.
 */
export function largePlan({ servers = 10, sources = 250, port = 2525 } = {}): SmallPlan {
  const addresses = Array.from({ length: sources }, (_, index) => `10.${1 + Math.floor(index / 250)}.${index % 250}.9`);
  const relayed = addresses.slice(0, Math.floor(sources / 5));
  const refused = addresses.slice(sources - Math.floor(sources / 10));
  return smallPlan({
    name: `Large plan ${servers * sources * 2} cases`,
    sources: addresses,
    servers: Array.from({ length: servers }, (_, index) => ({
      name: `Server ${String(index + 1).padStart(2, '0')}`,
      host: '127.0.0.1',
      port,
      relay: { users: [], hosts: relayed },
      connect: { deny: refused },
    })),
  });
}

// The plan the hostile-server tests run (CLI, app and transcript pane): one server on loopback, one source, the
// lab's domains, no accounts. Each test says how its server is reached (port, TLS, HELO).
import { promises as fs } from 'node:fs';
import type { PlanInput } from '../../shared/plan.js';

type ServerInput = PlanInput['servers'][number];

export function hostilePlan(server: Partial<ServerInput> & { port: number }): PlanInput & { servers: ServerInput[] } {
  return {
    relayTesterPlan: 1,
    name: 'Hostile server',
    domains: { local: ['corp.test'], external: 'external.example' },
    sender: 'helpdesk@corp.test',
    accounts: [],
    sources: ['127.0.0.1'],
    servers: [{ name: 'Hostile', host: '127.0.0.1', banner: 'hostile.test', ...server }],
  };
}

/** Writes the hostile plan to `file` and returns the file's path. */
export async function writeHostilePlan(file: string, server: Partial<ServerInput> & { port: number }): Promise<string> {
  await fs.writeFile(file, JSON.stringify(hostilePlan(server)));
  return file;
}

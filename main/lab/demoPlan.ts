// The bundled demo plan (plans/demo.json) and how it is pointed at a running lab: each plan server is matched to
// the lab's virtual server of the same name, takes its real address and port (ports may be ephemeral), and pins the
// lab's freshly generated certificate instead of accepting any certificate.
import path from 'node:path';
import type { Plan } from '../../shared/plan.js';
import { readPlanFile } from '../store/planFile.js';
import { projectRoot } from '../version.js';
import type { LabConfig } from './labConfig.js';
import type { RunningLab } from './labServer.js';

export function demoPlanFile(): string {
  return path.join(projectRoot(), 'plans', 'demo.json');
}

export async function loadDemoPlan(file = demoPlanFile()): Promise<Plan> {
  const check = await readPlanFile(file);
  if (!check.ok) {
    const problems = check.problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ');
    throw new Error(`the demo plan ${file} is invalid: ${problems}`);
  }
  return check.plan;
}

/** The plan re-pointed at the lab's real addresses, with the lab's certificate pinned. */
export function pointPlanAtLab(plan: Plan, lab: Pick<RunningLab, 'servers' | 'certificate'>): Plan {
  return {
    ...plan,
    servers: plan.servers.map((server) => {
      const running = lab.servers.find((candidate) => candidate.name === server.name);
      if (!running) {
        throw new Error(
          `the plan's server "${server.name}" is not a virtual server of the lab (${lab.servers.map((s) => s.name).join(', ')})`,
        );
      }
      const { allowInvalidCertificate: _dropped, ...rest } = server;
      return { ...rest, host: running.host, port: running.port, certificateSha256: lab.certificate.sha256 };
    }),
  };
}

/** The lab accounts' passwords, as the runner takes them; they are lab-only and never in the plan file. */
export function labPasswords(config: Pick<LabConfig, 'accounts'>): Map<string, string> {
  return new Map(config.accounts.map((account) => [account.name, account.password]));
}

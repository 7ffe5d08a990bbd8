// The lab as the app uses it: started on free ports with the demo plan pointed at it, so the first start of the
// desktop app or the browser host shows a working plan against servers that exist.
import type { LabLink } from '../api/service.js';
import { labPasswords, loadDemoPlan, pointPlanAtLab } from './demoPlan.js';
import { chooseLayout } from './labLayout.js';
import { startLab } from './labServer.js';
import { labPreset, type PresetName } from './presets.js';

export interface AppLab {
  link: LabLink;
  stop(): Promise<void>;
}

export async function startAppLab(preset: PresetName = 'secure'): Promise<AppLab> {
  const { layout } = await chooseLayout(0);
  const lab = await startLab(labPreset(preset, layout));
  try {
    const demoPlan = pointPlanAtLab(await loadDemoPlan(), lab);
    return {
      link: {
        info: {
          preset,
          servers: lab.servers.map((server) => ({ name: server.name, host: server.host, port: server.port })),
        },
        demoPlan,
        passwords: labPasswords(lab.config),
      },
      stop: () => lab.stop(),
    };
  } catch (error) {
    await lab.stop();
    throw error;
  }
}

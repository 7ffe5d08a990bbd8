// `relay-tester ui`: the app in a browser, for machines without Electron or without a desktop. Same service as
// the desktop app; only the transport differs.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MemoryPasswordStore } from '../api/passwordStore.js';
import { createService } from '../api/service.js';
import { startHost } from '../host/hostServer.js';
import { startAppLab, type AppLab } from '../lab/labLink.js';
import { isPresetName, PRESET_NAMES } from '../lab/presets.js';
import { projectRoot } from '../version.js';
import { openBrowser } from './openBrowser.js';
import { UsageError } from './usageError.js';

export async function uiCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '0' },
      'no-open': { type: 'boolean', default: false },
      dir: { type: 'string', default: process.cwd() },
      preset: { type: 'string', default: 'secure' },
      'no-lab': { type: 'boolean', default: false },
    },
  });
  if (!isPresetName(values.preset))
    throw new UsageError(`unknown preset "${values.preset}"; choose one of: ${PRESET_NAMES.join(', ')}`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be from 0 to 65535');
  // The built-in lab runs beside the app so the demo plan works out of the box.
  const lab: AppLab | undefined = values['no-lab'] ? undefined : await startAppLab(values.preset);
  const host = await startHost({ port, rendererRoot: path.join(projectRoot(), 'dist', 'renderer') });
  const service = createService({
    lab: lab?.link,
    face: 'browser',
    workspace: path.resolve(values.dir),
    passwords: new MemoryPasswordStore(),
    emit: (event, payload) => host.broadcast(event, payload),
  });
  host.attach(service.handlers);
  if (lab) {
    const servers = lab.link.info.servers.map((server) => `${server.name} on ${server.host}:${server.port}`).join(', ');
    process.stdout.write(`Lab (${lab.link.info.preset}): ${servers}\n`);
  }
  // The code in the address works once: the first browser to open it is signed in, any later one is refused.
  process.stdout.write(
    `Relay Tester is running at ${host.url}\nThe address works once, in one browser. Press Ctrl+C to stop.\n`,
  );
  if (!values['no-open']) openBrowser(host.url);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await service.close();
  await host.close();
  await lab?.stop();
  return 0;
}

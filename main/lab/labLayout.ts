// Where the lab's virtual servers can listen on this machine. Linux binds all of 127.0.0.0/8; macOS only 127.0.0.1
// unless aliases are added, so there every virtual server shares 127.0.0.1 on its own port, and the plan's cases
// from other source addresses are reported not runnable by the runner (main/sources.ts), with this fix.
import { canBind } from '../sources.js';
import type { LabLayout } from './presets.js';

/** The loopback addresses the lab and its demo plan use besides 127.0.0.1. */
export const LAB_ALIASES = ['127.0.0.2', '127.0.0.5', '127.0.0.10', '127.0.1.1', '127.0.2.5', '127.0.9.1'] as const;

export interface LayoutChoice {
  layout: LabLayout;
  /** What a person should know about the layout (empty when every alias is bindable). */
  notes: string[];
}

export function aliasAdvice(platform: NodeJS.Platform = process.platform): string {
  const command =
    platform === 'darwin'
      ? LAB_ALIASES.map((address) => `sudo ifconfig lo0 alias ${address} up`).join('; ')
      : LAB_ALIASES.map((address) => `sudo ip address add ${address}/8 dev lo`).join('; ');
  return `to test from every source address, add the loopback aliases (${command}) and start the lab again`;
}

/** Proves by binding whether 127.0.0.2 is available, and lays the lab out accordingly. */
export async function chooseLayout(
  portBase: number,
  bindable: (address: string) => Promise<boolean> = canBind,
): Promise<LayoutChoice> {
  if (await bindable('127.0.0.2')) return { layout: { portBase, aliases: true }, notes: [] };
  return {
    layout: { portBase, aliases: false },
    notes: [
      `127.0.0.2 cannot be bound on this machine (macOS has only 127.0.0.1 by default): every virtual server listens on 127.0.0.1, each on its own port`,
      `cases from source addresses other than 127.0.0.1 are reported as not runnable; ${aliasAdvice()}`,
    ],
  };
}

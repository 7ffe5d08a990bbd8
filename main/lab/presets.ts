// The lab's presets: the article's end state (`secure`) and the misconfigurations a reviewer should see caught.
// `secure` matches plans/demo.json and test/postfix/plan.json in policy; each other preset changes one setting.
import type { LabAccount, LabConfig, VirtualServerConfig } from './labConfig.js';

export const PRESET_NAMES = [
  'secure',
  'open-relay',
  'any-authenticated',
  'no-connection-filter',
  'wide-subnet',
  'trick-relay',
  'trick-local',
] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export const PRESET_DESCRIPTIONS: Record<PresetName, string> = {
  secure:
    "the article's end state: the default virtual server relays for nobody; the relay virtual server relays for SMTP-APPROVED members and listed hosts, and refuses 127.0.9.0/24 at connect",
  'open-relay':
    'the relay virtual server grants "All except the list below" with an empty list: it relays for everyone',
  'any-authenticated':
    'Exchange 2000\'s all-or-nothing authentication: "allow all computers which successfully authenticate" is checked, so mallory may relay too',
  'no-connection-filter':
    'the relay virtual server has no connection control: 127.0.9.0/24 is greeted like anyone else',
  'wide-subnet':
    'the relay list holds 127.0.0.0/16 instead of 127.0.1.0/24: 127.0.0.5 and 127.0.2.5 relay without authenticating',
  'trick-relay':
    'the relay virtual server forwards percent-hack, bang-path and quoted addresses of corp.test (x%external.example@corp.test) to where they point: a true trick relay',
  'trick-local':
    'the relay virtual server accepts percent-hack, bang-path and quoted addresses of corp.test as local mailboxes and never forwards them (as Exim and OpenSMTPD do)',
};

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

/** The lab's default ports: one above the Postfix test bed's 2525, so both can run at once. */
export const DEFAULT_PORT_BASE = 2526;

export const RELAY_GROUP = 'SMTP-APPROVED';

/** Lab-only accounts: alice and bob are in SMTP-APPROVED; mallory has a valid login but no Relay Permission. */
export const LAB_ACCOUNTS: readonly LabAccount[] = [
  { name: 'alice', password: 'alice-lab-password', groups: [RELAY_GROUP] },
  { name: 'bob', password: 'bob-lab-password', groups: [RELAY_GROUP] },
  { name: 'mallory', password: 'mallory-lab-password', groups: [] },
];

export interface LabLayout {
  /** Port of every virtual server (0: ephemeral, each server gets its own). */
  portBase: number;
  /**
   * Whether loopback aliases such as 127.0.0.2 can be bound. Without them (macOS by default) every virtual server
   * listens on 127.0.0.1, each on its own port.
   */
  aliases: boolean;
}

export const DEFAULT_LAYOUT: LabLayout = { portBase: DEFAULT_PORT_BASE, aliases: true };

function secureServers(layout: LabLayout): VirtualServerConfig[] {
  const relayPort = layout.aliases || layout.portBase === 0 ? layout.portBase : layout.portBase + 1;
  return [
    {
      // The article: change "All Unassigned" to the primary address, clear "allow all computers which successfully
      // authenticate" and remove Relay Permission from Authenticated Users.
      name: 'Default SMTP Virtual Server',
      address: '127.0.0.1',
      port: layout.portBase,
      logging: true,
      authentication: { methods: ['LOGIN', 'PLAIN', 'CRAM-MD5'], requireTls: false },
      connection: { grant: 'all-except-list', entries: [] },
      relay: { computers: { grant: 'only-list', entries: [] }, allowAllAuthenticated: false, relayPermission: [] },
    },
    {
      // The article's second virtual server on its own address, with SMTP-APPROVED and a masquerade domain.
      name: 'SMTP Relay Virtual Server',
      address: layout.aliases ? '127.0.0.2' : '127.0.0.1',
      port: relayPort,
      logging: true,
      masqueradeDomain: 'relay.corp.test',
      authentication: { methods: ['LOGIN', 'PLAIN', 'CRAM-MD5'], requireTls: false },
      connection: { grant: 'all-except-list', entries: ['127.0.9.0/24'] },
      relay: {
        computers: { grant: 'only-list', entries: ['127.0.0.10', '127.0.1.0/24'] },
        allowAllAuthenticated: false,
        relayPermission: [RELAY_GROUP],
      },
    },
  ];
}

const MISCONFIGURATIONS: Record<Exclude<PresetName, 'secure'>, (relay: VirtualServerConfig) => void> = {
  'open-relay': (relay) => {
    relay.relay.computers = { grant: 'all-except-list', entries: [] };
  },
  'any-authenticated': (relay) => {
    relay.relay.allowAllAuthenticated = true;
  },
  'no-connection-filter': (relay) => {
    relay.connection = { grant: 'all-except-list', entries: [] };
  },
  'wide-subnet': (relay) => {
    relay.relay.computers.entries = ['127.0.0.10', '127.0.0.0/16'];
  },
  'trick-relay': (relay) => {
    relay.addressTricks = 'forward';
  },
  'trick-local': (relay) => {
    relay.addressTricks = 'local';
  },
};

export function labPreset(name: PresetName, layout: LabLayout = DEFAULT_LAYOUT): LabConfig {
  const servers = secureServers(layout);
  if (name !== 'secure') MISCONFIGURATIONS[name](servers[1]!);
  return {
    preset: name,
    physicalServerName: 'mail.corp.test',
    localDomains: ['corp.test'],
    accounts: LAB_ACCOUNTS.map((account) => ({ ...account, groups: [...account.groups] })),
    servers,
  };
}

// The lab's configuration, shaped like the settings Exchange System Manager shows for an SMTP virtual server (the
// article's walk-through): General (IP address, port, logging), Access (Authentication, Connection, Relay) and
// Delivery > Advanced (masquerade domain). Plain data, so presets and tests can build it without sockets.

/**
 * How an Exchange list grants access: "Only the list below" (only listed computers) or "All except the list below"
 * (everyone but the listed computers). Entries are single IP addresses, groups of computers (CIDR subnets) or
 * domains (matched by reverse DNS, which the lab does not do on loopback: a domain entry never matches).
 */
export type ListGrant = 'only-list' | 'all-except-list';

export interface ComputerList {
  grant: ListGrant;
  /** IP addresses, subnets (CIDR) and domain names, as in the article's Table 1. */
  entries: string[];
}

/**
 * SASL mechanisms the lab can offer: smtp-server implements these four. XOAUTH2 (Microsoft 365's, not Exchange
 * 2003's) takes the lab's access tokens (labPolicy.ts). NTLM is not among them: smtp-server has no hook for a
 * mechanism of its own, so the lab cannot accept it (the Postfix test bed shows NTLM instead).
 */
export type LabAuthMethod = 'LOGIN' | 'PLAIN' | 'CRAM-MD5' | 'XOAUTH2';
export const LAB_AUTH_METHODS: readonly LabAuthMethod[] = ['LOGIN', 'PLAIN', 'CRAM-MD5', 'XOAUTH2'];

/** The built-in group every account that authenticates belongs to, as in Windows. */
export const AUTHENTICATED_USERS = 'Authenticated Users';

export interface LabAccount {
  name: string;
  /** A lab-only password, printed by `relay-tester lab`; never a real credential. */
  password: string;
  /** Security groups (e.g. SMTP-APPROVED); every account is also in Authenticated Users. */
  groups: string[];
}

/**
 * What a virtual server does with an address trick: a local-domain recipient whose local part names another
 * destination (`x%external.example@corp.test`, `external.example!x@corp.test`, `"x@external.example"@corp.test`).
 * `refuse`: 550 (the default); `local`: accepted as a local mailbox of that name and never forwarded (Exim and
 * OpenSMTPD, per issue 15); `forward`: accepted because the domain is local, then routed to the named destination,
 * so the relay check is bypassed (a true trick relay, as old sendmail configurations were).
 */
export type TrickHandling = 'refuse' | 'local' | 'forward';

export interface VirtualServerConfig {
  /** The name shown in Exchange System Manager, e.g. "SMTP Relay Virtual Server"; plans name servers the same way. */
  name: string;
  /** General tab: the IP address the virtual server answers on. */
  address: string;
  /** General tab > Advanced: the TCP port; 0 lets the system pick a free one (tests). */
  port: number;
  /** General tab: "Enable logging". */
  logging: boolean;
  /** Delivery tab > Advanced: the name the greeting gives; without it the greeting names the physical server. */
  masqueradeDomain?: string;
  /** Access tab > Authentication: basic authentication mechanisms offered, and whether TLS is required first. */
  authentication: { methods: LabAuthMethod[]; requireTls: boolean };
  /** Access tab > Connection: which computers may open a session at all. */
  connection: ComputerList;
  relay: {
    /** Access tab > Relay: "Select which computer may relay through this virtual server". */
    computers: ComputerList;
    /** "Allow all computers which successfully authenticate to relay, regardless of the list above". */
    allowAllAuthenticated: boolean;
    /**
     * Exchange 2003's Users button ("Permissions for Submit and Relay"): groups and accounts granted Relay
     * Permission. Only consulted when allowAllAuthenticated is cleared, as in Exchange 2003.
     */
    relayPermission: string[];
  };
  /** Address tricks: refused unless set (TrickHandling). */
  addressTricks?: TrickHandling;
}

export interface LabConfig {
  /** The preset this configuration came from, shown in the lab's log and banner notes. */
  preset: string;
  /** The physical server's name: what a greeting shows when no masquerade domain is set. */
  physicalServerName: string;
  /** Domains the organisation accepts mail for: RCPT to these is accepted from anyone, no relaying involved. */
  localDomains: string[];
  accounts: LabAccount[];
  servers: VirtualServerConfig[];
}

/** The greeting text after the host name; smtp-server puts "ESMTP" between the two. */
export const LAB_BANNER = 'MAIL Service ready (Relay Tester lab, Exchange 2003 style)';

/** Exchange 2003's replies, with the enhanced status codes (RFC 3463) it used. */
export const LAB_REPLIES = {
  relayDenied: { code: 550, text: '5.7.1 Unable to relay' },
  authFailed: { code: 535, text: '5.7.3 Authentication unsuccessful' },
  connectionDenied: { code: 554, text: '5.7.1 Access denied' },
  trickRefused: { code: 550, text: '5.1.3 Invalid address: routing characters are not accepted' },
} as const;

/** The reply to an accepted message, Exchange's "250 2.6.0 <id> Queued mail for delivery" plus the lab's note. */
export function queuedReply(messageId: string): string {
  return `2.6.0 <${messageId}> Queued mail for delivery (Relay Tester lab: kept in memory, never sent on)`;
}

/** The groups an account belongs to, including the implicit Authenticated Users. */
export function accountGroups(account: LabAccount): string[] {
  return [AUTHENTICATED_USERS, ...account.groups];
}

export function findAccount(config: Pick<LabConfig, 'accounts'>, name: string): LabAccount | undefined {
  const wanted = name.toLowerCase();
  // Windows account names are case-insensitive.
  return config.accounts.find((account) => account.name.toLowerCase() === wanted);
}

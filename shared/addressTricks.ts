// The address tricks open-relay scanners try: recipient (and a few sender) forms that old mail software routed
// somewhere other than where a relay check looked. Each variant names where it came from (docs/address-tricks.md).
// Pure: builds the addresses from the plan's domains; the engine sends them verbatim.

/**
 * What an accepted variant means. `external`: the address plainly names the external destination (its domain is the
 * external one, a source route ending there, an IP literal outside the organisation): accepting it is relaying.
 * `ambiguous`: the address can be read as a local mailbox of a local domain (the percent hack, a bang path, a quoted
 * local part): some servers deliver it locally, others forward it, so acceptance needs a reviewer (or the canary).
 */
export type TrickMeaning = 'external' | 'ambiguous';

export interface AddressTrick {
  /** Stable id, part of the case id. */
  id: string;
  /** Short name people read, e.g. "percent hack". */
  name: string;
  origin: 'classic' | 'nmap';
  from: string;
  to: string;
  meaning: TrickMeaning;
  /** Where the address would be forwarded to by a server that honours the trick. */
  destination: string;
}

export interface TrickInputs {
  /** Local part of the external target (the canary's when there is one). */
  user: string;
  /** The external domain (the canary's when there is one). */
  external: string;
  /** The first local domain of the plan. */
  local: string;
  /** The valid sender in a local domain. */
  sender: string;
  /** The server's address as an IP literal's content when its host is an IP address, else undefined. */
  serverIp?: string;
}

/** TEST-NET-1 (RFC 5737): documentation space, routed nowhere, so an IP-literal recipient can never deliver. */
export const OUTSIDE_IP = '192.0.2.1';

/** A domain written in alternating case, e.g. ExTeRnAl.ExAmPlE. */
function mixedCase(domain: string): string {
  return [...domain].map((char, index) => (index % 2 === 0 ? char.toUpperCase() : char.toLowerCase())).join('');
}

/**
 * Every variant for one server. The classic family follows the list; the nmap family is nmap's
 * scripts/smtp-open-relay.nse test table (16 entries, in its order) with its `domain` as the external domain, its
 * `srvname` as the local domain and its `ip` as the server's address, except that nmap's sender `antispam@[ip]`
 * (which Exim refuses with 501, see the issue) is replaced by the plan's valid sender wherever the sender is not the
 * variant under test (nmap 1–4 vary the sender; 5–16 vary the recipient).
 */
export function addressTricks(inputs: TrickInputs): AddressTrick[] {
  const { user: u, external: e, local: l, sender } = inputs;
  const ip = `[${inputs.serverIp ?? OUTSIDE_IP}]`;
  const target = `${u}@${e}`;
  const classic = (id: string, name: string, to: string, meaning: TrickMeaning): AddressTrick => ({
    id,
    name,
    origin: 'classic',
    from: sender,
    to,
    meaning,
    destination: meaning === 'external' && to.endsWith(`[${OUTSIDE_IP}]`) ? to : target,
  });
  const nmap = (n: number, from: string, to: string, meaning: TrickMeaning): AddressTrick => ({
    id: `nmap-${String(n).padStart(2, '0')}`,
    name: `nmap smtp-open-relay test ${n}`,
    origin: 'nmap',
    from,
    to,
    meaning,
    destination: target,
  });
  return [
    classic('percent-hack', 'percent hack', `${u}%${e}@${l}`, 'ambiguous'),
    classic('bang-path', 'bang path (UUCP)', `${e}!${u}@${l}`, 'ambiguous'),
    classic('source-route', 'source route', `@${l}:${target}`, 'external'),
    classic('quoted-local-part', 'quoted local part', `"${target}"@${l}`, 'ambiguous'),
    classic('ip-literal', 'IP literal outside the organisation', `${u}@[${OUTSIDE_IP}]`, 'external'),
    classic('double-at', 'double @', `${target}@${l}`, 'ambiguous'),
    classic('trailing-dot', 'trailing dot (absolute domain)', `${target}.`, 'external'),
    classic('mixed-case', 'mixed-case domain', `${u}@${mixedCase(e)}`, 'external'),
    classic('encoded-at', 'encoded @ (%40)', `${u}%40${e}@${l}`, 'ambiguous'),
    classic('percent-hack-double', 'percent hack, two hops', `${u}%${e}%${l}@${l}`, 'ambiguous'),
    nmap(1, '', target, 'external'),
    nmap(2, `antispam@${e}`, target, 'external'),
    nmap(3, sender, target, 'external'),
    nmap(4, `antispam@${ip}`, target, 'external'),
    nmap(5, sender, `${u}%${e}@${ip}`, 'ambiguous'),
    nmap(6, sender, `${u}%${e}@${l}`, 'ambiguous'),
    nmap(7, sender, `"${target}"`, 'ambiguous'),
    nmap(8, sender, `"${u}%${e}"`, 'ambiguous'),
    nmap(9, sender, `${target}@${ip}`, 'ambiguous'),
    nmap(10, sender, `"${target}"@${ip}`, 'ambiguous'),
    nmap(11, sender, `${target}@${l}`, 'ambiguous'),
    nmap(12, sender, `@${ip}:${target}`, 'external'),
    nmap(13, sender, `@${l}:${target}`, 'external'),
    nmap(14, sender, `${e}!${u}`, 'ambiguous'),
    nmap(15, sender, `${e}!${u}@${ip}`, 'ambiguous'),
    nmap(16, sender, `${e}!${u}@${l}`, 'ambiguous'),
  ];
}

/** The IP address in a server's host, when it is one (IPv6 as an RFC 5321 IPv6 literal's content). */
export function serverIpLiteral(host: string): string | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return host;
  if (host.includes(':')) return `IPv6:${host.replace(/^\[|\]$/g, '')}`;
  return undefined;
}

/** The mark the lab puts in its reply when it would forward a trick address: the lab's proof of a trick relay. */
export const LAB_FORWARD_MARK = 'Relay Tester lab: would forward to ';

/** The address the lab's reply says it would forward to, when the reply carries the lab's mark. */
export function labForwardProof(replyText: string): string | undefined {
  const at = replyText.indexOf(LAB_FORWARD_MARK);
  if (at < 0) return undefined;
  return replyText.slice(at + LAB_FORWARD_MARK.length).split(/[\s;)]/)[0] || undefined;
}

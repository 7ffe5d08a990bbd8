// Vantage points: machines in other networks (reached over SSH or through a SOCKS5 proxy) whose outgoing
// connections come from the plan sources they serve. The plan part and the pure rules; main/vantage does the I/O.
import { z } from 'zod';
import { parseAddressSpec, specContains, type AddressSpec } from './addressSpec.js';

const hostName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[^\s\x00-\x1f\x7f-\x9f]+$/, {
    message: 'must be a host name or address without spaces or control characters',
  });

const sha256Fingerprint = z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, {
  message: 'must be an OpenSSH fingerprint such as SHA256:… (ssh-keygen -lf KEY.pub)',
});

const relativePath = z
  .string()
  .min(1)
  .max(1024)
  .regex(/^[^\x00-\x1f\x7f-\x9f]+$/, { message: 'must not contain control characters' });

export const vantagePointSchema = z
  .strictObject({
    $comment: z.string().optional(),
    name: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { message: 'must be a short name of letters, digits, ".", "_" or "-"' }),
    ssh: z
      .strictObject({
        host: hostName,
        port: z.number().int().min(1).max(65535).default(22),
        user: z
          .string()
          .min(1)
          .max(100)
          .regex(/^[^\s\x00-\x1f\x7f-\x9f]+$/, { message: 'must be a user name' }),
        identityFile: relativePath.optional().describe('Private key file, relative to the plan.'),
        hostKeySha256: sha256Fingerprint
          .optional()
          .describe("The vantage point's SSH host key fingerprint; without it (or knownHosts) nothing is trusted."),
        knownHosts: relativePath.optional().describe('A known_hosts file (relative to the plan) that lists its key.'),
      })
      .optional(),
    socks5: z
      .strictObject({
        host: hostName,
        port: z.number().int().min(1).max(65535).default(1080),
        user: z.string().min(1).max(255).optional().describe('SOCKS5 user name; the password is a secret.'),
      })
      .optional(),
    serves: z
      .array(z.string().min(1))
      .min(1)
      .max(100)
      .describe('The plan sources (addresses, subnets, domains) its outgoing connections come from.'),
    concurrency: z.number().int().min(1).max(32).optional().describe('Sessions at once through it (default 4).'),
  })
  .superRefine((point, context) => {
    if (!point.ssh === !point.socks5) {
      context.addIssue({ code: 'custom', message: 'give exactly one of "ssh" or "socks5"' });
    }
    if (point.ssh?.hostKeySha256 && point.ssh.knownHosts) {
      context.addIssue({ code: 'custom', path: ['ssh'], message: 'give either hostKeySha256 or knownHosts, not both' });
    }
    point.serves.forEach((entry, index) => {
      const parsed = parseAddressSpec(entry);
      if ('error' in parsed) context.addIssue({ code: 'custom', path: ['serves', index], message: parsed.error });
    });
  })
  .describe('A machine in another network that tests run from (over SSH or a SOCKS5 proxy).');

export type VantagePoint = z.output<typeof vantagePointSchema>;

const SECRET_PREFIX = 'vantage:';

/**
 * Where a vantage point's secret (key passphrase, SSH or SOCKS5 password) is kept: this name in the secrets file,
 * the app's password store and, through passwordVariable, the environment.
 */
export function vantageSecretName(name: string): string {
  return `${SECRET_PREFIX}${name}`;
}

export function isVantageSecretName(name: string): boolean {
  return name.startsWith(SECRET_PREFIX);
}

/** "ssh relaytest@10.77.1.2:22" or "socks5 10.77.2.2:1080": how transcripts and reports name it. */
export function describeVantage(point: VantagePoint): string {
  if (point.ssh) return `ssh ${point.ssh.user}@${point.ssh.host}:${point.ssh.port}`;
  return `socks5 ${point.socks5!.host}:${point.socks5!.port}`;
}

function covers(served: AddressSpec, source: AddressSpec): boolean {
  if (served.kind === 'domain' || source.kind === 'domain') {
    return served.kind === 'domain' && source.kind === 'domain' && served.domain === source.domain;
  }
  // Served only when every address the vantage point may come from lies inside the source: one at 10.77.1.2
  // serves 10.77.1.0/24, but one somewhere in 10.77.1.0/24 does not prove 10.77.1.9.
  if (served.kind === 'address') return specContains(source, served.address) === true;
  if (source.kind === 'address') return false;
  return served.prefix >= source.prefix && specContains(source, served.network) === true;
}

/** The vantage point that serves a plan source, if one does (the first listed wins). */
export function vantageFor(source: string, points: readonly VantagePoint[]): VantagePoint | undefined {
  const wanted = parseAddressSpec(source);
  if ('error' in wanted) return undefined;
  return points.find((point) =>
    point.serves.some((entry) => {
      const served = parseAddressSpec(entry);
      return !('error' in served) && covers(served, wanted);
    }),
  );
}

/**
 * The client address a server names in its EHLO reply ("250-mail.corp.test Hello [10.77.1.2]", as Exchange,
 * Exim and smtp-server do), or undefined when it names none (Postfix).
 */
export function clientAddressNamed(ehloFirstLine: string): string | undefined {
  const match = /\[(?:IPv6:)?([0-9a-fA-F.:]+)\]/.exec(ehloFirstLine);
  return match?.[1];
}

export type SourceProof =
  | { proven: true; address: string }
  | { proven: false; address: string; reason: string }
  | { proven: 'unknown'; reason: string };

/**
 * Whether the address the server saw belongs to the source the case is meant to test from. For a domain source,
 * `confirmedAddress` is the address whose forward-confirmed reverse name put the case there.
 */
export function proveSource(source: string, ehloFirstLine: string | undefined, confirmedAddress?: string): SourceProof {
  const address = ehloFirstLine === undefined ? undefined : clientAddressNamed(ehloFirstLine);
  if (address === undefined) {
    return {
      proven: 'unknown',
      reason: 'the server does not name the client address, so the source could not be proven',
    };
  }
  const spec = parseAddressSpec(source);
  if (!('error' in spec) && spec.kind === 'domain' && confirmedAddress !== undefined) {
    return address === confirmedAddress
      ? { proven: true, address }
      : {
          proven: false,
          address,
          reason: `tested from ${address}, not from ${source} (its confirmed address is ${confirmedAddress})`,
        };
  }
  if ('error' in spec || spec.kind === 'domain') {
    return { proven: 'unknown', reason: `the server saw ${address}; ${source} is matched by reverse DNS` };
  }
  return specContains(spec, address) === true
    ? { proven: true, address }
    : { proven: false, address, reason: `tested from ${address}, not from ${source}` };
}

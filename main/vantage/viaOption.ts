// `--via ssh://user@host[:port]` and `--via socks5://[user@]host[:port]` on the command line, read into the same
// vantage point definition a plan holds, so probe and run share one way of building tunnels.
import { vantagePointSchema, type VantagePoint } from '../../shared/vantage.js';

export interface ViaOptions {
  via: string;
  identity?: string;
  hostKey?: string;
  knownHosts?: string;
}

/** The vantage point a --via option names, or an error message in the user's words. */
export function vantageFromVia(options: ViaOptions): VantagePoint | { error: string } {
  let url: URL;
  try {
    url = new URL(options.via);
  } catch {
    return { error: `--via must look like ssh://user@host[:port] or socks5://host:port (got "${options.via}")` };
  }
  if (url.password) return { error: '--via must not contain a password: give it with --via-password-env VAR' };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const user = decodeURIComponent(url.username);
  const port = url.port ? Number(url.port) : undefined;
  let candidate: unknown;
  if (url.protocol === 'ssh:') {
    if (!user) return { error: '--via ssh:// needs a user: ssh://user@host' };
    if (options.knownHosts === undefined && options.hostKey === undefined) {
      return { error: '--via ssh:// needs the host key to trust: --host-key SHA256:… or --known-hosts FILE' };
    }
    candidate = {
      name: 'via',
      ssh: {
        host,
        user,
        ...(port ? { port } : {}),
        ...(options.identity ? { identityFile: options.identity } : {}),
        ...(options.hostKey ? { hostKeySha256: options.hostKey } : {}),
        ...(options.knownHosts ? { knownHosts: options.knownHosts } : {}),
      },
      serves: ['0.0.0.0/0'],
    };
  } else if (url.protocol === 'socks5:') {
    if (options.identity || options.hostKey || options.knownHosts) {
      return { error: '--identity, --host-key and --known-hosts are for ssh:// vantage points' };
    }
    candidate = {
      name: 'via',
      socks5: { host, ...(port ? { port } : {}), ...(user ? { user } : {}) },
      serves: ['0.0.0.0/0'],
    };
  } else {
    return { error: `--via supports ssh:// and socks5:// (got "${url.protocol}//")` };
  }
  const parsed = vantagePointSchema.safeParse(candidate);
  if (!parsed.success) return { error: `--via: ${parsed.error.issues.map((issue) => issue.message).join('; ')}` };
  return parsed.data;
}

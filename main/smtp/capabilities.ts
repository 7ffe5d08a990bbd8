// EHLO keywords (RFC 5321 §4.1.1.1): the first line is the server's name, each further line one keyword with
// its parameters. Old servers (Exchange 2003) also announce "AUTH=LOGIN" for pre-RFC clients.
import type { Reply } from '../../shared/reply.js';
import type { Capabilities } from '../../shared/session.js';

export function parseEhlo(reply: Reply): Capabilities {
  const keywords: Record<string, string[]> = {};
  const mechanisms = new Set<string>();
  for (const line of reply.lines.slice(1)) {
    const [rawKeyword, ...params] = line.trim().split(/\s+/);
    if (!rawKeyword) continue;
    const keyword = rawKeyword.toUpperCase();
    if (keyword.startsWith('AUTH=')) {
      for (const mechanism of [keyword.slice(5), ...params]) if (mechanism) mechanisms.add(mechanism.toUpperCase());
      continue;
    }
    keywords[keyword] = params;
    if (keyword === 'AUTH') for (const mechanism of params) mechanisms.add(mechanism.toUpperCase());
  }
  if (mechanisms.size > 0 && !keywords.AUTH) keywords.AUTH = [...mechanisms];
  return { esmtp: true, keywords, authMechanisms: [...mechanisms], startTls: 'STARTTLS' in keywords };
}

export const HELO_CAPABILITIES: Capabilities = { esmtp: false, keywords: {}, authMechanisms: [], startTls: false };

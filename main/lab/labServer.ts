// The built-in lab: one smtp-server per virtual server of a LabConfig, on loopback, replying in Exchange 2003's
// words. smtp-server speaks the protocol; this module only wires its hooks to the lab's policy and log. Nothing is
// delivered: accepted messages stay in memory.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type tls from 'node:tls';
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { generateLabCertificate, type LabCertificate } from './certificate.js';
import {
  LAB_BANNER,
  LAB_REPLIES,
  findAccount,
  queuedReply,
  type LabConfig,
  type VirtualServerConfig,
} from './labConfig.js';
import { LabLog, type LabEventKind } from './labLog.js';
import { LAB_MESSAGE_KEEP_BYTES, LabMessages } from './labMessages.js';
import { LAB_FORWARD_MARK } from '../../shared/addressTricks.js';
import { addressTrick, connectionDecision, passwordMatches, relayDecision, tokenDecision } from './labPolicy.js';

/** Exchange 2003's default message size limit (10,240 KB), announced as SIZE. */
const MESSAGE_SIZE_LIMIT = 10_240 * 1024;
/** How long stop() lets open sessions finish before they get "421 Server shutting down". */
const CLOSE_GRACE_MS = 1000;

export interface LabServerInfo {
  name: string;
  host: string;
  /** The port really bound (differs from the configuration's when that was 0). */
  port: number;
  /** The name the greeting gives: the masquerade domain, else the physical server's name. */
  greetingName: string;
  config: VirtualServerConfig;
}

export interface RunningLab {
  config: LabConfig;
  servers: LabServerInfo[];
  certificate: Pick<LabCertificate, 'sha256'>;
  log: LabLog;
  messages: LabMessages;
  /** Stops every virtual server; open sessions get a grace period, then 421. Safe to call twice. */
  stop(): Promise<void>;
}

export class LabStartError extends Error {}

type ProtocolLogger = Exclude<SMTPServerOptions['logger'], boolean | undefined>;

interface SmtpError extends Error {
  responseCode: number;
}

function smtpError(reply: { code: number; text: string }): SmtpError {
  return Object.assign(new Error(reply.text), { responseCode: reply.code });
}

/** Wires one virtual server's hooks; everything it decides goes through labPolicy. */
function createVirtualServer(
  config: LabConfig,
  server: VirtualServerConfig,
  certificate: LabCertificate,
  log: LabLog,
  messages: LabMessages,
): SMTPServer {
  const clients = new Map<string, string>();
  const record = (kind: LabEventKind, session: string | undefined, text: string) => {
    if (!server.logging) return;
    const client = session ? clients.get(session) : undefined;
    log.add({ server: server.name, kind, text, ...(session ? { session } : {}), ...(client ? { client } : {}) });
  };
  // smtp-server logs each command ("C:", AUTH lines already masked) and each reply ("S:") at debug level: that is
  // the lab's protocol log. Everything else it logs is said better by the hooks below.
  const text = (value: unknown) =>
    typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
  const protocolLogger: ProtocolLogger = {
    debug(entry: { tnx?: string; cid?: string } | undefined, message?: string, ...args: unknown[]) {
      if (message === 'C:' && entry?.tnx === 'command') record('command', entry.cid, text(args[0]));
      if (message === 'S:' && entry?.tnx === 'send') {
        for (const line of text(args[0]).split('\r\n')) record('reply', entry.cid, line);
      }
    },
  };
  const options: SMTPServerOptions = {
    name: server.masqueradeDomain ?? config.physicalServerName,
    banner: LAB_BANNER,
    heloResponse: '%s Hello %s',
    key: certificate.key,
    cert: certificate.cert,
    authMethods: [...server.authentication.methods],
    // Unauthenticated clients must reach MAIL and RCPT (the relay decision is the point), and the lab demonstrates
    // AUTH over plaintext unless "requires TLS encryption" is set, as Exchange's Basic authentication allows.
    authOptional: true,
    allowInsecureAuth: !server.authentication.requireTls,
    // Replies carry Exchange's enhanced codes written by the lab ("550 5.7.1 Unable to relay"); smtp-server's own
    // mapping would prefix its guess by reply code ("550 5.1.1", a bad mailbox), so it stays off.
    hideENHANCEDSTATUSCODES: true,
    hideSMTPUTF8: true,
    hideDSN: false,
    size: MESSAGE_SIZE_LIMIT,
    rejectOversized: true,
    // No PTR lookups on loopback: they would only add a delay, and the lab does not match domain entries.
    disableReverseLookup: true,
    closeTimeout: CLOSE_GRACE_MS,
    logger: protocolLogger,
    onConnect(session, callback) {
      clients.set(session.id, `${session.remoteAddress}:${session.remotePort}`);
      record('connect', session.id, `connection to ${session.localAddress}:${session.localPort}`);
      const decision = connectionDecision(server, session.remoteAddress);
      for (const note of decision.notes) record('note', session.id, note);
      if (decision.allowed) return callback();
      record('refused', session.id, decision.reason);
      // A 5xx greeting (RFC 5321 §3.1): the client sees e.g. "554 5.7.1 Access denied" and the connection closes.
      callback(smtpError(LAB_REPLIES.connectionDenied));
    },
    onSecure(socket, session, callback) {
      const secure = socket as tls.TLSSocket;
      record(
        'tls',
        session.id,
        `STARTTLS done: ${secure.getProtocol?.() ?? 'TLS'} ${secure.getCipher?.()?.name ?? ''}`.trim(),
      );
      callback();
    },
    onAuth(auth: SMTPServerAuthentication, session: SMTPServerSession, callback) {
      const account = findAccount(config, auth.username ?? '');
      const offered = (server.authentication.methods as readonly string[]).includes(auth.method);
      if (offered && auth.method === 'XOAUTH2') {
        const decision = tokenDecision(account, auth.accessToken);
        if (decision === 'valid' && account) {
          record('auth', session.id, `${account.name} authenticated with XOAUTH2 (a valid access token)`);
          return callback(null, { user: account.name });
        }
        const why = !account
          ? 'unknown account'
          : decision === 'expired'
            ? 'the access token has expired'
            : 'not a valid access token';
        record('auth', session.id, `authentication failed for ${auth.username ?? '(none)'} with XOAUTH2: ${why}`);
        // The JSON error challenge of RFC 7628 §3.2.2, as Microsoft 365 and Google send it; smtp-server answers
        // the client's empty response with 535.
        return callback(null, {
          data: { status: 'invalid_token', schemes: 'bearer', scope: 'https://outlook.office.com/SMTP.Send' },
        });
      }
      const valid =
        offered &&
        account !== undefined &&
        (auth.method === 'CRAM-MD5'
          ? auth.validatePassword(account.password)
          : passwordMatches(account, auth.password));
      if (!valid || !account) {
        const why = !offered ? 'mechanism not offered' : account ? 'wrong password' : 'unknown account';
        record(
          'auth',
          session.id,
          `authentication failed for ${auth.username ?? '(none)'} with ${auth.method}: ${why}`,
        );
        return callback(smtpError(LAB_REPLIES.authFailed));
      }
      record(
        'auth',
        session.id,
        `${account.name} authenticated with ${auth.method}${session.secure ? ' over TLS' : ' WITHOUT TLS (the password crossed in clear text)'}`,
      );
      callback(null, { user: account.name });
    },
    onMailFrom(_address, _session, callback) {
      callback();
    },
    onRcptTo(address, session, callback) {
      const trick = addressTrick(config.localDomains, address.address);
      if (trick) {
        const handling = server.addressTricks ?? 'refuse';
        if (handling === 'refuse') {
          record(
            'relay',
            session.id,
            `${address.address}: REFUSED: an address trick (${trick.form}) aimed at ${trick.destination}`,
          );
          return callback(smtpError(LAB_REPLIES.trickRefused));
        }
        if (handling === 'local') {
          record(
            'relay',
            session.id,
            `${address.address}: accepted as the local mailbox "${trick.mailbox}" (${trick.form} treated as a local name): would NOT forward to ${trick.destination}`,
          );
          return callback();
        }
        // A true trick relay: the relay check saw a local domain; routing then sends the mail to the destination.
        const onward = relayDecision(server, config.localDomains, {
          client: session.remoteAddress,
          recipient: trick.destination,
        });
        if (!onward.allowed) {
          record(
            'relay',
            session.id,
            `${address.address}: accepted for a local domain (${trick.form}): WOULD FORWARD to ${trick.destination}, bypassing the relay check (${onward.reason})`,
          );
          // smtp-server's RCPT reply is a fixed "250 Accepted"; the lab's proof goes in the reply text, so the
          // recipient is added to the envelope here and the 250 is sent through the error path that carries a text.
          session.envelope.rcptTo.push(address);
          return callback(
            smtpError({
              code: 250,
              text: `2.1.5 ${LAB_FORWARD_MARK}${trick.destination} (${trick.form}; kept in memory, never sent on)`,
            }),
          );
        }
      }
      const account = typeof session.user === 'string' ? findAccount(config, session.user) : undefined;
      const decision = relayDecision(server, config.localDomains, {
        client: session.remoteAddress,
        recipient: address.address,
        ...(account ? { account } : {}),
      });
      for (const note of decision.notes) record('note', session.id, note);
      record(
        'relay',
        session.id,
        `${address.address}: ${decision.allowed ? 'accepted' : 'REFUSED'}: ${decision.reason}`,
      );
      callback(decision.allowed ? undefined : smtpError(LAB_REPLIES.relayDenied));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let kept = 0;
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (kept < LAB_MESSAGE_KEEP_BYTES) {
          const part = chunk.subarray(0, LAB_MESSAGE_KEEP_BYTES - kept);
          chunks.push(part);
          kept += part.length;
        }
      });
      stream.on('end', () => {
        // An oversized message is refused by smtp-server itself (rejectOversized); nothing is kept of it.
        if (stream.sizeExceeded) return callback();
        const id = `${randomUUID()}@${options.name}`;
        const envelope = session.envelope;
        messages.add({
          id,
          server: server.name,
          session: session.id,
          client: clients.get(session.id) ?? session.remoteAddress,
          ...(typeof session.user === 'string' ? { account: session.user } : {}),
          from: envelope.mailFrom ? envelope.mailFrom.address : '',
          to: envelope.rcptTo.map((recipient) => recipient.address),
          receivedAt: new Date().toISOString(),
          size,
          content: Buffer.concat(chunks).toString('utf8'),
          truncated: size > kept,
        });
        record('message', session.id, `message <${id}> of ${size} bytes kept in memory (never sent on)`);
        callback(null, queuedReply(id));
      });
    },
    onClose(session) {
      record('close', session.id, 'connection closed');
      clients.delete(session.id);
    },
  };
  const smtp = new SMTPServer(options);
  smtp.on('error', (error: Error) => record('error', undefined, error.message));
  return smtp;
}

function listen(smtp: SMTPServer, server: VirtualServerConfig): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const where = `${server.address}:${server.port}`;
      reject(
        new LabStartError(
          error.code === 'EADDRINUSE'
            ? `${server.name}: ${where} is already in use (another lab or mail server?); choose other ports with --port-base N`
            : error.code === 'EADDRNOTAVAIL'
              ? `${server.name}: ${server.address} is not an address of this machine; add it as a loopback alias`
              : `${server.name}: cannot listen on ${where}: ${error.message}`,
        ),
      );
    };
    smtp.server.once('error', onError);
    smtp.listen(server.port, server.address, () => {
      smtp.server.off('error', onError);
      resolve((smtp.server.address() as AddressInfo).port);
    });
  });
}

function close(smtp: SMTPServer): Promise<void> {
  return new Promise((resolve) => {
    if (!smtp.server.listening) return resolve();
    smtp.close(() => resolve());
  });
}

/** Starts every virtual server of `config`; on any failure, stops those already started and throws LabStartError. */
export async function startLab(config: LabConfig, options: { log?: LabLog } = {}): Promise<RunningLab> {
  const log = options.log ?? new LabLog();
  const messages = new LabMessages();
  const names = config.servers.flatMap((server) => [
    server.masqueradeDomain ?? config.physicalServerName,
    server.address,
  ]);
  const certificate = await generateLabCertificate(['localhost', ...names]);
  const started: SMTPServer[] = [];
  const servers: LabServerInfo[] = [];
  try {
    for (const server of config.servers) {
      const smtp = createVirtualServer(config, server, certificate, log, messages);
      started.push(smtp);
      const port = await listen(smtp, server);
      servers.push({
        name: server.name,
        host: server.address,
        port,
        greetingName: server.masqueradeDomain ?? config.physicalServerName,
        config: server,
      });
      log.add({
        server: server.name,
        kind: 'listen',
        text: `listening on ${server.address}:${port} (preset ${config.preset})`,
      });
    }
  } catch (error) {
    await Promise.all(started.map(close));
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    config,
    servers,
    certificate: { sha256: certificate.sha256 },
    log,
    messages,
    stop() {
      stopping ??= Promise.all(started.map(close)).then(() => undefined);
      return stopping;
    },
  };
}

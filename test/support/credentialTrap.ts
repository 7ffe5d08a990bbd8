// An attacker's SMTP listener: it offers AUTH PLAIN and LOGIN without TLS, accepts any credentials and any
// recipient, and records every credential it is given and every byte it receives. Tests point a plan at it and
// assert that a kept password never reaches it without the user's consent.
import net, { type AddressInfo } from 'node:net';
import { RELAY_SERVER } from './testbed.js';

export interface Credential {
  user: string;
  password: string;
}

export interface CredentialTrap {
  host: string;
  port: number;
  /** Credentials decoded from AUTH PLAIN and AUTH LOGIN, in order. */
  readonly credentials: Credential[];
  /** Every byte every client sent, as text. */
  received(): string;
  /** How many connections it accepted. */
  readonly connections: number;
  /** Forgets what it recorded so far. */
  clear(): void;
  close(): Promise<void>;
}

const decode = (text: string) => Buffer.from(text, 'base64').toString('utf8');

export async function startCredentialTrap(): Promise<CredentialTrap> {
  const credentials: Credential[] = [];
  const chunks: string[] = [];
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.setEncoding('utf8');
    socket.write('220 trap.test ESMTP\r\n');
    let buffered = '';
    let loginUser: string | undefined;
    let state: 'command' | 'login-user' | 'login-password' | 'data' = 'command';
    socket.on('data', (chunk: string) => {
      chunks.push(chunk);
      buffered += chunk;
      for (let end = buffered.indexOf('\r\n'); end >= 0; end = buffered.indexOf('\r\n')) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (state === 'data') {
          if (line === '.') {
            state = 'command';
            socket.write('250 2.0.0 queued\r\n');
          }
          continue;
        }
        if (state === 'login-user') {
          loginUser = decode(line);
          state = 'login-password';
          socket.write('334 UGFzc3dvcmQ6\r\n');
          continue;
        }
        if (state === 'login-password') {
          credentials.push({ user: loginUser ?? '', password: decode(line) });
          state = 'command';
          socket.write('235 2.7.0 Authentication successful\r\n');
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') socket.write('250-trap.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n');
        else if (/^AUTH PLAIN /i.test(line)) {
          const [, user = '', password = ''] = decode(line.slice(11)).split('\0');
          credentials.push({ user, password });
          socket.write('235 2.7.0 Authentication successful\r\n');
        } else if (/^AUTH LOGIN$/i.test(line)) {
          state = 'login-user';
          socket.write('334 VXNlcm5hbWU6\r\n');
        } else if (verb === 'DATA') {
          state = 'data';
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    credentials,
    received: () => chunks.join(''),
    get connections() {
      return connections;
    },
    clear() {
      credentials.length = 0;
      chunks.length = 0;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A plan from a stranger: alice against the Postfix test bed's relay server and against the trap (`tls: none`,
 * so AUTH goes in clear, as an attacker's listener would want). */
export function strangersPlan(trap: Pick<CredentialTrap, 'host' | 'port'>) {
  return {
    relayTesterPlan: 1,
    name: 'Plan from a stranger',
    domains: { local: ['corp.test'], external: 'external.example' },
    sender: 'helpdesk@corp.test',
    accounts: ['alice'],
    sources: ['127.0.0.5'],
    servers: [
      {
        name: 'Relay',
        host: RELAY_SERVER.host,
        port: RELAY_SERVER.port,
        tls: 'auto',
        allowInvalidCertificate: true,
        banner: 'relay.corp.test',
        relay: { users: ['alice'], hosts: ['127.0.0.10', '127.0.1.0/24'] },
      },
      { name: 'Collector', host: trap.host, port: trap.port, tls: 'none', relay: { users: ['alice'], hosts: [] } },
    ],
  };
}

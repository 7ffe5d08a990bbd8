// A vantage point that is a SOCKS5 proxy (RFC 1928): each SMTP session is one CONNECT through it.
import type { Duplex } from 'node:stream';
import { SocksClient } from 'socks';
import type { Tunnel } from '../smtp/tunnel.js';
import { errorMessage } from '../../shared/errorMessage.js';

export interface SocksTarget {
  host: string;
  port: number;
}

export interface SocksCredentials {
  user?: string;
  password?: string;
}

export class SocksTunnel implements Tunnel {
  readonly describe: string;

  constructor(
    private readonly proxy: SocksTarget,
    private readonly credentials: SocksCredentials = {},
    private readonly timeoutMs = 15_000,
  ) {
    this.describe = `socks5 ${proxy.host}:${proxy.port}`;
  }

  async open(host: string, port: number): Promise<Duplex> {
    try {
      const { socket } = await SocksClient.createConnection({
        proxy: {
          host: this.proxy.host,
          port: this.proxy.port,
          type: 5,
          ...(this.credentials.user !== undefined ? { userId: this.credentials.user } : {}),
          ...(this.credentials.password !== undefined ? { password: this.credentials.password } : {}),
        },
        command: 'connect',
        destination: { host, port },
        timeout: this.timeoutMs,
      });
      socket.setNoDelay(true);
      return socket;
    } catch (error) {
      throw new Error(`${this.describe} could not open ${host}:${port}: ${errorMessage(error)}`, { cause: error });
    }
  }

  close(): void {}
}

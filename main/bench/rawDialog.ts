// The benchmark's baseline: the same relay-test dialog written as plainly as possible over node:net and
// node:tls, with no transcript, no limits and no checks. What the engine adds is measured against it.
import net from 'node:net';
import tls from 'node:tls';
import type { SessionSpec } from '../smtp/sessionSpec.js';

class LineSocket {
  private buffer = '';
  private pending: ((reply: string) => void) | undefined;
  constructor(private socket: net.Socket) {
    this.listen(socket);
  }
  private listen(socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      if (/(^|\n)\d{3}( [^\n]*)?\r?\n$/.test(this.buffer) && this.pending) {
        const reply = this.buffer;
        this.buffer = '';
        const resolve = this.pending;
        this.pending = undefined;
        resolve(reply);
      }
    });
  }
  reply(): Promise<string> {
    return new Promise((resolve) => (this.pending = resolve));
  }
  async command(line: string): Promise<number> {
    const reply = this.reply();
    this.socket.write(`${line}\r\n`);
    return Number((await reply).split('\n').at(-2)?.slice(0, 3) ?? 0);
  }
  async upgrade(): Promise<void> {
    this.socket.removeAllListeners('data');
    const secure = tls.connect({ socket: this.socket, rejectUnauthorized: false });
    await new Promise((resolve) => secure.once('secureConnect', resolve));
    this.socket = secure;
    this.listen(secure);
  }
  close() {
    this.socket.destroy();
  }
}

export async function rawDialog(spec: SessionSpec): Promise<void> {
  const socket = net.connect({ host: spec.host, port: spec.port, localAddress: spec.source });
  await new Promise((resolve) => socket.once('connect', resolve));
  const line = new LineSocket(socket);
  try {
    const greeting = Number((await line.reply()).slice(0, 3));
    if (greeting !== 220) {
      await line.command('QUIT');
      return;
    }
    let ehlo = '';
    for (const step of spec.steps) {
      switch (step.kind) {
        case 'ehlo': {
          const reply = line.reply();
          socket.write(`EHLO ${spec.helo}\r\n`);
          ehlo = await reply;
          break;
        }
        case 'starttls':
          if (/STARTTLS/.test(ehlo) && (await line.command('STARTTLS')) === 220) {
            await line.upgrade();
            await line.command(`EHLO ${spec.helo}`);
          }
          break;
        case 'auth': {
          const blob = Buffer.from(`\0${spec.auth!.user}\0${spec.auth!.password}`).toString('base64');
          if ((await line.command(`AUTH PLAIN ${blob}`)) !== 235) return void (await line.command('QUIT'));
          break;
        }
        case 'mail':
          if ((await line.command(`MAIL FROM:<${step.from}>`)) !== 250) return void (await line.command('QUIT'));
          break;
        case 'rcpt':
          await line.command(`RCPT TO:<${step.to}>`);
          break;
        case 'rset':
          await line.command('RSET');
          break;
        case 'data':
          break;
        case 'quit':
          await line.command('QUIT');
          return;
      }
    }
  } finally {
    line.close();
  }
}

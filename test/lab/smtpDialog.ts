// A minimal line client for checking the lab's exact replies: reads the greeting, then sends one command per reply
// and collects every reply (all its lines) until the commands run out or the server hangs up.
import net from 'node:net';

export interface DialogReply {
  code: number;
  lines: string[];
  /** The reply as the server wrote it, lines joined with "\n". */
  text: string;
}

export function smtpDialog(
  server: { host: string; port: number },
  commands: readonly string[],
  options: { localAddress?: string } = {},
): Promise<{ replies: DialogReply[]; closedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({
      host: server.host,
      port: server.port,
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    });
    const replies: DialogReply[] = [];
    let buffer = '';
    let pending: string[] = [];
    let next = 0;
    let finished = false;
    const finish = (closedByServer: boolean) => {
      if (finished) return;
      finished = true;
      socket.destroy();
      resolve({ replies, closedByServer });
    };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        pending.push(line);
        if (/^\d{3}-/.test(line)) continue;
        replies.push({ code: Number(line.slice(0, 3)), lines: pending, text: pending.join('\n') });
        pending = [];
        if (next < commands.length) socket.write(`${commands[next++]}\r\n`);
        else finish(false);
      }
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    // A reset after the server's last reply (e.g. a refused connection) ends the dialog like a close.
    socket.on('error', (error) => (replies.length > 0 ? finish(true) : finished ? undefined : reject(error)));
  });
}

export function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

// One line of terminal text per transcript event, for the CLI and the xterm pane alike. Event texts are already
// made visible by the engine, so the only escape sequences here are the colours this function adds itself.
import type { TlsDetails, TranscriptEvent } from './session.js';

export interface FormatOptions {
  colour: boolean;
  timestamps: boolean;
}

const SGR = {
  reset: '\x1b[0m',
  dim: '\x1b[2m',
  bold: '\x1b[1m',
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  blue: '\x1b[34m',
  magenta: '\x1b[35m',
  cyan: '\x1b[36m',
} as const;

type Tone = keyof typeof SGR;

function paint(text: string, tone: Tone, options: FormatOptions): string {
  return options.colour ? `${SGR[tone]}${text}${SGR.reset}` : text;
}

function serverTone(text: string): Tone {
  const code = text.slice(0, 1);
  if (code === '2' || code === '3') return 'green';
  if (code === '4') return 'yellow';
  if (code === '5') return 'red';
  return 'magenta';
}

export function describeTls(details: TlsDetails): string {
  const trust = {
    verified: 'verified',
    pinned: 'pinned fingerprint matched',
    'allowed-invalid': `NOT verified (${details.verifyError ?? 'invalid'}), allowed explicitly`,
    refused: `refused (${details.verifyError ?? 'not trusted'})`,
  }[details.trust];
  return `TLS ${details.protocol} ${details.cipher}; certificate ${details.subject || '(no subject)'} issued by ${details.issuer || '(unknown)'}, valid ${details.validFrom} to ${details.validTo}, ${trust}; SHA-256 ${details.sha256}`;
}

/** The text of one event as one terminal line, without a line ending. */
export function formatEvent(event: TranscriptEvent, options: FormatOptions): string {
  const time = options.timestamps ? paint(`${event.t.toFixed(1).padStart(8)} ms `, 'dim', options) : '';
  const channel = (tls: boolean) => (tls ? paint('tls ', 'blue', options) : '    ');
  switch (event.type) {
    case 'connect':
      return `${time}${paint(`** connected ${event.local}:${event.localPort} -> ${event.remote}:${event.remotePort}${event.tls ? ' (implicit TLS)' : ''}`, 'bold', options)}`;
    case 'client':
      return `${time}${channel(event.tls)}${paint(`C: ${event.text}`, 'cyan', options)}`;
    case 'server':
      return `${time}${channel(event.tls)}${paint(`S: ${event.text}`, serverTone(event.text), options)}`;
    case 'tls':
      return `${time}${paint(`** ${describeTls(event.details)}`, 'blue', options)}`;
    case 'note': {
      const tone: Tone = event.level === 'error' ? 'red' : event.level === 'warning' ? 'yellow' : 'dim';
      const mark = event.level === 'info' ? '--' : '!!';
      return `${time}${paint(`${mark} ${event.text}`, tone, options)}`;
    }
    case 'step':
      return `${time}${paint(`.. ${event.stage} took ${event.ms.toFixed(1)} ms`, 'dim', options)}`;
    case 'close':
      return `${time}${paint(`** closed: ${event.reason}`, 'bold', options)}`;
  }
}

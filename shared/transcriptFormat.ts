// One line of terminal text per transcript event, for the CLI and the xterm pane alike. Event texts are made
// visible by the engine, and again here (ensureVisible leaves visible text as it is) for events that came from a
// file someone else wrote, so the only escape sequences in a line are the colours this function adds itself.
import type { TlsDetails, TranscriptEvent } from './session.js';
import { ensureVisible } from './text.js';

/** Any value of an event, as visible text: a crafted run file may put anything in any field. */
function shown(value: unknown): string {
  return ensureVisible(String(value));
}

export interface FormatOptions {
  colour: boolean;
  timestamps: boolean;
  /**
   * How quiet text (timestamps, timings, info notes) is coloured: 'faint' (SGR 2, the default) lets the terminal
   * halve the foreground's contrast; 'grey' (SGR 90, bright black) takes the colour the app's own terminal theme
   * gives it, chosen to keep 4.5:1 (WCAG 1.4.3), which faint text on a light background does not (3.1:1).
   */
  quiet?: 'faint' | 'grey';
}

const SGR = {
  reset: '\x1b[0m',
  dim: '\x1b[2m',
  grey: '\x1b[90m',
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
  if (!options.colour) return text;
  const shade = tone === 'dim' && options.quiet === 'grey' ? 'grey' : tone;
  return `${SGR[shade]}${text}${SGR.reset}`;
}

function serverTone(text: string): Tone {
  const code = text.slice(0, 1);
  if (code === '2' || code === '3') return 'green';
  if (code === '4') return 'yellow';
  if (code === '5') return 'red';
  return 'magenta';
}

export function describeTls(details: TlsDetails): string {
  const error = details.verifyError === undefined ? undefined : shown(details.verifyError);
  const trust =
    {
      verified: 'verified',
      pinned: 'pinned fingerprint matched',
      'allowed-invalid': `NOT verified (${error ?? 'invalid'}), allowed explicitly`,
      refused: `refused (${error ?? 'not trusted'})`,
    }[details.trust] ?? shown(details.trust);
  return `TLS ${shown(details.protocol)} ${shown(details.cipher)}; certificate ${details.subject ? shown(details.subject) : '(no subject)'} issued by ${details.issuer ? shown(details.issuer) : '(unknown)'}, valid ${shown(details.validFrom)} to ${shown(details.validTo)}, ${trust}; SHA-256 ${shown(details.sha256)}`;
}

/** The text of one event as one terminal line, without a line ending. */
export function formatEvent(event: TranscriptEvent, options: FormatOptions): string {
  const time = options.timestamps ? paint(`${Number(event.t).toFixed(1).padStart(8)} ms `, 'dim', options) : '';
  const channel = (tls: boolean) => (tls ? paint('tls ', 'blue', options) : '    ');
  switch (event.type) {
    case 'connect':
      return `${time}${paint(`** connected ${shown(event.local)}:${shown(event.localPort)} -> ${shown(event.remote)}:${shown(event.remotePort)}${event.tls ? ' (implicit TLS)' : ''}`, 'bold', options)}`;
    case 'client':
      return `${time}${channel(event.tls)}${paint(`C: ${shown(event.text)}`, 'cyan', options)}`;
    case 'server':
      return `${time}${channel(event.tls)}${paint(`S: ${shown(event.text)}`, serverTone(event.text), options)}`;
    case 'tls':
      return `${time}${paint(`** ${describeTls(event.details)}`, 'blue', options)}`;
    case 'note': {
      const tone: Tone = event.level === 'error' ? 'red' : event.level === 'warning' ? 'yellow' : 'dim';
      const mark = event.level === 'info' ? '--' : '!!';
      return `${time}${paint(`${mark} ${shown(event.text)}`, tone, options)}`;
    }
    case 'step':
      return `${time}${paint(`.. ${shown(event.stage)} took ${Number(event.ms).toFixed(1)} ms`, 'dim', options)}`;
    case 'close':
      return `${time}${paint(`** closed: ${shown(event.reason)}`, 'bold', options)}`;
  }
}

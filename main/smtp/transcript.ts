// The ordered event stream of one session. Every text that enters it passes the secret scrubber, so even an
// error message that quoted a command could not carry a password out, and is made visible here, in the one place
// events are built, so no event (close reasons quoting a malformed line, certificate fields) carries raw controls.
import { scrubSecrets } from '../../shared/redact.js';
import type { TlsDetails, TranscriptEvent } from '../../shared/session.js';
import { ensureVisible, makeVisible } from '../../shared/text.js';

type EventInput = TranscriptEvent extends infer E ? (E extends TranscriptEvent ? Omit<E, 't'> : never) : never;

export class Transcript {
  readonly events: TranscriptEvent[] = [];
  private readonly started = performance.now();

  constructor(
    private readonly secrets: string[],
    private readonly listener?: (event: TranscriptEvent) => void,
  ) {}

  /** Adds a secret form learnt during the session, such as an NTLM response or an XOAUTH2 blob. */
  learnSecret(form: string): void {
    if (form.length >= 3 && !this.secrets.includes(form)) this.secrets.push(form);
  }

  /** Milliseconds since the session started, rounded to 0.1 ms. */
  elapsed(): number {
    return Math.round((performance.now() - this.started) * 10) / 10;
  }

  emit(input: EventInput): TranscriptEvent {
    const event = { ...input, t: this.elapsed() };
    // ensureVisible leaves text that server() and client() already made visible as it is.
    if ('text' in event) event.text = ensureVisible(this.scrub(event.text));
    if (event.type === 'close') event.reason = ensureVisible(this.scrub(event.reason));
    if (event.type === 'tls') event.details = visibleDetails(event.details);
    this.events.push(event);
    this.listener?.(event);
    return event;
  }

  server(line: string, tls: boolean): void {
    this.emit({ type: 'server', text: makeVisible(line), tls });
  }

  client(shown: string, tls: boolean): void {
    this.emit({ type: 'client', text: makeVisible(shown), tls });
  }

  note(level: 'info' | 'warning' | 'error', text: string): void {
    this.emit({ type: 'note', level, text });
  }

  scrub(text: string): string {
    return scrubSecrets(text, this.secrets);
  }
}

/** Certificate fields come from the peer: every string in them made visible. */
function visibleDetails(details: TlsDetails): TlsDetails {
  const out = { ...details };
  for (const key of Object.keys(out) as (keyof TlsDetails)[]) {
    const value = out[key];
    if (typeof value === 'string') (out as Record<string, unknown>)[key] = ensureVisible(value);
  }
  return out;
}

// The lab's log: one event per session step (connection, each command and reply, decisions, TLS, close), kept in
// memory with a bound and pushed to listeners (the CLI prints them in foreground mode). Like an Exchange virtual
// server's protocol log, per server and only when its logging is enabled. Credentials never reach it: smtp-server
// masks AUTH lines before logging them, and the lab's own events name accounts, never passwords.

export type LabEventKind =
  | 'listen'
  | 'connect'
  | 'refused'
  | 'tls'
  | 'command'
  | 'reply'
  | 'auth'
  | 'relay'
  | 'message'
  | 'close'
  | 'error'
  | 'note';

export interface LabEvent {
  /** ISO time. */
  t: string;
  server: string;
  /** smtp-server's session id, shared by every event of one connection. */
  session?: string;
  /** Client address and port. */
  client?: string;
  kind: LabEventKind;
  text: string;
}

export type LabEventListener = (event: LabEvent) => void;

export const LAB_LOG_LIMIT = 10_000;

export class LabLog {
  readonly #events: LabEvent[] = [];
  readonly #listeners = new Set<LabEventListener>();

  constructor(private readonly limit = LAB_LOG_LIMIT) {}

  add(event: Omit<LabEvent, 't'>): void {
    const stamped: LabEvent = { t: new Date().toISOString(), ...event };
    this.#events.push(stamped);
    if (this.#events.length > this.limit) this.#events.splice(0, this.#events.length - this.limit);
    for (const listener of this.#listeners) listener(stamped);
  }

  /** The events kept so far, oldest first (the oldest are dropped past the limit). */
  events(): readonly LabEvent[] {
    return this.#events;
  }

  /** Calls `listener` for each new event; returns the function that stops it. */
  subscribe(listener: LabEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** One line for a terminal: time, server, session, client, what happened. */
export function formatLabEvent(event: LabEvent): string {
  const time = event.t.slice(11, 23);
  const session = event.session ? ` ${event.session.slice(-6)}` : '';
  const client = event.client ? ` ${event.client}` : '';
  const prefix = event.kind === 'command' ? 'C: ' : event.kind === 'reply' ? 'S: ' : `${event.kind}: `;
  return `${time} [${event.server}]${session}${client} ${prefix}${event.text}`;
}

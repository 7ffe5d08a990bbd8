// Messages the lab accepted with DATA: kept in memory and listed, never delivered or sent on. Bounded in number
// and size, since a client of the lab could send anything.

export interface LabMessage {
  id: string;
  server: string;
  session: string;
  client: string;
  account?: string;
  from: string;
  to: string[];
  receivedAt: string;
  /** Size of the message as received, in bytes. */
  size: number;
  /** The message (its first LAB_MESSAGE_KEEP_BYTES bytes). */
  content: string;
  truncated: boolean;
}

export const LAB_MESSAGE_LIMIT = 200;
export const LAB_MESSAGE_KEEP_BYTES = 256 * 1024;

export class LabMessages {
  readonly #messages: LabMessage[] = [];

  constructor(private readonly limit = LAB_MESSAGE_LIMIT) {}

  add(message: LabMessage): void {
    this.#messages.push(message);
    if (this.#messages.length > this.limit) this.#messages.splice(0, this.#messages.length - this.limit);
  }

  list(): readonly LabMessage[] {
    return this.#messages;
  }
}

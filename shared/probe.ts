// A quick probe from the app: one SMTP dialog, as `relay-tester probe` runs it, streamed to the window. The types
// both sides share, and the outcome line in the same words as the CLI prints it.
import type { Outcome } from './outcome.js';
import type { AuthMechanism, CertificateCheck, TlsMode, TranscriptEvent } from './session.js';

/** What the probe form asks for (never the password: that travels only in the startProbe request). */
export interface ProbeSettings {
  host: string;
  port: number;
  tls: TlsMode;
  /** How the server's certificate is checked, as the CLI's --pin-sha256 / --allow-invalid-cert say it. */
  certificate: CertificateCheck;
  /** A local address (or an address or subnet of the plan's sources) to connect from; absent: this machine's
   * default. */
  source?: string;
  /** A vantage point of the open plan to connect from instead. */
  vantage?: string;
  account?: string;
  mechanism?: AuthMechanism;
  helo: string;
  from: string;
  to: string[];
}

/** A probe's progress, batched like a run's: its transcript as it happens, then its outcome or why it failed. */
export type ProbeProgress =
  | { type: 'probe-event'; probeId: string; event: TranscriptEvent }
  | {
      type: 'probe-finished';
      probeId: string;
      outcome: Outcome;
      /** Where it connected from: the local address bound, or the vantage point. */
      local?: string;
      vantage?: string;
    }
  | { type: 'probe-failed'; probeId: string; message: string };

/** "Outcome: recipient-accepted at rcpt 250 2.1.5: Ok", exactly as `relay-tester probe` ends. */
export function outcomeLine(outcome: Outcome): string {
  const reply =
    outcome.code !== undefined ? ` ${outcome.code}${outcome.enhancedCode ? ` ${outcome.enhancedCode}` : ''}` : '';
  const detail = outcome.detail ? ` (${outcome.detail})` : '';
  return `Outcome: ${outcome.outcome} at ${outcome.stage}${reply}${detail}: ${outcome.text}`;
}

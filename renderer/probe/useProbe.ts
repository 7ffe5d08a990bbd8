// The quick probe's I/O: startProbe (asking for consent when a kept password would go to a new server, as runs do),
// its probeProgress events into one live transcript, and cancelProbe. One probe at a time in the form.
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../shared/errorMessage.js';
import type { CommandRequest, ConsentQuestion, RelayTesterApi } from '../../shared/ipc.js';
import type { Outcome } from '../../shared/outcome.js';
import type { ProbeProgress, ProbeSettings } from '../../shared/probe.js';
import type { TranscriptEvent } from '../../shared/session.js';
import type { ConsentAnswer } from '../dialogs/PasswordConsentDialog.js';

export interface ProbeState {
  running: boolean;
  probeId?: string;
  /** What this probe asked: the outcome belongs to these settings, not to the form as edited since. */
  settings?: ProbeSettings;
  events: TranscriptEvent[];
  outcome?: Outcome;
  local?: string;
  vantage?: string;
  /** Why the probe could not start or ended without an outcome. */
  error?: string;
}

const IDLE: ProbeState = { running: false, events: [] };
/** How often the core may ask again (what would be sent changed while the user answered) before giving up. */
const CONSENT_ROUNDS = 3;

function applied(state: ProbeState, progress: ProbeProgress): ProbeState {
  switch (progress.type) {
    case 'probe-event':
      return { ...state, events: [...state.events, progress.event] };
    case 'probe-finished': {
      const next: ProbeState = { ...state, running: false, outcome: progress.outcome };
      if (progress.local) next.local = progress.local;
      if (progress.vantage) next.vantage = progress.vantage;
      return next;
    }
    case 'probe-failed':
      return { ...state, running: false, error: progress.message };
  }
}

export function useProbe(
  api: RelayTesterApi,
  askConsent: (question: ConsentQuestion) => Promise<ConsentAnswer[] | undefined>,
) {
  const [state, setState] = useState<ProbeState>(IDLE);
  const current = useRef<string | undefined>(undefined);
  /** Progress of a probe whose id has not come back yet (events may overtake the answer to startProbe). */
  const early = useRef<ProbeProgress[]>([]);

  useEffect(
    () =>
      api.on('probeProgress', (batch) => {
        for (const progress of batch) {
          if (progress.probeId === current.current) setState((previous) => applied(previous, progress));
          else if (current.current === undefined) early.current.push(progress);
        }
      }),
    [api],
  );

  const start = useCallback(
    async (request: CommandRequest<'startProbe'>, settings: ProbeSettings) => {
      current.current = undefined;
      early.current = [];
      setState({ running: true, events: [], settings });
      try {
        let answer = await api.startProbe(request);
        for (let round = 0; 'consentNeeded' in answer; round += 1) {
          if (round >= CONSENT_ROUNDS) throw new Error('the passwords to send kept changing; probe again');
          const answers = await askConsent(answer.consentNeeded);
          if (!answers) {
            setState({ running: false, events: [], settings, error: 'Not probed: no answer about the password.' });
            return;
          }
          answer = await api.startProbe({
            ...request,
            consent: { ticket: answer.consentNeeded.ticket, decisions: answers },
          });
        }
        const probeId = answer.probeId;
        current.current = probeId;
        const mine = early.current.filter((progress) => progress.probeId === probeId);
        early.current = [];
        setState((previous) => mine.reduce(applied, { ...previous, probeId }));
      } catch (error) {
        setState({ running: false, events: [], settings, error: errorMessage(error) });
      }
    },
    [api, askConsent],
  );

  const cancel = useCallback(async () => {
    if (current.current) await api.cancelProbe({ probeId: current.current });
  }, [api]);

  return { state, start, cancel };
}

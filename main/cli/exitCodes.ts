// Exit statuses of `relay-tester probe`, one per outcome class, so scripts can tell them apart (documented in
// the README). 0 means the dialog completed and every recipient was accepted.
import type { OutcomeKind } from '../../shared/outcome.js';

export const PROBE_EXIT: Record<OutcomeKind, number> = {
  'recipient-accepted': 0,
  connected: 0,
  'recipient-rejected': 10,
  'sender-rejected': 11,
  'auth-failed': 12,
  'auth-unavailable': 13,
  'rejected-at-connect': 14,
  'temporary-failure': 15,
  unsupported: 16,
  'connect-failed': 20,
  timeout: 21,
  'tls-failed': 22,
  'protocol-error': 23,
  cancelled: 130,
};

/** Wrong command-line usage or invalid input (sysexits EX_USAGE). */
export const USAGE_EXIT = 64;

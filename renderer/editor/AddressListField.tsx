// Relay hosts, connection filters and sources: each entry checked as it is typed (parseAddressSpec, ipaddr.js),
// with the article's Table 1 advice for the kind of entry it is.
import { addressSpecHint, parseAddressSpec } from '../../shared/addressSpec.js';
import type { PathKey } from '../plan/planEdit.js';
import type { PlanEditing } from './planEditing.js';
import { StringListField, type EntryCheck } from './StringListField.js';

/** Table 1's three kinds of entry, shown while an entry is empty or not yet valid. */
export const ENTRY_KINDS_HINT =
  'Enter a single IP address (give that computer a fixed address, not one from DHCP), a subnet in CIDR notation such as 192.168.1.0/24 (know who can get an address in it), or a domain name (matched by reverse DNS: the clients need PTR records).';

export function checkAddressEntry(text: string): EntryCheck {
  if (text.trim() === '') return { hint: ENTRY_KINDS_HINT };
  const spec = parseAddressSpec(text);
  if ('error' in spec) return { error: spec.error, hint: ENTRY_KINDS_HINT };
  return { hint: addressSpecHint(spec) };
}

export function AddressListField(props: {
  editing: PlanEditing;
  path: readonly PathKey[];
  label: string;
  itemLabel: string;
  hint?: string;
  /** Whose list this is, e.g. the server's name (see StringListField). */
  context?: string;
}) {
  return <StringListField {...props} placeholder="192.168.1.0/24" check={checkAddressEntry} />;
}
